package goparse

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"sort"

	"github.com/kitforge/kitforge/generator/model"
)

// declared is a method of the service with the syntax that declares it.
type declared struct {
	fn *types.Func
	// field declares the method; nil when no syntax was found (the
	// predeclared error interface).
	field *ast.Field
	pos   token.Pos // of the method name
}

// flattener collects the methods of an interface in declaration order,
// embedded interfaces expanded where they are embedded.
type flattener struct {
	l       *loader
	out     []declared
	seen    map[string]*types.Func
	walking map[*types.TypeName]bool
}

// flatten returns the methods of it, declared by spec.
func (l *loader) flatten(it *types.Interface, spec *ast.TypeSpec) ([]declared, error) {
	f := &flattener{l: l, seen: map[string]*types.Func{}, walking: map[*types.TypeName]bool{}}
	lit, _ := spec.Type.(*ast.InterfaceType)
	if err := f.iface(it, lit, spec.Name.Pos()); err != nil {
		return nil, err
	}
	return f.out, nil
}

// iface adds the methods of it, embedded at pos. lit is its syntax, or nil;
// without syntax methods come in source position order, then the embedded
// interfaces.
func (f *flattener) iface(it *types.Interface, lit *ast.InterfaceType, pos token.Pos) error {
	if lit == nil {
		var ms []*types.Func
		for i := range it.NumExplicitMethods() {
			ms = append(ms, it.ExplicitMethod(i))
		}
		sort.SliceStable(ms, func(i, j int) bool { return ms[i].Pos() < ms[j].Pos() })
		for _, m := range ms {
			d := declared{fn: m, pos: m.Pos()}
			if !d.pos.IsValid() {
				d.pos = pos // the predeclared error's Error method
			}
			if err := f.add(d); err != nil {
				return err
			}
		}
		for i := range it.NumEmbeddeds() {
			if err := f.embedded(it.EmbeddedType(i), pos, nil); err != nil {
				return err
			}
		}
		return nil
	}
	k := 0 // next embedded element
	for _, field := range lit.Methods.List {
		if len(field.Names) == 0 {
			if k >= it.NumEmbeddeds() {
				return f.l.invalidType(field.Type.Pos(), "embedded interface")
			}
			sub, _ := field.Type.(*ast.InterfaceType)
			if err := f.embedded(it.EmbeddedType(k), field.Type.Pos(), sub); err != nil {
				return err
			}
			k++
			continue
		}
		for _, name := range field.Names {
			fn := explicitMethod(it, name.Name)
			if fn == nil {
				return f.l.invalidType(name.Pos(), "method "+name.Name)
			}
			if err := f.add(declared{fn: fn, field: field, pos: name.Pos()}); err != nil {
				return err
			}
		}
	}
	return nil
}

// embedded adds the methods of an embedded interface t, written at pos;
// lit is its syntax when it is an interface literal.
func (f *flattener) embedded(t types.Type, pos token.Pos, lit *ast.InterfaceType) error {
	const hint = "embed interfaces of methods only"
	switch t := types.Unalias(t).(type) {
	case *types.Interface:
		return f.iface(t, lit, pos)
	case *types.Named:
		obj := t.Obj()
		if t.TypeArgs().Len() > 0 {
			return model.Errorf(f.l.position(pos), "embed a non-generic interface",
				"embedded interface %s is an instance of a generic interface", t)
		}
		if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.Invalid {
			return f.l.invalidType(pos, "embedded interface "+obj.Name())
		}
		it, ok := t.Underlying().(*types.Interface)
		if !ok || !it.IsMethodSet() {
			return model.Errorf(f.l.position(pos), hint, "embedded %s is not an interface of methods", t)
		}
		if f.walking[obj] {
			return f.l.invalidType(pos, "embedded interface "+obj.Name())
		}
		f.walking[obj] = true
		defer delete(f.walking, obj)
		var sub *ast.InterfaceType
		if spec := f.l.typeSpec(obj); spec != nil {
			sub, _ = spec.Type.(*ast.InterfaceType)
		}
		return f.iface(it, sub, pos)
	case *types.Basic:
		if t.Kind() == types.Invalid {
			return f.l.invalidType(pos, "embedded interface")
		}
	}
	return model.Errorf(f.l.position(pos), hint, "embedded %s is not an interface of methods", t)
}

// add appends a method unless an identical one came first (interfaces may
// embed the same method twice).
func (f *flattener) add(d declared) error {
	name := d.fn.Name()
	if prev, ok := f.seen[name]; ok {
		if types.Identical(prev.Type(), d.fn.Type()) {
			return nil
		}
		return model.Errorf(f.l.position(d.pos), "give one of the methods another name",
			"method %s is declared twice with different signatures", name)
	}
	if !d.fn.Exported() {
		return model.Errorf(f.l.position(d.pos), "export the method (capitalise its name), or move it out of the service interface",
			"method %s is unexported: generated code in other packages cannot call it", name)
	}
	f.seen[name] = d.fn
	f.out = append(f.out, d)
	return nil
}

func explicitMethod(it *types.Interface, name string) *types.Func {
	for i := range it.NumExplicitMethods() {
		if m := it.ExplicitMethod(i); m.Name() == name {
			return m
		}
	}
	return nil
}

// typeSpec finds the declaration of a named type: in the package's own
// syntax (whose type errors then block loading), or by parsing the file of
// another package that declares it (for doc comments and directives:
// export data carries neither). It returns nil when there is no source.
func (l *loader) typeSpec(obj *types.TypeName) *ast.TypeSpec {
	if obj.Pkg() == nil {
		return nil
	}
	if obj.Pkg() == l.pkg.Types {
		spec := l.specs[obj.Pos()]
		if spec != nil {
			l.track(spec.Pos(), spec.End())
		}
		return spec
	}
	file := l.fset.Position(obj.Pos()).Filename
	if file == "" {
		return nil
	}
	f, ok := l.foreign[file]
	if !ok {
		f, _ = parser.ParseFile(l.fset, file, nil, parser.ParseComments|parser.SkipObjectResolution)
		l.foreign[file] = f
	}
	if f == nil {
		return nil
	}
	for _, decl := range f.Decls {
		if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, s := range gd.Specs {
				if ts := s.(*ast.TypeSpec); ts.Name.Name == obj.Name() {
					if ts.Doc == nil && !gd.Lparen.IsValid() {
						ts.Doc = gd.Doc
					}
					return ts
				}
			}
		}
	}
	return nil
}
