// Package protoparse loads the services declared in .proto files into the
// neutral model, and compiles the files (in-process, with pbgo) into the
// .pb.go and gRPC glue of the Go packages they belong to inside the module.
//
// github.com/emicklei/proto reads each file for what the user wrote and where
// (services, rpcs, comments, options, imports, all with positions); the
// descriptors pbgo compiles resolve what that means (the message an rpc
// takes, the field a google.api.http template names, the HttpRule itself).
// Every problem in the input is a *model.Error with the file:line:col of the
// problem.
//
// Imports resolve as protoc resolves them, through the import paths (-I):
// the files found there are local and are compiled into Go packages of the
// module; google/protobuf/* and the bundled google/api/* files use their
// published Go packages. A local file whose go_package names no package
// inside the module (absent, not an import path, or somewhere else, as in
// protos copied from published APIs) gets a Go package derived from its
// proto package under Config.PBDir, and Result.Notes says so.
package protoparse
