package protoschema

import (
	"github.com/kitforge/kitforge/generator/model"
)

// Builders for model values: the tests describe services directly, without
// loading Go code.

func basic(name string) *model.Type { return &model.Type{Kind: model.Basic, BasicName: name} }

func named(path, name string, underlying *model.Type) *model.Type {
	return &model.Type{Kind: model.Named, Ident: model.Ident{ImportPath: path, Name: name}, Underlying: underlying}
}

func ptr(t *model.Type) *model.Type      { return &model.Type{Kind: model.Pointer, Elem: t} }
func slice(t *model.Type) *model.Type    { return &model.Type{Kind: model.Slice, Elem: t} }
func mapOf(k, v *model.Type) *model.Type { return &model.Type{Kind: model.Map, Key: k, Elem: v} }
func array(n int64, t *model.Type) *model.Type {
	return &model.Type{Kind: model.Array, Len: n, Elem: t}
}

// structType is a struct with the given fields; json names default to the Go name.
func structType(fields ...*model.StructField) *model.Type {
	return &model.Type{Kind: model.Struct, Fields: fields}
}

func sf(goName, jsonName string, t *model.Type) *model.StructField {
	if jsonName == "" {
		jsonName = goName
	}
	return &model.StructField{GoName: goName, JSONName: jsonName, Type: t}
}

var (
	goTime     = named("time", "Time", structType())
	goDuration = named("time", "Duration", basic("int64"))
)

// param is a parameter or result declared at line of file.
func param(name string, t *model.Type, file string, line int) *model.Field {
	return &model.Field{
		VarName: name, GoName: model.Exported(name), JSONName: model.LowerCamel(name),
		Type: t, Pos: model.Pos{File: file, Line: line, Col: 2},
	}
}

// service is a service named name with the given methods, declared in
// example.com/<name>/pkg/<name>service.
func service(name string, methods ...*model.Method) *model.Service {
	return &model.Service{
		Name: name, GoName: model.Exported(name),
		Interface:   model.Ident{ImportPath: "example.com/" + name + "/pkg/" + name + "service", Name: "Service"},
		PackageName: name + "service",
		Doc:         []string{"Service is the " + name + " service."},
		Pos:         model.Pos{File: name + "service/service.go", Line: 10, Col: 6},
		Methods:     methods,
	}
}
