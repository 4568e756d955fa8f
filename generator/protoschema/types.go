package protoschema

import (
	"github.com/kitforge/kitforge/generator/model"
)

// hintHTTP ends the hint of every type that cannot map.
const hintHTTP = "use HTTP only for this service (transports: [http]) or change the type"

// Well-known types and the files that declare them.
const (
	timestampType = "google.protobuf.Timestamp"
	durationType  = "google.protobuf.Duration"
	timestampFile = "google/protobuf/timestamp.proto"
	durationFile  = "google/protobuf/duration.proto"
)

// fieldType is the proto type of a field.
type fieldType struct {
	typ      string // "int64", "User", "map<string, int64>", "google.protobuf.Timestamp"
	repeated bool
	optional bool // proto3 optional: a pointer to a scalar
	isMap    bool
	message  bool // typ is a message, which has presence of its own
}

// where says which parameter or field a type belongs to, for errors.
type where struct {
	pos  model.Pos
	what string // "method Sum: parameter a: field User.Tags"
}

// refuse is the error for a type that cannot map; hint says what to do first.
func (at where) refuse(t *model.Type, reason, hint string) error {
	if hint != "" {
		hint += ", or "
	}
	return model.Errorf(at.pos, hint+hintHTTP, "%s: type %s cannot cross gRPC: %s", at.what, t, reason)
}

// scalars maps Go's predeclared types to proto scalars.
var scalars = map[string]string{
	"bool": "bool", "string": "string",
	"int": "int64", "int64": "int64",
	"int32": "int32", "int16": "int32", "int8": "int32", "rune": "int32",
	"uint": "uint64", "uint64": "uint64",
	"uint32": "uint32", "uint16": "uint32", "uint8": "uint32", "byte": "uint32",
	"float32": "float", "float64": "double",
}

// mapKeys are the proto scalars a map key may have.
var mapKeys = map[string]bool{
	"string": true, "bool": true, "int32": true, "int64": true, "uint32": true, "uint64": true,
}

// fieldType maps a Go type to the proto type of a field.
func (b *builder) fieldType(t *model.Type, at where) (fieldType, error) {
	switch {
	case t.IsNamed("time", "Time"):
		b.imports[timestampFile] = true
		return fieldType{typ: timestampType, message: true}, nil
	case t.IsNamed("time", "Duration"):
		b.imports[durationFile] = true
		return fieldType{typ: durationType, message: true}, nil
	}
	switch t.Kind {
	case model.Named:
		if t.Underlying == nil {
			return fieldType{}, at.refuse(t, "its definition is unknown", "")
		}
		if t.Underlying.Kind == model.Struct {
			m, err := b.structMessage(t, at)
			if err != nil {
				return fieldType{}, err
			}
			return fieldType{typ: m.name, message: true}, nil
		}
		return b.fieldType(t.Underlying, at)
	case model.Basic:
		s, ok := scalars[t.BasicName]
		if !ok {
			return fieldType{}, at.refuse(t, "protobuf has no such scalar", "")
		}
		return fieldType{typ: s}, nil
	case model.Pointer:
		return b.pointerType(t, at)
	case model.Slice, model.Array:
		return b.repeatedType(t, at)
	case model.Map:
		return b.mapType(t, at)
	case model.Struct:
		return fieldType{}, at.refuse(t, "messages are named after Go types", "give the struct type a name")
	case model.Any:
		return fieldType{}, at.refuse(t, "its values have no fixed type", "")
	case model.ErrorValue:
		return fieldType{}, at.refuse(t, "errors are not data", "return the error as the method's last result")
	}
	return fieldType{}, at.refuse(t, "it has no protobuf counterpart", "")
}

// pointerType maps *T: messages stay messages, scalars become optional.
func (b *builder) pointerType(t *model.Type, at where) (fieldType, error) {
	if r := t.Elem.Resolved(); r != nil && r.Kind == model.Pointer {
		return fieldType{}, at.refuse(t, "a pointer to a pointer has no protobuf counterpart", "use a single pointer")
	}
	ft, err := b.fieldType(t.Elem, at)
	if err != nil {
		return fieldType{}, err
	}
	if !ft.message && !ft.repeated && !ft.isMap {
		ft.optional = true
	}
	return ft, nil
}

// repeatedType maps []T and [N]T: bytes for bytes, repeated T otherwise.
func (b *builder) repeatedType(t *model.Type, at where) (fieldType, error) {
	if isByte(t.Elem) {
		return fieldType{typ: "bytes"}, nil
	}
	ft, err := b.fieldType(t.Elem, at)
	switch {
	case err != nil:
		return fieldType{}, err
	case ft.repeated:
		return fieldType{}, at.refuse(t, "a repeated field cannot hold lists", "wrap the inner slice in a struct type")
	case ft.isMap:
		return fieldType{}, at.refuse(t, "a repeated field cannot hold maps", "wrap the map in a struct type")
	case ft.optional:
		return fieldType{}, at.refuse(t, "a repeated field cannot hold nil scalars", "use a slice of values")
	}
	ft.repeated = true
	return ft, nil
}

// mapType maps map[K]V to map<K, V>.
func (b *builder) mapType(t *model.Type, at where) (fieldType, error) {
	key := t.Key.Resolved()
	if t.Key.IsNamed("time", "Duration") || key == nil || key.Kind != model.Basic || !mapKeys[scalars[key.BasicName]] {
		return fieldType{}, at.refuse(t, "map keys must be strings, integers or bools", "")
	}
	ft, err := b.fieldType(t.Elem, at)
	switch {
	case err != nil:
		return fieldType{}, err
	case ft.repeated || ft.isMap:
		return fieldType{}, at.refuse(t, "map values cannot be lists or maps", "wrap the value in a struct type")
	case ft.optional:
		return fieldType{}, at.refuse(t, "map values cannot be nil scalars", "use values, not pointers")
	}
	return fieldType{typ: "map<" + scalars[key.BasicName] + ", " + ft.typ + ">", isMap: true}, nil
}

// isByte reports whether t is byte or uint8, possibly named.
func isByte(t *model.Type) bool {
	r := t.Resolved()
	return r != nil && r.Kind == model.Basic && (r.BasicName == "byte" || r.BasicName == "uint8")
}
