package protoparse

import (
	"context"

	"github.com/kitforge/kitforge/generator/transcode"
)

// Load reads the .proto files of cfg and the local files they import,
// compiles them, and maps their services to the model; the Go code of the
// files is written in the background meanwhile (Result.Outputs waits for
// it). Problems in the input are *model.Error values with the file:line:col
// of the problem.
func Load(ctx context.Context, cfg Config) (*Result, error) {
	l, err := newLoader(cfg)
	if err != nil {
		return nil, err
	}
	if err := l.readAll(); err != nil {
		return nil, err
	}
	notes, err := l.resolveGoPackages()
	if err != nil {
		return nil, err
	}
	fds, outputs, err := l.compile(ctx)
	if err != nil {
		return nil, err
	}
	services, more, err := l.services(fds)
	if err != nil {
		outputs() // let the background generation finish
		return nil, err
	}
	res := &Result{Services: services, Notes: append(notes, more...), outputs: outputs}
	for _, s := range l.sources {
		res.Files = append(res.Files, s.File)
	}
	return res, nil
}

// shapeOf is a template's shape (variables unnamed), or the template itself
// when it does not parse (bindings are checked before shapes are compared).
func shapeOf(template string) string {
	t, err := transcode.ParseTemplate(template)
	if err != nil {
		return template
	}
	return t.Shape
}

// Discover reads the files of cfg and the local files they import, without
// compiling them: the files `kitforge new --proto` copies into a new module.
// Only Dir, Files and ImportPaths are used; syntax errors are reported.
func Discover(cfg Config) ([]*File, error) {
	l, err := newLoader(cfg)
	if err != nil {
		return nil, err
	}
	if err := l.readAll(); err != nil {
		return nil, err
	}
	files := make([]*File, len(l.sources))
	for i, s := range l.sources {
		files[i] = s.File
	}
	return files, nil
}
