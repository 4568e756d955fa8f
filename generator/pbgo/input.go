package pbgo

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

const hintSourcePath = `name each source by its import path: relative, slash-separated, ending in ".proto" (e.g. "calcpb/calc.proto")`

// input is Options, checked and indexed.
type input struct {
	sources     map[string][]byte // import path → content
	files       map[string]string // import path → name for messages
	importPaths []string
	generate    []string
	goPackage   map[string]string
}

// newInput checks the options: source paths must be valid import paths,
// unique, and every file to generate must be a source.
func newInput(opts Options) (*input, error) {
	in := &input{
		sources:     make(map[string][]byte, len(opts.Sources)),
		files:       make(map[string]string, len(opts.Sources)),
		importPaths: opts.ImportPaths,
		generate:    opts.Generate,
		goPackage:   opts.GoPackage,
	}
	for _, s := range opts.Sources {
		pos := model.Pos{File: s.File}
		if pos.File == "" {
			pos.File = s.Path
		}
		if !fs.ValidPath(s.Path) || !strings.HasSuffix(s.Path, ".proto") {
			return nil, model.Errorf(pos, hintSourcePath, "%q is not a .proto import path", s.Path)
		}
		if _, dup := in.sources[s.Path]; dup {
			return nil, model.Errorf(pos, "give each source once", "source %q appears twice", s.Path)
		}
		in.sources[s.Path] = s.Content
		in.files[s.Path] = pos.File
		if len(opts.Generate) == 0 {
			in.generate = append(in.generate, s.Path)
		}
	}
	if len(in.generate) == 0 {
		return nil, fmt.Errorf("pbgo: no .proto sources to compile")
	}
	for i, name := range in.generate {
		if _, ok := in.sources[name]; !ok {
			return nil, fmt.Errorf("pbgo: %q is to be generated but is not among the sources", name)
		}
		if slices.Contains(in.generate[:i], name) {
			return nil, fmt.Errorf("pbgo: %q is listed twice to be generated", name)
		}
	}
	for _, name := range sortedKeys(in.goPackage) {
		if v := in.goPackage[name]; v == "" || strings.ContainsAny(v, ",= ") {
			return nil, fmt.Errorf(`pbgo: Go package %q for %q: want "import/path" or "import/path;name"`, v, name)
		}
	}
	return in, nil
}

// display names a file for messages: as the caller named it, else its import path.
func (in *input) display(name string) string {
	if f, ok := in.files[name]; ok {
		return f
	}
	return name
}

// parameter is the protoc-gen-go parameter string: source-relative paths and
// one M flag per Go package override, sorted by file.
func (in *input) parameter() string {
	params := []string{"paths=source_relative"}
	for _, name := range sortedKeys(in.goPackage) {
		params = append(params, "M"+name+"="+in.goPackage[name])
	}
	return strings.Join(params, ",")
}

// sortedKeys returns the keys of m in order, so output never depends on map order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
