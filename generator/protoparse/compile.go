package protoparse

import (
	"context"
	"path"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/pbgo"
)

// compile compiles every local file with pbgo and places each output in the
// Go package of its file. It returns the descriptors by import path.
func (l *loader) compile(ctx context.Context) ([]Output, map[string]protoreflect.FileDescriptor, error) {
	opts := pbgo.Options{GoPackage: map[string]string{}}
	for _, s := range l.sources {
		opts.Sources = append(opts.Sources, pbgo.Source{Path: s.ImportPath, Content: s.content, File: s.Display})
		opts.Generate = append(opts.Generate, s.ImportPath)
		opts.GoPackage[s.ImportPath] = s.Go.Path + ";" + s.Go.Name
	}
	outs, fds, err := pbgo.Compile(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	byImport := make(map[string]protoreflect.FileDescriptor, len(fds))
	for _, fd := range fds {
		byImport[fd.Path()] = fd
	}
	var placed []Output
	owner := map[string]*source{}
	for _, o := range outs {
		s := l.outputOwner(o.Path)
		if s == nil {
			return nil, nil, &model.Error{Msg: "pbgo wrote " + o.Path + ", which belongs to no source"}
		}
		p := path.Join(s.Go.Dir, path.Base(o.Path))
		if other, dup := owner[p]; dup && other != s {
			return nil, nil, model.Errorf(model.Pos{File: s.Display}, "rename one of the files, or give them different Go packages with --go-package",
				"%s and %s both write %s", other.Display, s.Display, p)
		}
		owner[p] = s
		placed = append(placed, Output{Path: p, Content: o.Content})
	}
	return placed, byImport, nil
}

// outputOwner finds the source an output was generated for: outputs are
// named after their .proto ("a/b.proto" → "a/b.pb.go", "a/b_grpc.pb.go").
func (l *loader) outputOwner(out string) *source {
	for _, s := range l.sources {
		prefix := strings.TrimSuffix(s.ImportPath, ".proto")
		for _, suffix := range []string{".pb.go", "_grpc.pb.go", "_protoopaque.pb.go"} {
			if out == prefix+suffix {
				return s
			}
		}
	}
	return nil
}
