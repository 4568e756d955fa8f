package goparse

import (
	"context"
	"go/build"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// ExportsFunc returns the export data file of every listed import path
// (outside the module at root) and of their dependencies, from go.mod and
// go.sum as they are on disk, or an error when any of them has one.
type ExportsFunc func(ctx context.Context, root string, paths []string) (map[string]string, error)

// loadDirect is the load without go/packages, for the common case where it
// is sure to give what go/packages gives: a plain directory of the main
// module whose files import only packages from outside the module, none
// of them cgo, with no syntax error. The package is parsed and checked in
// process; its imports come from the export data files cfg.Exports names
// (one `go list -export` call, whose answer the gate's cache keeps, so a
// warm run runs no go command at all, where go/packages runs three). It
// returns nil when the case is not that one, or anything fails: Load then
// goes through go/packages, which reports every problem as before.
func (l *loader) loadDirect(ctx context.Context) *packages.Package {
	if l.cfg.Exports == nil || !plainBuildEnv() {
		return nil
	}
	dir, ok := l.localDir()
	if !ok {
		return nil
	}
	root, modPath, goVersion, ok := moduleOf(dir)
	if !ok {
		return nil
	}
	ip := modPath
	if rel, err := filepath.Rel(root, dir); err != nil || strings.HasPrefix(rel, "..") {
		return nil
	} else if rel != "." {
		ip += "/" + filepath.ToSlash(rel)
	}
	paths, ok := buildFiles(dir)
	if !ok || len(paths) == 0 {
		return nil
	}
	overlay := map[string][]byte{}
	stubGenerated(overlay, paths)
	pkg := &packages.Package{ID: ip, PkgPath: ip, Dir: dir, GoFiles: paths, CompiledGoFiles: paths, Fset: l.fset}
	var imports []string
	for _, p := range paths {
		src, stubbed := overlay[p]
		if !stubbed {
			var err error
			if src, err = os.ReadFile(p); err != nil {
				return nil
			}
		}
		f, err := parseDeclarations(l.fset, p, src)
		if err != nil {
			return nil
		}
		if pkg.Name == "" {
			pkg.Name = f.Name.Name
		} else if f.Name.Name != pkg.Name {
			return nil
		}
		for _, spec := range f.Imports {
			dep, err := strconv.Unquote(spec.Path.Value)
			if err != nil || dep == "C" || dep == modPath || strings.HasPrefix(dep, modPath+"/") || build.IsLocalImport(dep) {
				return nil
			}
			if dep != "unsafe" && !slices.Contains(imports, dep) {
				imports = append(imports, dep)
			}
		}
		pkg.Syntax = append(pkg.Syntax, f)
	}
	slices.Sort(imports)
	exports, err := l.cfg.Exports(ctx, root, imports)
	if err != nil {
		return nil
	}
	for _, dep := range imports {
		if exports[dep] == "" {
			return nil
		}
	}
	imported := map[string]*types.Package{}
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			if p := imported[path]; p != nil && p.Complete() {
				return p, nil
			}
			return readExportFile(l.fset, imported, exports[path], path)
		}),
		// As go/packages reports type errors: both as TypeErrors and Errors.
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				pkg.TypeErrors = append(pkg.TypeErrors, te)
				pkg.Errors = append(pkg.Errors, packages.Error{Pos: te.Fset.Position(te.Pos).String(), Msg: te.Msg, Kind: packages.TypeError})
			}
		},
		Sizes: types.SizesFor("gc", build.Default.GOARCH),
	}
	if goVersion != "" {
		conf.GoVersion = "go" + goVersion
	}
	pkg.Types = types.NewPackage(ip, pkg.Name)
	if err := types.NewChecker(&conf, l.fset, pkg.Types, nil).Files(pkg.Syntax); err != nil && len(pkg.TypeErrors) == 0 {
		return nil // a failure the checker did not report as a type error
	}
	return pkg
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// readExportFile reads package path from its export data file into
// imported.
func readExportFile(fset *token.FileSet, imported map[string]*types.Package, file, path string) (*types.Package, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(f)
	if err != nil {
		return nil, err
	}
	return gcexportdata.Read(r, fset, imported, path)
}

// plainBuildEnv reports whether go/build's default context selects the
// files go list would: no build tags, overlay or other go.mod in GOFLAGS,
// and no GOOS, GOARCH or the like set in the go command's configuration
// file, which go/build does not read.
func plainBuildEnv() bool {
	if !plainGoFlags(os.Getenv("GOFLAGS")) {
		return false
	}
	file := os.Getenv("GOENV")
	if file == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return false
		}
		file = filepath.Join(dir, "go", "env")
	}
	if file == "off" {
		return true
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return os.IsNotExist(err)
	}
	for line := range strings.Lines(string(data)) {
		key, value, _ := strings.Cut(strings.TrimSpace(line), "=")
		switch key {
		case "GOFLAGS":
			if !plainGoFlags(value) {
				return false
			}
		case "GOOS", "GOARCH", "CGO_ENABLED", "GOEXPERIMENT", "GOAMD64", "GOARM64", "GOWORK":
			return false
		}
	}
	return true
}

// plainGoFlags reports whether GOFLAGS leaves the files of a package and
// the module's requirements as they are (-buildvcs, -trimpath, ... do).
func plainGoFlags(flags string) bool {
	for _, f := range strings.Fields(flags) {
		name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
		switch name {
		case "tags", "overlay", "modfile", "mod", "pgo", "cover", "race", "msan", "asan":
			return false
		}
	}
	return true
}

// buildFiles lists the non-test Go files of dir that the go command
// builds, or reports false when that depends on whether cgo is enabled
// (go/build cannot tell whether the go command finds a C compiler).
func buildFiles(dir string) ([]string, bool) {
	withCgo, withoutCgo := build.Default, build.Default
	withCgo.CgoEnabled, withoutCgo.CgoEnabled = true, false
	var paths []string
	for _, p := range goFilesIn(dir) {
		name := filepath.Base(p)
		a, errA := withCgo.MatchFile(dir, name)
		b, errB := withoutCgo.MatchFile(dir, name)
		if errA != nil || errB != nil || a != b {
			return nil, false
		}
		if a {
			paths = append(paths, p)
		}
	}
	return paths, true
}

// moduleOf finds the go.mod above dir: its directory, module path and go
// version. It reports false for a module in a go.work workspace, with a
// vendor directory or a replace by a directory, where the module's
// packages may come from elsewhere than the main module's tree.
func moduleOf(dir string) (root, modPath, goVersion string, ok bool) {
	if w := os.Getenv("GOWORK"); w != "" && w != "off" {
		return "", "", "", false
	}
	for d := dir; ; d = filepath.Dir(d) {
		if os.Getenv("GOWORK") != "off" {
			if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
				return "", "", "", false
			}
		}
		if root == "" {
			if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
				f, err := modfile.ParseLax("go.mod", data, nil)
				if err != nil || f.Module == nil {
					return "", "", "", false
				}
				if _, err := os.Stat(filepath.Join(d, "vendor")); err == nil {
					return "", "", "", false
				}
				root, modPath = d, f.Module.Mod.Path
				if f.Go != nil {
					goVersion = f.Go.Version
				}
			}
		}
		if filepath.Dir(d) == d {
			return root, modPath, goVersion, root != ""
		}
	}
}
