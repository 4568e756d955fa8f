// Package model is the neutral description of a service that every kitforge
// emitter works from. Loaders (Go interfaces, .proto files) build it; emitters
// read it. It deliberately imports neither go/types nor a proto parser, so the
// two inputs meet here and nowhere else.
//
// Every name an emitter needs (Go identifiers, JSON names, routes) is computed
// once by the loader, so emitters never re-derive a name.
package model

import "fmt"

// Source says which kind of input a service was loaded from.
type Source int

const (
	// SourceGo is a Go interface loaded with go/packages.
	SourceGo Source = iota
	// SourceProto is a service declared in a .proto file.
	SourceProto
)

// Pos is a source position used in error messages: file:line:col.
type Pos struct {
	File string // path as the user would type it (relative to the working directory when possible)
	Line int
	Col  int
}

// String renders the position as file:line:col, or "" when unknown.
func (p Pos) String() string {
	if p.File == "" {
		return ""
	}
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsValid reports whether the position names a file.
func (p Pos) IsValid() bool { return p.File != "" }

// Ident is a package-qualified Go identifier. An empty ImportPath means a
// predeclared identifier.
type Ident struct {
	ImportPath string
	Name       string
}

// String renders the identifier as "path.Name".
func (id Ident) String() string {
	if id.ImportPath == "" {
		return id.Name
	}
	return id.ImportPath + "." + id.Name
}

// Service is one service: an interface and its methods.
type Service struct {
	// Name is the service's short lower-case name ("calc"), used for
	// package names, the binary, metrics namespaces and the proto package.
	Name string
	// GoName is the exported form of Name ("Calc").
	GoName string
	// Interface names the Go interface that the service implements
	// ("example.com/calc/pkg/calcservice".Service). For proto input it is the
	// generated interface.
	Interface Ident
	// PackageName is the Go package name of Interface's package.
	PackageName string
	// PackageNames maps the import path of Interface's package and of every
	// package whose named types the methods use to its Go package name, so
	// generated code can import each under a name none of its own
	// identifiers shadow. Nil for proto input.
	PackageNames map[string]string
	// Dir is the directory (absolute) of the package that declares Interface.
	Dir string
	// Doc is the interface's doc comment, one entry per line, without "//"
	// and without kitforge directives.
	Doc    []string
	Source Source
	Pos    Pos
	// Methods are in declaration order (embedded interfaces flattened at the
	// position of the embedding).
	Methods []*Method
	// Declared are the package-level names that the user's own files of
	// Interface's package declare (not kitforge's generated or scaffolded
	// files), so generated code can yield to them. Nil for proto input.
	Declared map[string]Declared
	// ErrorStatuses are the package-level errors of Interface's package that
	// carry a //kitforge:status directive, in source order: transports answer
	// them with that status, clients turn the status back into them. Nil for
	// proto input.
	ErrorStatuses []ErrorStatus
}

// ErrorStatus is a sentinel error of the service's package mapped to an HTTP
// status by a //kitforge:status directive.
type ErrorStatus struct {
	// Name is the error variable's name ("ErrNotFound").
	Name string
	// Status is the HTTP status, 400 to 599.
	Status int
	// Doc is the variable's doc comment without kitforge directives.
	Doc []string
	Pos Pos
}

// Declared is a package-level name of the user's code in the service's
// package.
type Declared struct {
	Pos Pos
	// Shape says whether the declaration is one kitforge could use as it is.
	Shape Shape
}

// Shape is what a user's package-level declaration is, as far as generated
// code cares.
type Shape int

const (
	// OtherShape is any declaration generated code cannot stand in for.
	OtherShape Shape = iota
	// MiddlewareShape is a type whose underlying type is func(I) I, with I
	// the service interface: Go kit's service middleware.
	MiddlewareShape
	// ConstructorShape is a function of type func() I: a constructor that
	// generated code can call.
	ConstructorShape
)

// MethodKind distinguishes unary calls from streaming rpcs (proto input only).
type MethodKind int

const (
	// Unary is a request/response call; it gets endpoints and all transports.
	Unary MethodKind = iota
	// ServerStream is a proto rpc with a streamed response (gRPC only).
	ServerStream
	// ClientStream is a proto rpc with a streamed request (gRPC only).
	ClientStream
	// BidiStream is a proto rpc streamed in both directions (gRPC only).
	BidiStream
)

// Method is one method of the service.
type Method struct {
	// Name is the Go method name ("Sum").
	Name string
	// Doc is the method's doc comment without kitforge directives.
	Doc []string
	Pos Pos
	// Kind is Unary for every Go interface method.
	Kind MethodKind
	// HasContext reports whether the first Go parameter is a context.Context.
	HasContext bool
	// Params are the method's parameters without the leading context.
	Params []*Field
	// Results are the method's results without the trailing error.
	Results []*Field
	// HasError reports whether the last result is an error.
	HasError bool
	// HTTP holds the method's HTTP bindings; the first is the primary route.
	// It is never empty for unary methods.
	HTTP []*HTTPBinding
	// Async marks a method with no results as fire-and-forget on message
	// transports (// kitforge:async).
	Async bool
	// EndpointField is the name of the method's field in the endpoint Set
	// when it is not Name+"Endpoint" (see AssignEndpointFields).
	EndpointField string
}

// EndpointName is the name of the method's field in the endpoint Set
// ("SumEndpoint").
func (m *Method) EndpointName() string {
	if m.EndpointField != "" {
		return m.EndpointField
	}
	return m.Name + "Endpoint"
}

// AssignEndpointFields gives every method a Set field that is no method's
// name (the Set has a method per method): Name+"Endpoint", else with "_"
// appended until it is free (methods Sum and SumEndpoint: fields
// SumEndpoint_ and SumEndpointEndpoint).
func AssignEndpointFields(methods []*Method) {
	taken := map[string]bool{}
	for _, m := range methods {
		taken[m.Name] = true
	}
	for _, m := range methods {
		name := m.Name + "Endpoint"
		for taken[name] {
			name += "_"
		}
		taken[name] = true
		if name != m.Name+"Endpoint" {
			m.EndpointField = name
		}
	}
}

// RequestName is the name of the endpoint request type ("SumRequest").
func (m *Method) RequestName() string { return m.Name + "Request" }

// ResponseName is the name of the endpoint response type ("SumResponse").
func (m *Method) ResponseName() string { return m.Name + "Response" }

// IsStreaming reports whether the method streams in either direction.
func (m *Method) IsStreaming() bool { return m.Kind != Unary }

// Field is a parameter or result of a method, which is also a field of the
// method's request or response struct.
type Field struct {
	// VarName is a Go identifier safe to use as a local variable or
	// parameter in generated code: unique within the method and never one of
	// ReservedNames.
	VarName string
	// GoName is the exported struct field name ("UserID").
	GoName string
	// JSONName is the lowerCamel JSON (and query/path) name ("userID").
	JSONName string
	Type     *Type
	// Sensitive fields are left out of logs (// kitforge:sensitive NAME).
	Sensitive bool
	// In says where an HTTP server reads a request field from; results are
	// always InBody.
	In ParamIn
	// Variadic marks the last parameter of a variadic method (...T); its
	// Type is then the slice []T.
	Variadic bool
	Pos      Pos
}

// ParamIn says where an HTTP request carries a field.
type ParamIn int

const (
	// InBody fields are members of the JSON request body.
	InBody ParamIn = iota
	// InPath fields are path parameters ({name} in the route).
	InPath
	// InQuery fields are URL query parameters.
	InQuery
)

// String names the location as used in docs ("body", "path", "query").
func (in ParamIn) String() string {
	switch in {
	case InPath:
		return "path"
	case InQuery:
		return "query"
	default:
		return "body"
	}
}

// ReservedNames are identifiers generated code uses for its own locals or
// packages it refers to inside method bodies, so a Field's VarName never
// takes them (a parameter named "time" would shadow package time).
var ReservedNames = map[string]bool{
	"ctx": true, "err": true, "req": true, "resp": true, "request": true,
	"response": true, "s": true, "svc": true, "next": true, "mw": true,
	"e": true, "r": true, "w": true, "begin": true, "logger": true,
	"endpoints": true, "set": true, "_": true, "raw": true,
	"time": true, "context": true, "fmt": true, "errors": true, "strconv": true,
	"json": true, "http": true, "url": true, "log": true, "endpoint": true,
	"metrics": true, "strings": true, "io": true, "grpc": true, "status": true,
	"codes": true, "outcome": true, "q": true, "ok": true,
}

// HTTPBinding is one HTTP route for a method.
type HTTPBinding struct {
	// Verb is the HTTP method in upper case ("GET").
	Verb string
	// Path is the route template as written ("/users/{id}").
	Path string
	// PathParams are the template's variables in order; for Go interfaces
	// each names a Field by JSONName.
	PathParams []string
	// Body is "*" when the remaining fields come from the JSON body, "" when
	// there is no body (remaining fields come from the query), or a field
	// name (proto input: body: "field").
	Body string
	// ResponseBody is "" for the whole response, or a field name (proto).
	ResponseBody string
	// Pos is where the route was declared (a doc directive or an option),
	// or the method's position for default routes.
	Pos Pos
}

// TypeKind classifies a Type.
type TypeKind int

const (
	// Basic is a predeclared type: bool, string, ints, uints, floats, byte, rune.
	Basic TypeKind = iota
	// Named is a defined type with a name (time.Time, a user struct, an enum).
	Named
	// Pointer is *Elem.
	Pointer
	// Slice is []Elem.
	Slice
	// Array is [Len]Elem.
	Array
	// Map is map[Key]Elem.
	Map
	// Struct is an unnamed struct type, or the underlying type of a Named struct.
	Struct
	// Any is the empty interface (interface{} or any).
	Any
	// ErrorValue is the predeclared error interface (only in struct fields;
	// a trailing method error is Method.HasError).
	ErrorValue
)

// Type is a Go type as generated code spells it.
type Type struct {
	Kind TypeKind
	// BasicName is the predeclared name for Basic ("int64").
	BasicName string
	// Ident names a Named type. Alias is the alias name when the source
	// used an alias other than any (kept for docs only).
	Ident Ident
	// Elem is the element of Pointer, Slice, Array and Map types.
	Elem *Type
	// Key is a Map's key type.
	Key *Type
	// Len is an Array's length.
	Len int64
	// Underlying is a Named type's underlying type (nil for other kinds).
	// Recursive types share pointers, so walkers must track what they saw.
	Underlying *Type
	// Fields are a Struct's exported fields in declaration order.
	Fields []*StructField
	// Enum lists a Named type's constants (proto enums, Go const blocks) in
	// declaration order; empty for most types.
	Enum []EnumValue
}

// StructField is an exported field of a struct type.
type StructField struct {
	GoName   string
	JSONName string // from the json tag, or GoName when untagged
	Type     *Type
	Embedded bool
	// OmitEmpty mirrors a json ",omitempty" option.
	OmitEmpty bool
}

// EnumValue is one named constant of an enum-like type.
type EnumValue struct {
	Name   string // Go constant name
	Number int64
}

// IsNamed reports whether t is the named type path.name.
func (t *Type) IsNamed(path, name string) bool {
	return t != nil && t.Kind == Named && t.Ident.ImportPath == path && t.Ident.Name == name
}

// Resolved follows Named types to their underlying type.
func (t *Type) Resolved() *Type {
	for t != nil && t.Kind == Named && t.Underlying != nil {
		t = t.Underlying
	}
	return t
}

// IsScalar reports whether values of t can be written as one path or query
// string: basic types, named types over them, time.Time and time.Duration.
func (t *Type) IsScalar() bool {
	if t.IsNamed("time", "Time") || t.IsNamed("time", "Duration") {
		return true
	}
	r := t.Resolved()
	return r != nil && r.Kind == Basic
}

// String renders the type roughly as Go source, for messages and docs.
func (t *Type) String() string {
	if t == nil {
		return "<nil>"
	}
	switch t.Kind {
	case Basic:
		return t.BasicName
	case Named:
		return t.Ident.String()
	case Pointer:
		return "*" + t.Elem.String()
	case Slice:
		return "[]" + t.Elem.String()
	case Array:
		return fmt.Sprintf("[%d]%s", t.Len, t.Elem.String())
	case Map:
		return "map[" + t.Key.String() + "]" + t.Elem.String()
	case Struct:
		return "struct{...}"
	case Any:
		return "any"
	case ErrorValue:
		return "error"
	}
	return "?"
}

// Error is a problem with the input at a position. Every loader error that
// can be pinned to the source is an *Error, so the CLI prints file:line:col.
type Error struct {
	Pos Pos
	// Msg says what is wrong; Hint says what to do about it.
	Msg  string
	Hint string
}

// Error renders "file:line:col: msg (hint)".
func (e *Error) Error() string {
	s := e.Msg
	if p := e.Pos.String(); p != "" {
		s = p + ": " + s
	}
	if e.Hint != "" {
		s += "\n\thint: " + e.Hint
	}
	return s
}

// Errorf builds a positioned *Error with a hint.
func Errorf(pos Pos, hint, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Hint: hint}
}
