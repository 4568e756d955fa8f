package pbgo

import (
	"fmt"

	gengo "google.golang.org/protobuf/cmd/protoc-gen-go/internal_gengo"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/gofeaturespb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/kitforge/kitforge/generator/model"
)

const hintGenerate = "check the go_package options (and --go-package overrides) of the files named in the message"

// generate runs protoc-gen-go's generator on the request, then kitforge's
// gRPC glue emitter on every file to generate that declares services.
func generate(req *pluginpb.CodeGeneratorRequest, in *input) ([]Output, error) {
	gen, err := protogen.Options{}.New(req)
	if err != nil {
		return nil, &model.Error{Msg: "protoc-gen-go: " + err.Error(), Hint: hintGenerate}
	}
	if err := resolveOptions(gen); err != nil {
		return nil, err
	}
	for _, name := range in.generate {
		gengo.GenerateFile(gen, gen.FilesByPath[name])
	}
	resp := gen.Response()
	if resp.Error != nil {
		return nil, &model.Error{Msg: "protoc-gen-go: " + resp.GetError(), Hint: hintGenerate}
	}
	rest := resp.File
	var outs []Output
	for _, name := range in.generate {
		f := gen.FilesByPath[name]
		// One .pb.go, plus a _protoopaque.pb.go variant for the hybrid API.
		for len(rest) > 0 && (rest[0].GetName() == f.GeneratedFilenamePrefix+".pb.go" ||
			rest[0].GetName() == f.GeneratedFilenamePrefix+"_protoopaque.pb.go") {
			outs = append(outs, Output{Path: rest[0].GetName(), Content: []byte(rest[0].GetContent())})
			rest = rest[1:]
		}
		if len(f.Services) == 0 {
			continue
		}
		glue, err := grpcFile(gen, f)
		if err != nil {
			return nil, err
		}
		outs = append(outs, Output{Path: f.GeneratedFilenamePrefix + "_grpc.pb.go", Content: glue})
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("pbgo: unexpected protoc-gen-go output %q", rest[0].GetName())
	}
	return outs, nil
}

// resolveOptions re-reads every file's options the way the protoc-gen-go
// binary ends up reading them: custom options declared at the top level of
// the request's files become dynamic extensions, and go_features is the only
// generated extension type. protogen would otherwise prefer whatever
// extension types happen to be linked into kitforge (genproto's google.api
// types, say), and those serialise message-valued options in a different
// field order, changing the raw descriptor in the .pb.go.
func resolveOptions(gen *protogen.Plugin) error {
	types := new(protoregistry.Types)
	if err := types.RegisterExtension(gofeaturespb.E_Go); err != nil {
		return err
	}
	for _, f := range gen.Files {
		exts := f.Desc.Extensions()
		for i := range exts.Len() {
			xd := exts.Get(i)
			if _, err := types.FindExtensionByName(xd.FullName()); err == nil {
				continue
			}
			if err := types.RegisterExtension(dynamicpb.NewExtensionType(xd)); err != nil {
				return err
			}
		}
	}
	for _, f := range gen.Files {
		b, err := proto.Marshal(f.Proto)
		if err != nil {
			return err
		}
		if err := (proto.UnmarshalOptions{Resolver: types}).Unmarshal(b, f.Proto); err != nil {
			return err
		}
	}
	return nil
}
