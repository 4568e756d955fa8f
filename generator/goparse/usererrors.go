package goparse

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

const hintUserError = "fix this error in your code (the build fails on it too), then run kitforge again"

// userTypeError returns the first type error in the user's own files of the
// package, outside the declarations the service depends on (those are
// blockingTypeError's), or nil. Not reported, because regeneration is about
// to fix them or because they come from how the loader reads the package:
//   - soft errors, such as imports that only function bodies use (bodies are
//     not loaded);
//   - "X does not implement Y": an implementation that lacks a method the
//     interface just gained, or has an old signature;
//   - "undefined: X" where X is declared in a kitforge-generated file of the
//     package, which the loader reduces to its package clause, or is one of
//     Config.GeneratedNames;
//   - errors in the signatures of exported methods in a file kitforge
//     scaffolded (service_impl.go): merging rewrites them to the
//     interface's, or moves them into a comment when they left it.
func (l *loader) userTypeError() *model.Error {
	var generated map[string]bool // names declared in generated files, read on first need
	merged := l.scaffoldedSignatures()
	var first *types.Error
	for i := range l.pkg.TypeErrors {
		e := &l.pkg.TypeErrors[i]
		if e.Soft || continuation(e) || l.tracked(e.Pos) || within(merged, e.Pos) || strings.Contains(e.Msg, "does not implement") {
			continue
		}
		if name, ok := strings.CutPrefix(e.Msg, "undefined: "); ok {
			if generated == nil {
				generated = l.generatedNames()
			}
			if generated[name] {
				continue
			}
		}
		if first == nil || l.before(e.Pos, first.Pos) {
			first = e
		}
	}
	if first == nil {
		return nil
	}
	return model.Errorf(l.position(first.Pos), hintUserError, "%s", first.Msg)
}

// generatedNames returns the package-level names that the package's
// kitforge-generated files declare on disk, and Config.GeneratedNames.
func (l *loader) generatedNames() map[string]bool {
	names := map[string]bool{}
	for _, n := range l.cfg.GeneratedNames {
		names[n] = true
	}
	for _, p := range l.pkg.GoFiles {
		src, err := os.ReadFile(p)
		if err != nil || !IsKitforgeGenerated(src) {
			continue
		}
		f, _ := parser.ParseFile(token.NewFileSet(), p, src, parser.SkipObjectResolution)
		if f == nil {
			continue
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						names[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names[n.Name] = true
						}
					}
				}
			}
		}
	}
	return names
}

// scaffoldHeader starts the first line of the files kitforge scaffolds and
// then merges.
const scaffoldHeader = "// Scaffolded by kitforge:"

// scaffoldedSignatures returns the signatures of the exported methods
// declared in scaffolded files: the code a merge rewrites.
func (l *loader) scaffoldedSignatures() []span {
	var out []span
	for _, f := range l.pkg.Syntax {
		if len(f.Comments) == 0 || f.Comments[0].Pos() > f.Package ||
			!strings.HasPrefix(f.Comments[0].List[0].Text, scaffoldHeader) {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && fd.Name.IsExported() {
				out = append(out, span{fd.Pos(), fd.Type.End()})
			}
		}
	}
	return out
}

// within reports whether p is inside one of spans.
func within(spans []span, p token.Pos) bool {
	for _, s := range spans {
		if s.from <= p && p < s.to {
			return true
		}
	}
	return false
}
