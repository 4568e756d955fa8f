package goparse

import (
	"fmt"
	"go/types"
	"reflect"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// converter turns go/types types into model types. Named types are
// converted once, so recursive types share pointers and terminate.
type converter struct {
	l     *loader
	named map[*types.TypeName]*model.Type
}

// refusal says why a type cannot cross a transport.
type refusal struct {
	msg, hint string
	// invalid marks a type the type checker could not resolve: the cause is
	// a type error, reported instead.
	invalid bool
}

// convert converts t. spelled says generated code in another package
// writes t out (a parameter's type, not a field of a named struct), so the
// named types in it must be exported.
func (c *converter) convert(t types.Type, spelled bool) (*model.Type, *refusal) {
	switch t := t.(type) {
	case *types.Alias:
		return c.convert(types.Unalias(t), spelled)
	case *types.Basic:
		return basic(t)
	case *types.Named:
		return c.namedType(t, spelled)
	case *types.Pointer:
		elem, r := c.convert(t.Elem(), spelled)
		return &model.Type{Kind: model.Pointer, Elem: elem}, r
	case *types.Slice:
		elem, r := c.convert(t.Elem(), spelled)
		return &model.Type{Kind: model.Slice, Elem: elem}, r
	case *types.Array:
		elem, r := c.convert(t.Elem(), spelled)
		return &model.Type{Kind: model.Array, Len: t.Len(), Elem: elem}, r
	case *types.Map:
		return c.mapType(t, spelled)
	case *types.Struct:
		return c.structType(t, "struct", spelled)
	case *types.Interface:
		if t.Empty() {
			return &model.Type{Kind: model.Any}, nil
		}
		return nil, c.interfaceRefusal(t)
	case *types.Chan:
		return nil, &refusal{msg: "channel types cannot cross a transport",
			hint: "pass the values as a slice, or make one call per value"}
	case *types.Signature:
		return nil, &refusal{msg: "func types cannot cross a transport",
			hint: "pass data, not behaviour; keep callbacks out of the service interface"}
	case *types.TypeParam:
		return nil, &refusal{msg: "type parameters cannot cross a transport", hint: "use concrete types"}
	}
	return nil, &refusal{msg: fmt.Sprintf("type %s cannot cross a transport", c.name(t)), hint: "use a concrete type"}
}

// interfaceRefusal refuses a non-empty interface type.
func (c *converter) interfaceRefusal(t types.Type) *refusal {
	return &refusal{msg: fmt.Sprintf("interface types cannot cross a transport: JSON cannot decode into %s", c.name(t)),
		hint: "use a concrete type, or any for free-form JSON"}
}

// name spells t for messages: types of the loaded package unqualified,
// others qualified by package name.
func (c *converter) name(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == c.l.pkg.Types {
			return ""
		}
		return p.Name()
	})
}

// basic converts a predeclared type; byte and rune keep their names.
func basic(t *types.Basic) (*model.Type, *refusal) {
	switch {
	case t.Kind() == types.Invalid:
		return nil, &refusal{invalid: true}
	case t.Kind() == types.Uintptr:
		return nil, &refusal{msg: "uintptr cannot cross a transport", hint: "use uint64"}
	case t.Kind() == types.UnsafePointer:
		return nil, &refusal{msg: "unsafe.Pointer cannot cross a transport", hint: "pass the data it points to"}
	case t.Info()&types.IsComplex != 0:
		return nil, &refusal{msg: fmt.Sprintf("%s: complex numbers cannot cross a transport (JSON has no complex numbers)", t.Name()),
			hint: "pass the real and imaginary parts as two float64 values"}
	case t.Info()&types.IsUntyped != 0:
		return nil, &refusal{msg: fmt.Sprintf("%s cannot cross a transport", t.Name()), hint: "use a typed value"}
	}
	return &model.Type{Kind: model.Basic, BasicName: t.Name()}, nil
}

// namedType converts a defined type: its identifier, its underlying type
// and, for integer or string types, its constants.
func (c *converter) namedType(t *types.Named, spelled bool) (*model.Type, *refusal) {
	obj := t.Obj()
	if obj.Pkg() == nil { // predeclared: error, comparable
		if obj.Name() == "error" {
			return &model.Type{Kind: model.ErrorValue}, nil
		}
		return nil, &refusal{msg: fmt.Sprintf("%s cannot cross a transport", obj.Name()), hint: "use a concrete type"}
	}
	if t.TypeArgs().Len() > 0 {
		return nil, &refusal{msg: fmt.Sprintf("instances of generic types (%s) are not supported", c.name(t)),
			hint: fmt.Sprintf("declare a named type for it, e.g. type %s%s %s, and use that", obj.Name(), typeArgNames(t), c.name(t))}
	}
	if spelled && !obj.Exported() {
		return nil, &refusal{msg: fmt.Sprintf("type %s is unexported, so generated code in other packages cannot name it", obj.Name()),
			hint: "export the type"}
	}
	if it, ok := t.Underlying().(*types.Interface); ok && !it.Empty() {
		return nil, c.interfaceRefusal(t)
	}
	if mt, ok := c.named[obj]; ok {
		return mt, nil
	}
	mt := &model.Type{Kind: model.Named, Ident: model.Ident{ImportPath: obj.Pkg().Path(), Name: obj.Name()}}
	c.named[obj] = mt
	if obj.Pkg() == c.l.pkg.Types {
		c.l.typeSpec(obj) // its type errors now block loading
	}
	var r *refusal
	if st, ok := t.Underlying().(*types.Struct); ok {
		mt.Underlying, r = c.structType(st, c.name(t), false)
	} else {
		mt.Underlying, r = c.convert(t.Underlying(), false)
	}
	if r != nil {
		return nil, r
	}
	mt.Enum = enumValues(t)
	return mt, nil
}

// typeArgNames joins the names of t's type arguments ("User" for
// Page[User]), for hints.
func typeArgNames(t *types.Named) string {
	var b strings.Builder
	for i := range t.TypeArgs().Len() {
		if n, ok := types.Unalias(t.TypeArgs().At(i)).(*types.Named); ok {
			b.WriteString(model.Exported(n.Obj().Name()))
		}
	}
	return b.String()
}

// mapType converts a map whose keys JSON can write: strings and integers,
// or named types over them.
func (c *converter) mapType(t *types.Map, spelled bool) (*model.Type, *refusal) {
	if b, ok := types.Unalias(t.Key()).Underlying().(*types.Basic); !ok || b.Info()&(types.IsString|types.IsInteger) == 0 {
		if ok && b.Kind() == types.Invalid {
			return nil, &refusal{invalid: true}
		}
		return nil, &refusal{msg: fmt.Sprintf("map key type %s: JSON object keys must be strings or integers", c.name(t.Key())),
			hint: "use a map with string or integer keys, or a slice of key/value structs"}
	}
	key, r := c.convert(t.Key(), spelled)
	if r != nil {
		return nil, r
	}
	elem, r := c.convert(t.Elem(), spelled)
	return &model.Type{Kind: model.Map, Key: key, Elem: elem}, r
}

// structType converts a struct's exported fields, following their json
// tags; fields tagged json:"-" are left out. owner names the struct in
// messages.
func (c *converter) structType(t *types.Struct, owner string, spelled bool) (*model.Type, *refusal) {
	st := &model.Type{Kind: model.Struct}
	for i := range t.NumFields() {
		v := t.Field(i)
		if !v.Exported() {
			continue
		}
		tag := reflect.StructTag(t.Tag(i)).Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft, r := c.convert(v.Type(), spelled)
		if r != nil {
			if !r.invalid {
				r.msg = fmt.Sprintf("field %s of %s: %s", v.Name(), owner, r.msg)
			}
			return nil, r
		}
		if name == "" {
			name = v.Name()
		}
		st.Fields = append(st.Fields, &model.StructField{
			GoName:    v.Name(),
			JSONName:  name,
			Type:      ft,
			Embedded:  v.Embedded(),
			OmitEmpty: hasOption(opts, "omitempty"),
		})
	}
	return st, nil
}

func hasOption(opts, name string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == name {
			return true
		}
	}
	return false
}
