package goparse

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"github.com/kitforge/kitforge/generator/model"
)

// field is a parameter or result being described, with the name it was
// written with, or the one derived for it when it was unnamed or "_".
type field struct {
	*model.Field
	name     string
	exported string // model.Exported(name), GoName unless it clashed
}

// signature fills m's HasContext, Params, Results and HasError from the
// method's Go signature and returns the params and results in that order.
func (l *loader) signature(m *model.Method, d declared) ([]field, error) {
	sig := d.fn.Signature()
	params, results := sig.Params(), sig.Results()
	ppos, rpos := varPositions(params, d, true), varPositions(results, d, false)
	start, n := 0, results.Len()
	if params.Len() > 0 && isContext(params.At(0).Type()) {
		m.HasContext, start = true, 1
	}
	if n > 0 && isError(results.At(n-1).Type()) {
		m.HasError, n = true, n-1
	}
	pkgNames := map[string]bool{l.pkg.Name: true} // packages generated code spells
	var fields []field
	for i := start; i < params.Len(); i++ {
		v := params.At(i)
		f, err := l.newField(m, v, ppos[i], "parameter", i, "arg", pkgNames)
		if err != nil {
			return nil, err
		}
		f.Variadic = sig.Variadic() && i == params.Len()-1 // its Type is the slice []T
		m.Params = append(m.Params, f.Field)
		fields = append(fields, f)
	}
	for i := range n {
		base := "v"
		if n > 1 {
			base = fmt.Sprintf("v%d", i)
		}
		f, err := l.newField(m, results.At(i), rpos[i], "result", i, base, pkgNames)
		if err != nil {
			return nil, err
		}
		m.Results = append(m.Results, f.Field)
		fields = append(fields, f)
	}
	nameFields(m, fields, pkgNames)
	return fields, nil
}

// newField describes parameter or result number i of m, named base when it
// has no name of its own.
func (l *loader) newField(m *model.Method, v *types.Var, pos token.Pos, role string, i int, base string, pkgNames map[string]bool) (field, error) {
	name := v.Name()
	shown := name
	if name == "" || name == "_" {
		name, shown = derivedName(v.Type(), base), fmt.Sprintf("#%d", i+1)
	}
	fail := func(hint, format string, args ...any) (field, error) {
		return field{}, model.Errorf(l.position(pos), hint, "method %s: %s %s: %s", m.Name, role, shown, fmt.Sprintf(format, args...))
	}
	switch {
	case isContext(v.Type()):
		return fail("make context.Context the first parameter, and the only one", "context.Context must be the first parameter")
	case isError(v.Type()) && role == "parameter":
		return fail("pass the error's message as a string", "error values cannot cross a transport")
	case isError(v.Type()):
		return fail("return one error, as the last result", "only the last result may be an error")
	}
	t, r := l.conv.convert(v.Type(), true)
	if r != nil {
		if r.invalid {
			return field{}, l.invalidType(pos, fmt.Sprintf("method %s: %s %s", m.Name, role, shown))
		}
		return fail(r.hint, "%s", r.msg)
	}
	spelledPackages(v.Type(), pkgNames)
	exported := model.Exported(name)
	f := &model.Field{VarName: name, GoName: exported, Type: t, In: model.InBody, Pos: l.position(pos)}
	return field{Field: f, name: name, exported: exported}, nil
}

// nameFields makes the names of m's fields safe for generated code:
// VarNames unique within the method, shadowing no package the signature
// spells and no predeclared identifier; GoNames unique within the request
// and the response (whose Err field is taken); JSONNames follow the Go
// name as written unless it had to change.
func nameFields(m *model.Method, fields []field, pkgNames map[string]bool) {
	all := make([]*model.Field, len(fields))
	used := map[string]bool{}
	for i, f := range fields {
		all[i] = f.Field
		used[f.VarName] = true
	}
	shadows := func(name string) bool {
		return pkgNames[name] || types.Universe.Lookup(name) != nil
	}
	for _, f := range all {
		for n, base := 1, f.VarName; shadows(f.VarName); n++ {
			if c := base + strconv.Itoa(n); !used[c] && !shadows(c) {
				f.VarName = c
				used[c] = true
			}
		}
	}
	model.UniqueNames(all)
	model.UniqueGoNames(m.Params)
	model.UniqueGoNames(m.Results, "Err")
	for _, f := range fields {
		if f.GoName == f.exported {
			f.JSONName = model.LowerCamel(f.name)
		} else {
			f.JSONName = model.LowerCamel(f.GoName)
		}
	}
}

// spelledPackages adds to names the names of the packages whose types
// generated code spells when it writes t.
func spelledPackages(t types.Type, names map[string]bool) {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		if p := t.Obj().Pkg(); p != nil {
			names[p.Name()] = true
		}
	case *types.Pointer:
		spelledPackages(t.Elem(), names)
	case *types.Slice:
		spelledPackages(t.Elem(), names)
	case *types.Array:
		spelledPackages(t.Elem(), names)
	case *types.Map:
		spelledPackages(t.Key(), names)
		spelledPackages(t.Elem(), names)
	case *types.Struct:
		for i := range t.NumFields() {
			spelledPackages(t.Field(i).Type(), names)
		}
	}
}

// derivedName names an unnamed parameter or result: after its named type
// ("User" → "user", also through a pointer), else base.
func derivedName(t types.Type, base string) string {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil {
		return model.LowerCamel(n.Obj().Name())
	}
	return base
}

// varPositions returns the position of each variable of a parameter or
// result list: from the method's syntax when there is some (export data
// has no columns), else from the variables.
func varPositions(vars *types.Tuple, d declared, params bool) []token.Pos {
	var pos []token.Pos
	if d.field != nil {
		if ft, ok := d.field.Type.(*ast.FuncType); ok {
			list := ft.Results
			if params {
				list = ft.Params
			}
			if list != nil {
				for _, f := range list.List {
					if len(f.Names) == 0 {
						pos = append(pos, f.Type.Pos())
					}
					for _, n := range f.Names {
						pos = append(pos, n.Pos())
					}
				}
			}
		}
	}
	if len(pos) == vars.Len() {
		return pos
	}
	pos = pos[:0]
	for i := range vars.Len() {
		p := vars.At(i).Pos()
		if !p.IsValid() {
			p = d.pos // the predeclared error's Error method
		}
		pos = append(pos, p)
	}
	return pos
}

// isContext reports whether t is context.Context.
func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// isError reports whether t is the predeclared error type.
func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}
