package protoparse

import (
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/kitforge/kitforge/generator/model"
)

// Config says which .proto files to load and where their Go code goes.
type Config struct {
	// Dir is the directory relative paths start from (the directory of
	// kitforge.yaml); error messages name files relative to it.
	Dir string
	// Files are the .proto files whose services kitforge generates,
	// relative to Dir or absolute.
	Files []string
	// ImportPaths are the directories imports are searched in, in order,
	// relative to Dir or absolute (protoc's -I); empty means Dir itself. Each
	// of Files must be inside one of them; its import path is its path
	// relative to the first one that holds it.
	ImportPaths []string
	// ModuleRoot is the absolute directory of go.mod and Module its module
	// path: the Go code of every local .proto file goes inside it.
	ModuleRoot, Module string
	// PBDir is the directory, relative to ModuleRoot and slash-separated,
	// under which the Go packages derived from proto packages go
	// ("pkg/pb": package acme.users.v1 goes to pkg/pb/acme/users/v1).
	PBDir string
	// GoPackages are --go-package overrides: "IMPORT_PATH[;NAME]" is the Go
	// package of the files in Files, "FILE=IMPORT_PATH[;NAME]" that of the
	// local file imported as FILE. The import path must be inside Module.
	GoPackages []string
	// ServicePackage places the generated Go package of a service (its
	// interface) from the service's short name ("library"): import path,
	// package name, and directory relative to ModuleRoot.
	ServicePackage func(name string) (path, pkgName, dir string)
}

// Result is what Load found and compiled.
type Result struct {
	// Services are the services declared in Config.Files, in file and
	// declaration order.
	Services []*Service
	// Files are the local .proto files, the ones in Config.Files first, then
	// the local files they import.
	Files []*File
	// Notes are lines to show the user: Go packages kitforge derived, and
	// rpcs that are served on gRPC only.
	Notes []string

	outputs func() ([]Output, error)
}

// Outputs waits for and returns the Go files protoc-gen-go and kitforge's
// gRPC glue write for the local files, in Files order, each placed in its Go
// package.
func (r *Result) Outputs() ([]Output, error) { return r.outputs() }

// File is one local .proto file.
type File struct {
	// Abs is the file's absolute path; Display how messages name it.
	Abs, Display string
	// ImportPath is the path other files import it by ("library/v1/library.proto").
	ImportPath string
	// Package is the proto package ("acme.library.v1").
	Package string
	// Go is the Go package of its generated code.
	Go GoPackage
	// Root reports whether the file is one of Config.Files.
	Root bool
}

// GoPackage is a Go package inside the module.
type GoPackage struct {
	Path string // import path
	Name string // package name
	Dir  string // directory relative to the module root, slash-separated
}

// Output is one generated Go file.
type Output struct {
	// Path is relative to the module root, slash-separated.
	Path    string
	Content []byte
}

// Service is one proto service, with what the model does not say.
type Service struct {
	// Model is the service as every emitter sees it. Its GoName is the
	// service's Go name in the generated code ("LibraryService", as in
	// LibraryServiceServer and LibraryService_ServiceDesc).
	Model *model.Service
	// FullName is the proto name gRPC routes by ("acme.users.v1.Users").
	FullName string
	// File is the import path of the .proto file that declares it.
	File string
	// PB is the Go package of the file that declares the service: its
	// messages, XServer, RegisterXServer and X_ServiceDesc.
	PB GoPackage
	// Methods are in declaration order, one per Model.Methods entry.
	Methods []*Method
}

// Method is one rpc.
type Method struct {
	Model *model.Method
	// ProtoName is the rpc's name in the .proto file ("GetBook"); gRPC calls
	// it /FullName/ProtoName.
	ProtoName string
	// Input and Output are the Go types of the request and response messages.
	Input, Output model.Ident
	// StreamAlias is the name of the stream type alias that the generated
	// service package declares for a streaming rpc ("SubscribeStream").
	StreamAlias string
	// Desc is the compiled rpc: its messages' fields, for samples and
	// schemas.
	Desc protoreflect.MethodDescriptor
}
