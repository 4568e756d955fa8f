package protoparse

import (
	"context"
	"path"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/pbgo"
)

// compile compiles every local file with pbgo and returns the descriptors
// by import path, and a function that waits for the Go code, which pbgo
// writes in the background meanwhile, each output placed in the Go package
// of its file.
func (l *loader) compile(ctx context.Context) (map[string]protoreflect.FileDescriptor, func() ([]Output, error), error) {
	opts := pbgo.Options{GoPackage: map[string]string{}}
	for _, s := range l.sources {
		opts.Sources = append(opts.Sources, pbgo.Source{Path: s.ImportPath, Content: s.content, File: s.Display})
		opts.Generate = append(opts.Generate, s.ImportPath)
		opts.GoPackage[s.ImportPath] = s.Go.Path + ";" + s.Go.Name
	}
	compiled, err := pbgo.Link(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	byImport := map[string]protoreflect.FileDescriptor{}
	for _, fd := range compiled.Files() {
		byImport[fd.Path()] = fd
	}
	var (
		placed []Output
		genErr error
		done   = make(chan struct{})
	)
	go func() {
		defer close(done)
		outs, err := compiled.Generate()
		if err != nil {
			genErr = err
			return
		}
		placed, genErr = l.place(outs)
	}()
	return byImport, func() ([]Output, error) {
		<-done
		return placed, genErr
	}, nil
}

// place puts each output in the Go package of the file it was generated for.
func (l *loader) place(outs []pbgo.Output) ([]Output, error) {
	var placed []Output
	owner := map[string]*source{}
	for _, o := range outs {
		s := l.outputOwner(o.Path)
		if s == nil {
			return nil, &model.Error{Msg: "pbgo wrote " + o.Path + ", which belongs to no source"}
		}
		p := path.Join(s.Go.Dir, path.Base(o.Path))
		if other, dup := owner[p]; dup && other != s {
			return nil, model.Errorf(model.Pos{File: s.Display}, "rename one of the files, or give them different Go packages with --go-package",
				"%s and %s both write %s", other.Display, s.Display, p)
		}
		owner[p] = s
		placed = append(placed, Output{Path: p, Content: o.Content})
	}
	return placed, nil
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
