package pbgo

import (
	"context"

	"github.com/bufbuild/protocompile/linker"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Source is one .proto file.
type Source struct {
	// Path is the file's path as other files import it: relative and
	// slash-separated ("calcpb/calc.proto"). Generated files go beside it.
	Path string
	// Content is the file's text.
	Content []byte
	// File names the file in error messages, e.g. its path relative to the
	// working directory; empty means Path.
	File string
}

// Options says what to compile and what to generate.
type Options struct {
	// Sources are the files to generate for, plus any local files they
	// import. They come first when imports are resolved.
	Sources []Source
	// ImportPaths are directories on disk searched, in order, for imports
	// that are not among the Sources (protoc's -I).
	ImportPaths []string
	// Generate lists the Source paths to write Go code for, in the order
	// the outputs come back; empty means every Source.
	Generate []string
	// GoPackage maps a .proto path to the Go package of its generated code,
	// as "import/path" or "import/path;name" (protoc-gen-go's M flag). An
	// entry wins over the file's go_package option: use it when go_package
	// is absent or names a package outside the module being generated. It
	// may name any file in the compilation, imported ones included.
	GoPackage map[string]string
}

// Output is one generated file.
type Output struct {
	// Path is where the file goes, relative to the directory the Source
	// paths are relative to: beside its .proto, as protoc-gen-go writes
	// with paths=source_relative ("calcpb/calc.pb.go").
	Path string
	// Content is the file's Go source, gofmt'd.
	Content []byte
}

// Compile compiles the Sources and writes, for every file to generate, its
// .pb.go (byte-identical to protoc-gen-go's except for the compiler version
// line, see the package documentation) and, when it declares services, its
// _grpc.pb.go. Outputs come in Generate order, each .pb.go before its glue.
//
// It also returns the compiled descriptors of the files to generate, in the
// same order, with source locations and comments; their imports are
// reachable through Imports.
//
// Problems in the input come back as *model.Error values with the
// file:line:col of the problem; when there are several they are joined with
// errors.Join, in position order, and errors.As finds the first.
//
// Compile is Link followed by Generate.
func Compile(ctx context.Context, opts Options) ([]Output, []protoreflect.FileDescriptor, error) {
	c, err := Link(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	outs, err := c.Generate()
	if err != nil {
		return nil, nil, err
	}
	return outs, c.Files(), nil
}

// Compiled is a compilation whose Go code is not written yet: its
// descriptors are there at once, and Generate writes the code, so that a
// caller can work with the descriptors meanwhile.
type Compiled struct {
	in    *input
	files linker.Files
}

// Link compiles the Sources as Compile does, without writing Go code.
// Problems in the input come back as Compile's do.
func Link(ctx context.Context, opts Options) (*Compiled, error) {
	in, err := newInput(opts)
	if err != nil {
		return nil, err
	}
	files, err := compile(ctx, in)
	if err != nil {
		return nil, err
	}
	return &Compiled{in: in, files: files}, nil
}

// Files returns the descriptors of the files to generate, in Generate
// order, as Compile does.
func (c *Compiled) Files() []protoreflect.FileDescriptor {
	fds := make([]protoreflect.FileDescriptor, len(c.files))
	for i, f := range c.files {
		fds[i] = f
	}
	return fds
}

// Generate writes the Go code of the files to generate, as Compile does. It
// only reads the descriptors, so other goroutines may read them meanwhile.
func (c *Compiled) Generate() ([]Output, error) {
	req, err := newRequest(c.files, c.in)
	if err != nil {
		return nil, err
	}
	return generate(req, c.in)
}
