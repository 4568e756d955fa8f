// Package goparse describes a Go service interface as a *model.Service.
//
// It loads one package with go/packages: the package itself from source
// (for doc comments, directives and positions), its dependencies from
// export data, which is what `go list -export` already computes. Files that
// kitforge generated are reduced to their package clause through an
// overlay, so stale generated code never blocks a regeneration, and type
// errors outside the interface and the types it uses (an implementation
// that lacks a new method, say) are ignored: regeneration is about to fix
// them.
//
// A package in a plain directory of the main module that imports only
// packages of other modules (the usual service package) skips go/packages:
// its files are parsed and type-checked in process against the export data
// files that Config.Exports names, which the gate's cache keeps per module
// graph, so a warm run starts no go command (go/packages runs three). What
// that path cannot be sure to do as go/packages does (cgo, build tags in
// GOFLAGS, a workspace, vendoring, an import of the module's own packages,
// a syntax error, a failing import) goes through go/packages.
package goparse

import (
	"context"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"github.com/kitforge/kitforge/generator/model"
	"golang.org/x/tools/go/packages"
)

// Config says which package to load and which interface to use.
type Config struct {
	// Dir is the working directory (a module root or a directory inside a
	// module); Pattern and error positions are relative to it. "" means
	// the current directory.
	Dir string
	// Pattern is the package pattern, e.g. "./pkg/calcservice"; "" means ".".
	// It must match exactly one package.
	Pattern string
	// Interface names the service interface. "" finds it: the interface
	// whose doc comment holds //kitforge:service, else the package's only
	// exported interface.
	Interface string
	// Name is the service's short name. "" derives it from the package
	// name without a trailing "service" ("calcservice" → "calc").
	Name string
	// GeneratedNames are the package-level names that kitforge's generated
	// files declare in the package (ErrNotImplemented, Errorf, ...). The
	// user's code may use them before they exist (a first run, a deleted
	// generated file): "undefined" errors about them never block loading,
	// nor do those about names that generated files on disk declare.
	GeneratedNames []string
	// Exports, when set, lets Load skip go/packages for a package that
	// imports only packages from outside its module (see loadDirect): it
	// names their export data files, from a cache when it can.
	Exports ExportsFunc
}

// Load loads the package cfg names and describes its service interface.
// Every error about the input is a *model.Error with a position, a message
// and a hint.
func Load(ctx context.Context, cfg Config) (*model.Service, error) {
	l, err := newLoader(cfg)
	if err != nil {
		return nil, err
	}
	if err := l.load(ctx); err != nil {
		return nil, err
	}
	return l.service()
}

// loader holds the state of one Load call.
type loader struct {
	cfg     Config
	dir     string // absolute cfg.Dir
	pattern string
	pkg     *packages.Package
	fset    *token.FileSet
	// specs indexes the type declarations of the package by name position.
	specs map[token.Pos]*ast.TypeSpec
	// foreign caches files of other packages parsed for doc comments.
	foreign map[string]*ast.File
	// relFiles caches file names as positions show them.
	relFiles map[string]string
	// ranges are the declarations whose type errors block loading: the
	// interface, the interfaces it embeds and the package's types its
	// methods use.
	ranges []span
	conv   *converter
	// direct is true when the package was loaded without go/packages.
	direct bool
}

// span is a source range [from, to).
type span struct{ from, to token.Pos }

func newLoader(cfg Config) (*loader, error) {
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, model.Errorf(model.Pos{File: cfg.Dir}, "pass an existing directory", "cannot resolve directory: %v", err)
	}
	pattern := cfg.Pattern
	if pattern == "" {
		pattern = "."
	}
	l := &loader{cfg: cfg, dir: dir, pattern: pattern, fset: token.NewFileSet(),
		foreign: map[string]*ast.File{}, relFiles: map[string]string{}}
	l.conv = &converter{l: l, named: map[*types.TypeName]*model.Type{}}
	return l, nil
}
