package goparse

import (
	"go/parser"
	"go/token"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/kitforge/kitforge/generator/model"
)

const hintCycle = "break the cycle: move what both packages need into a package that imports neither, then run kitforge again"

// cycleError turns go list's "import cycle not allowed: import stack: [a b
// a]" about the service's package into an error at the import in the
// package's own files that starts the cycle, naming the import that closes
// it; nil when e is not such an error or the import is not found.
func (l *loader) cycleError(e packages.Error) *model.Error {
	const marker = "import cycle not allowed: import stack: ["
	_, stack, ok := strings.Cut(e.Msg, marker)
	if !ok {
		return nil
	}
	paths := strings.Fields(strings.TrimSuffix(strings.TrimSpace(stack), "]"))
	if len(paths) < 3 || paths[0] != l.pkg.PkgPath {
		return nil
	}
	pos, ok := importPos(l.pkg.GoFiles, paths[1])
	if !ok {
		return nil
	}
	from := paths[len(paths)-2]
	closing := from
	if p := findImported(l.pkg, from); p != nil {
		if cp, ok := importPos(p.GoFiles, paths[len(paths)-1]); ok {
			closing = l.rel(cp.Filename) + ":" + strconv.Itoa(cp.Line) + ":" + strconv.Itoa(cp.Column)
		}
	}
	return model.Errorf(model.Pos{File: l.rel(pos.Filename), Line: pos.Line, Col: pos.Column}, hintCycle,
		"import cycle not allowed: %s, which imports %s (%s)",
		strings.Join(paths[:len(paths)-1], " imports "), paths[0], closing)
}

// importPos is the position of the first import of path in files.
func importPos(files []string, path string) (token.Position, bool) {
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, spec := range f.Imports {
			if p, err := strconv.Unquote(spec.Path.Value); err == nil && p == path {
				return fset.Position(spec.Path.Pos()), true
			}
		}
	}
	return token.Position{}, false
}

// findImported finds the package with import path path among the
// dependencies of root.
func findImported(root *packages.Package, path string) *packages.Package {
	var found *packages.Package
	packages.Visit([]*packages.Package{root}, func(p *packages.Package) bool { return found == nil }, func(p *packages.Package) {
		if found == nil && p.PkgPath == path {
			found = p
		}
	})
	return found
}
