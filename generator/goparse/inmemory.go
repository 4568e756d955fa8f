package goparse

import (
	"go/build"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/packages"

	"github.com/kitforge/kitforge/generator/model"
)

// LoadInMemory is Load without the go command, for callers that load many
// packages against one set of dependencies (the fuzz tests): it reads the
// package in the plain directory cfg.Pattern names, parses it as Load does
// (kitforge-generated files reduced to their package clause, function
// bodies dropped), type-checks it in-process with imp resolving every
// import, and describes its service with the same code as Load.
//
// fset must be the file set imp reads its packages into, so that the
// positions of imported declarations (whose doc comments are read from
// their files) mean something. Load stays what kitforge runs: go list
// reports problems of the build (build constraints, cgo, module
// resolution) that imp may not.
func LoadInMemory(cfg Config, fset *token.FileSet, imp types.Importer) (*model.Service, error) {
	l, err := newLoader(cfg)
	if err != nil {
		return nil, err
	}
	l.fset = fset
	dir, ok := l.localDir()
	if !ok {
		return nil, model.Errorf(model.Pos{File: l.pattern}, hintPattern, "LoadInMemory takes a directory, not %s", l.pattern)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, model.Errorf(model.Pos{File: l.pattern}, hintPattern, "no such directory")
	}
	ip, err := importPathOf(dir)
	if err != nil {
		return nil, model.Errorf(model.Pos{File: l.pattern}, hintPattern, "%v", err)
	}
	if l.pkg, err = checkInMemory(fset, dir, ip, imp); err != nil {
		return nil, err
	}
	if err := l.fatalErrors(); err != nil {
		return nil, err
	}
	return l.service()
}

// checkInMemory parses the non-test Go files of dir that the default build
// context includes and type-checks them as package ip, filling what the
// loader reads of a *packages.Package.
func checkInMemory(fset *token.FileSet, dir, ip string, imp types.Importer) (*packages.Package, error) {
	var paths []string
	for _, p := range goFilesIn(dir) {
		if ok, err := build.Default.MatchFile(dir, filepath.Base(p)); err == nil && ok {
			paths = append(paths, p)
		}
	}
	overlay := map[string][]byte{}
	stubGenerated(overlay, paths)
	pkg := &packages.Package{ID: ip, PkgPath: ip, Dir: dir, GoFiles: paths, Fset: fset}
	for _, p := range paths {
		src, ok := overlay[p]
		if !ok {
			var err error
			if src, err = os.ReadFile(p); err != nil {
				return nil, model.Errorf(model.Pos{File: p}, hintPattern, "%v", err)
			}
		}
		f, err := parseDeclarations(fset, p, src)
		if el, ok := err.(scanner.ErrorList); ok && len(el) > 0 {
			pkg.Errors = append(pkg.Errors, packages.Error{Pos: el[0].Pos.String(), Msg: el[0].Msg, Kind: packages.ParseError})
		}
		if f != nil {
			pkg.Syntax = append(pkg.Syntax, f)
		}
	}
	if len(pkg.Syntax) == 0 {
		return pkg, nil
	}
	pkg.Name = pkg.Syntax[0].Name.Name
	for _, f := range pkg.Syntax[1:] {
		if n := f.Name.Name; n != pkg.Name {
			pos := fset.Position(f.Name.Pos())
			pkg.Errors = append(pkg.Errors, packages.Error{Pos: pos.String(), Kind: packages.ListError,
				Msg: "found packages " + pkg.Name + " and " + n + " in " + dir})
		}
	}
	conf := types.Config{
		Importer: imp,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				pkg.TypeErrors = append(pkg.TypeErrors, te)
			}
		},
	}
	pkg.Types, _ = conf.Check(ip, fset, pkg.Syntax, nil)
	return pkg, nil
}

// importPathOf is the import path of dir: the module path of the go.mod
// above it and dir's path below that go.mod.
func importPathOf(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			mp := modfile.ModulePath(data)
			rel, err := filepath.Rel(d, dir)
			if mp == "" || err != nil {
				return "", os.ErrNotExist
			}
			return path.Clean(mp + "/" + filepath.ToSlash(rel)), nil
		}
		if filepath.Dir(d) == d {
			return "", os.ErrNotExist
		}
	}
}
