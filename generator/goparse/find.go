package goparse

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// candidate is an interface type declared in the package.
type candidate struct {
	obj    *types.TypeName
	spec   *ast.TypeSpec
	doc    *ast.CommentGroup
	marked bool // its doc comment holds //kitforge:service
}

const hintChoose = "choose the interface with --interface NAME, or add a //kitforge:service line to its doc comment"

// indexSyntax records every type declaration of the package by the
// position of its name, and returns the interface types in source order.
func (l *loader) indexSyntax() []candidate {
	l.specs = map[token.Pos]*ast.TypeSpec{}
	var cands []candidate
	for _, f := range l.pkg.Syntax {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				l.specs[ts.Name.Pos()] = ts
				obj, ok := l.pkg.Types.Scope().Lookup(ts.Name.Name).(*types.TypeName)
				if _, isIface := ts.Type.(*ast.InterfaceType); !ok || !isIface || ts.Assign.IsValid() || obj.Pos() != ts.Name.Pos() {
					continue
				}
				doc := ts.Doc
				if doc == nil && !gd.Lparen.IsValid() {
					doc = gd.Doc
				}
				c := candidate{obj: obj, spec: ts, doc: doc}
				_, dirs := parseDoc(doc)
				for _, d := range dirs {
					c.marked = c.marked || d.name == "service"
				}
				cands = append(cands, c)
			}
		}
	}
	return cands
}

// chooseInterface picks the service interface: the one cfg.Interface names,
// else the one marked //kitforge:service, else the only exported interface
// (interfaces that are only type constraints do not count).
func (l *loader) chooseInterface() (candidate, error) {
	cands := l.indexSyntax()
	pkgPos := l.position(l.pkg.Syntax[0].Package)
	if name := l.cfg.Interface; name != "" {
		for _, c := range cands {
			if c.obj.Name() == name {
				return c, nil
			}
		}
		if obj := l.pkg.Types.Scope().Lookup(name); obj != nil {
			return candidate{}, model.Errorf(l.position(obj.Pos()), "name an interface type with --interface",
				"%s is not an interface type", name)
		}
		return candidate{}, model.Errorf(pkgPos, "name one of the package's interfaces with --interface"+listHint(cands),
			"package %s declares no interface %s", l.pkg.Name, name)
	}
	var marked, exported []candidate
	for _, c := range cands {
		if c.marked {
			marked = append(marked, c)
		}
		if c.obj.Exported() && isMethodSet(c.obj) {
			exported = append(exported, c)
		}
	}
	switch {
	case len(marked) == 1:
		return marked[0], nil
	case len(marked) > 1:
		return candidate{}, model.Errorf(l.position(marked[0].spec.Name.Pos()),
			"keep //kitforge:service on one interface, or choose one with --interface NAME",
			"package %s has %d interfaces marked //kitforge:service: %s", l.pkg.Name, len(marked), names(marked))
	case len(exported) == 1:
		return exported[0], nil
	case len(exported) == 0:
		return candidate{}, model.Errorf(pkgPos, "declare the service as an exported interface type, e.g. type Service interface { ... }"+listHint(cands),
			"package %s declares no exported interface", l.pkg.Name)
	}
	return candidate{}, model.Errorf(l.position(exported[0].spec.Name.Pos()), hintChoose,
		"package %s declares %d exported interfaces: %s; which one is the service?", l.pkg.Name, len(exported), names(exported))
}

// isMethodSet reports whether obj is an interface usable as a value type,
// not a type constraint.
func isMethodSet(obj *types.TypeName) bool {
	it, ok := obj.Type().Underlying().(*types.Interface)
	return ok && it.IsMethodSet()
}

func names(cands []candidate) string {
	var s []string
	for _, c := range cands {
		s = append(s, c.obj.Name())
	}
	return strings.Join(s, ", ")
}

func listHint(cands []candidate) string {
	if len(cands) == 0 {
		return ""
	}
	return " (interfaces found: " + names(cands) + ")"
}
