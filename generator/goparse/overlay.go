package goparse

import (
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// stubGenerated adds to overlay, for every kitforge-generated file among
// paths that is not in it yet, a stand-in holding only what precedes the
// package clause and the clause itself. Stale generated code (a response
// type for a method that no longer exists) then never blocks loading, and
// build constraints stay as they were. The clause names the package of the
// user's files, so a package rename does not leave two package names in one
// directory. Files that cannot be read are left to go list to report.
func stubGenerated(overlay map[string][]byte, paths []string) {
	type generated struct {
		path string
		src  []byte
	}
	var gen []generated
	name := ""
	for _, p := range paths {
		if _, done := overlay[p]; done {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if IsKitforgeGenerated(src) {
			gen = append(gen, generated{p, src})
		} else if name == "" {
			name = userPackageName(p, src)
		}
	}
	for _, g := range gen {
		if stub := packageClauseOnly(g.src, name); stub != nil {
			overlay[g.path] = stub
		}
	}
}

// packageClauseOnly cuts src after its package clause, renaming the package
// to name unless name is "". It returns nil when src has no package clause.
func packageClauseOnly(src []byte, name string) []byte {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.PackageClauseOnly)
	if err != nil || f.Name == nil {
		return nil
	}
	if name == "" {
		name = f.Name.Name
	}
	off := fset.File(f.Package).Offset(f.Package)
	out := append([]byte(nil), src[:off]...)
	return append(out, "package "+name+"\n"...)
}

// userPackageName returns the package name of a user's file that the
// default build context includes, or "".
func userPackageName(path string, src []byte) string {
	if ok, err := build.Default.MatchFile(filepath.Dir(path), filepath.Base(path)); err != nil || !ok {
		return ""
	}
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly)
	if err != nil || f.Name == nil {
		return ""
	}
	return f.Name.Name
}

// goFilesIn lists the non-test Go files of dir that the go command would
// consider (names starting with "." or "_" are ignored by it).
func goFilesIn(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var paths []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") ||
			strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
			continue
		}
		paths = append(paths, filepath.Join(dir, n))
	}
	return paths
}
