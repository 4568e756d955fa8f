// Package pbgo compiles .proto sources in-process and writes the Go files
// that protoc would: the message code of `protoc --go_out=paths=source_relative`
// and the gRPC service glue, with no protoc and no plugin binary.
//
// The .proto files are compiled with github.com/bufbuild/protocompile; the
// descriptors go, as a CodeGeneratorRequest, through protobuf-go's own
// generator (compiler/protogen and cmd/protoc-gen-go/internal_gengo), so a
// .pb.go is byte-identical to what protoc-gen-go of the same protobuf-go
// version writes when protoc runs it — with one documented exception, the
// compiler version line of the header:
//
//	// 	protoc        (unknown)
//
// protoc-gen-go copies that line from the compiler_version field of the
// request, which protoc fills with its own version. kitforge is not protoc, so
// it leaves the field empty, as buf does, rather than claim a protoc version:
// the line would otherwise be false, and it would have to change whenever
// someone compared against a different protoc. Everything else, including the
// embedded raw descriptor, matches byte for byte.
//
// The gRPC glue (<name>_grpc.pb.go) is kitforge's own, written with jennifer:
// full method name constants, the XServer interface with grpc's generic stream
// types, UnimplementedXServer, RegisterXServer, the handlers, X_ServiceDesc and
// a typed XClient, in the shape protoc-gen-go-grpc gives them (gRPC-Go ≥ 1.64).
//
// Imports resolve the way protoc resolves them, first match wins: the Sources,
// then the ImportPaths on disk, then the files kitforge bundles — the
// well-known types (google/protobuf/*.proto, as compiled into protobuf-go) and
// google/api/{annotations,http,field_behavior,resource,client,launch_stage}.proto
// (embedded sources, see third_party/googleapis/README.md).
package pbgo
