package goparse

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
	"golang.org/x/tools/go/packages"
)

// loadMode is the least go/packages needs: syntax and types for the package
// itself, and the import graph, whose packages come from export data (no
// NeedDeps), so errors of imported packages can be reported.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
	packages.NeedTypes | packages.NeedImports

// load loads the package l.pattern names, with its kitforge-generated files
// reduced to their package clause, and checks for errors that block
// everything: syntax errors and packages that cannot be listed.
func (l *loader) load(ctx context.Context) error {
	if pkg := l.loadDirect(ctx); pkg != nil {
		l.pkg, l.direct = pkg, true
		return l.fatalErrors()
	}
	overlay := map[string][]byte{}
	if dir, ok := l.localDir(); ok {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return model.Errorf(model.Pos{File: l.pattern}, hintPattern, "no such directory")
		}
		// Blank generated files up front, so one go list suffices.
		stubGenerated(overlay, goFilesIn(dir))
	}
	pkg, err := l.loadOnce(ctx, overlay)
	if err != nil {
		return err
	}
	// A pattern that is not a plain directory: look at the files go list
	// found, and load again if some were generated.
	n := len(overlay)
	if stubGenerated(overlay, pkg.GoFiles); len(overlay) > n {
		if pkg, err = l.loadOnce(ctx, overlay); err != nil {
			return err
		}
	}
	l.pkg = pkg
	return l.fatalErrors()
}

// loadOnce runs go/packages and returns the one package the pattern matches.
//
// The overlay goes to go list as -overlay, and to the parser through
// ParseFile, rather than through packages.Config.Overlay: with the latter,
// go/packages distrusts export data and type-checks every dependency, the
// standard library included, from source (a no-op regeneration then cost
// 5x the time and 20x the memory of a first one).
func (l *loader) loadOnce(ctx context.Context, overlay map[string][]byte) (*packages.Package, error) {
	cfg := &packages.Config{
		Context:   ctx,
		Mode:      loadMode,
		Dir:       l.dir,
		Fset:      l.fset,
		ParseFile: parseDeclarations,
	}
	if len(overlay) > 0 {
		flag, cleanup, err := writeOverlay(overlay)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		cfg.BuildFlags = []string{flag}
		cfg.ParseFile = func(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
			if stub, ok := overlay[filename]; ok {
				src = stub
			}
			return parseDeclarations(fset, filename, src)
		}
	}
	pkgs, err := packages.Load(cfg, l.pattern)
	if err != nil {
		return nil, model.Errorf(model.Pos{File: l.pattern}, "check that the go command works in "+l.dir,
			"cannot load %s: %v", l.pattern, err)
	}
	switch len(pkgs) {
	case 0:
		return nil, model.Errorf(model.Pos{File: l.pattern}, hintPattern, "pattern matches no Go package")
	case 1:
		return pkgs[0], nil
	}
	var paths []string
	for _, p := range pkgs {
		paths = append(paths, p.PkgPath)
	}
	return nil, model.Errorf(model.Pos{File: l.pattern}, hintPattern,
		"pattern matches %d packages (%s); name the one that declares the service", len(pkgs), strings.Join(paths, ", "))
}

const hintPattern = "pass the directory of the package that declares the service interface, e.g. ./pkg/calcservice"

// fatalErrors reports the first syntax error of the package, or the first
// error go list had with the package itself. Type errors are judged later,
// once it is known which declarations the service depends on.
func (l *loader) fatalErrors() error {
	for _, e := range l.pkg.Errors {
		if e.Kind == packages.ParseError {
			return model.Errorf(l.posString(e.Pos), "fix the syntax error; kitforge reads the package with the Go type checker", "%s", e.Msg)
		}
	}
	for _, e := range l.pkg.Errors {
		// "# pkg\n..." is go list's failed compilation of the package
		// itself: type errors, judged later.
		if e.Kind == packages.ListError && !strings.HasPrefix(e.Msg, "# ") {
			if ce := l.cycleError(e); ce != nil {
				return ce
			}
			pos := l.posString(e.Pos)
			if !pos.IsValid() {
				pos.File = l.pattern
			}
			// go list names directories by absolute path.
			msg := strings.ReplaceAll(e.Msg, l.dir+string(filepath.Separator), "")
			return model.Errorf(pos, hintPattern, "%s", msg)
		}
	}
	if l.pkg.Types == nil || len(l.pkg.Syntax) == 0 {
		return model.Errorf(model.Pos{File: l.pattern}, hintPattern, "package %s has no Go files to read", l.pkg.PkgPath)
	}
	return nil
}

// localDir returns the directory a pattern names when it is a plain
// directory ("." , "./pkg/x", "../x", "/abs/x"), not a "..." wildcard or
// an import path.
func (l *loader) localDir() (string, bool) {
	p := l.pattern
	if strings.Contains(p, "...") || !(filepath.IsAbs(p) || build.IsLocalImport(p)) {
		return "", false
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(l.dir, p)
	}
	return p, true
}

// parseDeclarations parses a file of the package and drops its function
// bodies: the service is made of declarations, so the type checker need not
// look inside bodies (where errors would be ignored anyway). Syntax errors
// in bodies are still reported.
func parseDeclarations(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
	if f != nil {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				fd.Body = nil
			}
		}
	}
	return f, err
}

// writeOverlay writes the overlay's files and the JSON file go build's
// -overlay flag reads into a temporary directory, and returns the flag and
// a function that removes them.
func writeOverlay(overlay map[string][]byte) (string, func(), error) {
	dir, err := os.MkdirTemp("", "kitforge-overlay-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	replace := map[string]string{}
	i := 0
	for path, content := range overlay {
		i++
		tmp := filepath.Join(dir, fmt.Sprintf("%d.go", i))
		if err := os.WriteFile(tmp, content, 0o644); err != nil {
			cleanup()
			return "", nil, err
		}
		replace[path] = tmp
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "overlay.json"), data, 0o644)
	}
	if err != nil {
		cleanup()
		return "", nil, err
	}
	return "-overlay=" + filepath.Join(dir, "overlay.json"), cleanup, nil
}
