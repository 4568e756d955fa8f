package pbgo

import (
	"github.com/bufbuild/protocompile/linker"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/kitforge/kitforge/generator/model"
)

// newRequest builds the CodeGeneratorRequest protoc would send to
// protoc-gen-go: the files to generate with their source info, every file
// they import (dependencies first) without it, and no compiler version
// (see the package documentation).
func newRequest(files linker.Files, in *input) (*pluginpb.CodeGeneratorRequest, error) {
	req := &pluginpb.CodeGeneratorRequest{
		FileToGenerate: in.generate,
		Parameter:      proto.String(in.parameter()),
	}
	generate := make(map[string]bool, len(in.generate))
	for _, name := range in.generate {
		generate[name] = true
	}
	seen := map[string]bool{}
	var add func(fd protoreflect.FileDescriptor)
	add = func(fd protoreflect.FileDescriptor) {
		if seen[fd.Path()] {
			return
		}
		seen[fd.Path()] = true
		imports := fd.Imports()
		for i := range imports.Len() {
			add(imports.Get(i).FileDescriptor)
		}
		req.ProtoFile = append(req.ProtoFile, fileProto(fd, generate[fd.Path()]))
	}
	for _, f := range files {
		add(f)
	}
	for _, fdp := range req.ProtoFile {
		if err := in.checkGoPackage(fdp); err != nil {
			return nil, err
		}
	}
	return req, nil
}

// fileProto returns a copy of the file's descriptor proto, with source
// info only if withSourceInfo.
func fileProto(fd protoreflect.FileDescriptor, withSourceInfo bool) *descriptorpb.FileDescriptorProto {
	var fdp *descriptorpb.FileDescriptorProto
	if r, ok := fd.(linker.Result); ok {
		fdp = proto.CloneOf(r.FileDescriptorProto())
	} else {
		fdp = protodesc.ToFileDescriptorProto(fd)
	}
	if !withSourceInfo {
		fdp.SourceCodeInfo = nil
	}
	return fdp
}

// checkGoPackage reports a file whose Go package nobody named, at its
// package statement, before protoc-gen-go fails on it without a position.
func (in *input) checkGoPackage(fdp *descriptorpb.FileDescriptorProto) error {
	if fdp.GetOptions().GetGoPackage() != "" || in.goPackage[fdp.GetName()] != "" {
		return nil
	}
	pos := model.Pos{File: in.display(fdp.GetName()), Line: 1, Col: 1}
	for _, loc := range fdp.GetSourceCodeInfo().GetLocation() {
		if len(loc.Path) == 1 && loc.Path[0] == packageFieldNumber && len(loc.Span) >= 2 {
			pos.Line, pos.Col = int(loc.Span[0])+1, int(loc.Span[1])+1
			break
		}
	}
	return model.Errorf(pos,
		`add option go_package = "example.com/module/dir;name"; to the file, or give its Go package as a --go-package override`,
		"%s has no go_package option, so its Go import path is unknown", fdp.GetName())
}

// packageFieldNumber is FileDescriptorProto.package, the source path of a package statement.
const packageFieldNumber = 2
