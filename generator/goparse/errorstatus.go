package goparse

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"github.com/kitforge/kitforge/generator/model"
)

// statusDirective is the directive that maps a sentinel error to an HTTP
// status: "//kitforge:status 404" on "var ErrNotFound = errors.New(...)".
const statusDirective = "status"

const hintStatusPlace = "put //kitforge:status in the doc comment of one exported, package-level error variable, e.g. above var ErrNotFound = errors.New(\"not found\")"

// errorStatuses returns the package-level errors that carry a
// //kitforge:status directive, in source order. A directive anywhere else, a
// status outside 400–599 or two directives on one variable is an error.
func (l *loader) errorStatuses() ([]model.ErrorStatus, error) {
	used := map[token.Pos]bool{}
	var out []model.ErrorStatus
	for _, f := range l.pkg.Syntax {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				doc := vs.Doc
				if doc == nil && !gd.Lparen.IsValid() {
					doc = gd.Doc // var ErrX = ...: the doc comment is the declaration's
				}
				es, err := l.errorStatus(vs, doc, used)
				if err != nil {
					return nil, err
				}
				if es != nil {
					out = append(out, *es)
				}
			}
		}
	}
	return out, l.strayStatusDirective(used)
}

// errorStatus returns the status that the doc comment of vs gives its
// variable, or nil without a directive; it marks the directives it read in
// used.
func (l *loader) errorStatus(vs *ast.ValueSpec, doc *ast.CommentGroup, used map[token.Pos]bool) (*model.ErrorStatus, error) {
	lines, dirs := parseDoc(doc)
	var status []directive
	for _, d := range dirs {
		if d.name == statusDirective {
			status = append(status, d)
			used[d.pos] = true
		}
	}
	if len(status) == 0 {
		return nil, nil
	}
	name := vs.Names[0].Name
	if len(status) > 1 {
		return nil, model.Errorf(l.position(status[1].pos), "keep one //kitforge:status directive per error",
			"%s has two //kitforge:status directives", name)
	}
	d := status[0]
	if len(vs.Names) != 1 {
		return nil, model.Errorf(l.position(d.pos), "declare each error in a var of its own, with its own directive",
			"//kitforge:status on %d variables: a directive maps one error", len(vs.Names))
	}
	code, err := strconv.Atoi(d.args)
	if err != nil || code < 400 || code > 599 {
		return nil, model.Errorf(l.position(d.pos), "give an HTTP error status from 400 to 599, e.g. //kitforge:status 404",
			"//kitforge:status %q on %s is not an error status", d.args, name)
	}
	if err := l.checkSentinel(vs.Names[0], d.pos); err != nil {
		return nil, err
	}
	return &model.ErrorStatus{Name: name, Status: code, Doc: lines, Pos: l.position(vs.Names[0].Pos())}, nil
}

// checkSentinel checks that the variable id names can be a sentinel error
// that generated code refers to and compares with errors.Is.
func (l *loader) checkSentinel(id *ast.Ident, at token.Pos) error {
	if !id.IsExported() {
		return model.Errorf(l.position(at), "export the variable: the transports and clients refer to it",
			"//kitforge:status on %s: the error is not exported", id.Name)
	}
	v, _ := l.pkg.Types.Scope().Lookup(id.Name).(*types.Var)
	if v == nil || v.Type() == types.Typ[types.Invalid] {
		return l.invalidType(id.Pos(), "variable "+id.Name)
	}
	errType := types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
	if !types.Implements(v.Type(), errType) {
		return model.Errorf(l.position(at), hintStatusPlace,
			"//kitforge:status on %s, of type %s: it is not an error", id.Name, types.TypeString(v.Type(), types.RelativeTo(l.pkg.Types)))
	}
	if !types.Comparable(v.Type()) {
		return model.Errorf(l.position(at), "use a comparable error value, such as errors.New(...) or a pointer",
			"//kitforge:status on %s: its type %s is not comparable, so errors.Is cannot match it", id.Name, types.TypeString(v.Type(), types.RelativeTo(l.pkg.Types)))
	}
	return nil
}

// strayStatusDirective returns an error for the first //kitforge:status
// directive of the package that is not in used: one on a function, a type, a
// constant, a var group or inside a body.
func (l *loader) strayStatusDirective(used map[token.Pos]bool) error {
	for _, f := range l.pkg.Syntax {
		for _, cg := range f.Comments {
			_, dirs := parseDoc(cg)
			for _, d := range dirs {
				if d.name == statusDirective && !used[d.pos] {
					return model.Errorf(l.position(d.pos), hintStatusPlace,
						"//kitforge:status is not on a package-level error variable")
				}
			}
		}
	}
	return nil
}
