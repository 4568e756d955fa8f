// Package gate proves that a plan builds before anything is written.
//
// Check type-checks every Go package that a plan writes, merges or deletes
// files in, as the tree will be after the apply: the plan's files stand in
// for the disk, the user's other files in those packages are read as they
// are, and packages of the module that they import are checked from source
// too (so a package that imports generated code sees the new version).
// Everything outside the module comes from export data that `go list
// -export` computes, with the planned go.mod and go.sum: a requirement the
// plan forgets fails here, not in the user's next `go build`. The export
// file names are cached per module graph (see exports.go), so a warm check
// runs no go command at all.
//
// Any error, soft ones included (an unused variable or import breaks the
// build all the same), makes Check return a positioned *model.Error that
// says whose code it is in and what to do; the caller writes nothing.
package gate

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
)

// Input is what Check needs to know about a plan.
type Input struct {
	// Root is the module root (absolute); Changes' paths are relative to it.
	Root string
	// ModulePath is the module's path (module line of go.mod).
	ModulePath string
	// Changes is the resolved plan.
	Changes []*plan.Change
	// Dirs are further module-relative directories to check when they hold
	// Go files (the service's cmd/<name>, written once and then the
	// user's, which calls generated code).
	Dirs []string
	// Exports, when set, replaces the go list call (and its cache): it
	// returns the export data file of every listed import path and their
	// dependencies. Fuzz tests reuse one answer for many plans.
	Exports func(ctx context.Context, paths []string) (map[string]string, error)
	// Imports, when set, keeps the packages read from export data across
	// checks (see Imports); nil reads them anew for each Check.
	Imports *Imports
}

// Check type-checks the packages the plan touches and returns nil, or a
// *model.Error at the first error. It does nothing when the plan writes no
// Go file and leaves go.mod alone.
func Check(ctx context.Context, in Input) error {
	c, err := newChecker(in)
	if err != nil || c == nil {
		return err
	}
	return c.run(ctx)
}

// checker is the state of one Check.
type checker struct {
	in   Input
	fset *token.FileSet
	// planned maps an absolute path to its content after the apply; nil
	// content means the file is deleted.
	planned map[string][]byte
	// changes maps an absolute path to its change.
	changes map[string]*plan.Change
	// roots are the import paths of the packages to check, in order.
	roots []string
	// source holds the module's packages found so far, by import path.
	source map[string]*sourcePkg
	// exports maps external import paths to export data files.
	exports map[string]string
	// imported holds the packages read from export data: one map, so a
	// type seen twice is one type. exportMu guards it, for packages are
	// checked concurrently. importFset holds their positions.
	imported   map[string]*types.Package
	exportMu   *sync.Mutex
	importFset *token.FileSet
}

// sourcePkg is one package of the module, parsed.
type sourcePkg struct {
	path  string
	dir   string
	files []*ast.File // the package's own files and its in-package tests
	xtest []*ast.File // package <name>_test files
	// checked and the failures are set by check, before done is closed.
	checked  *types.Package
	failure  *failure // the package's first error
	xfailure *failure // its external tests' first error
	done     chan struct{}
}

// failure is the first error found, with the declaration it clashes with.
type failure struct {
	pos   token.Position
	msg   string
	other string // "other declaration of X" position, for a clash
}

func newChecker(in Input) (*checker, error) {
	c := &checker{
		in: in, fset: token.NewFileSet(),
		planned: map[string][]byte{}, changes: map[string]*plan.Change{},
		source: map[string]*sourcePkg{}, imported: map[string]*types.Package{},
		exportMu: &sync.Mutex{},
	}
	c.importFset = c.fset
	if in.Imports != nil {
		c.imported, c.exportMu, c.importFset = in.Imports.packages, &in.Imports.mu, in.Imports.fset
	}
	var dirs []string
	touched := false
	for _, ch := range in.Changes {
		full := filepath.Join(in.Root, filepath.FromSlash(ch.Path))
		c.changes[full] = ch
		if !ch.Action.Writes() {
			continue
		}
		c.planned[full] = ch.New // nil for a delete
		if ch.Path == "go.mod" || ch.Path == "go.sum" {
			touched = true
		}
		if strings.HasSuffix(ch.Path, ".go") {
			touched = true
			if d := path.Dir(ch.Path); !slices.Contains(dirs, d) {
				dirs = append(dirs, d)
			}
		}
	}
	if !touched {
		return nil, nil
	}
	for _, d := range in.Dirs {
		if !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	for _, d := range dirs {
		ip := in.ModulePath
		if d != "." {
			ip += "/" + d
		}
		c.roots = append(c.roots, ip)
	}
	return c, nil
}

// run parses the roots and the module packages they import, lists the
// export data of everything else, and type-checks the roots.
func (c *checker) run(ctx context.Context) error {
	var external []string
	pending := slices.Clone(c.roots)
	for len(pending) > 0 {
		ip := pending[0]
		pending = pending[1:]
		if _, seen := c.source[ip]; seen {
			continue
		}
		p, err := c.parse(ip)
		if err != nil {
			return err
		}
		c.source[ip] = p
		if p == nil {
			continue
		}
		for _, f := range slices.Concat(p.files, p.xtest) {
			for _, spec := range f.Imports {
				dep, _ := strconv.Unquote(spec.Path.Value)
				if !internalAllowed(ip, dep) {
					return c.errorAt(&failure{pos: c.fset.Position(spec.Path.Pos()),
						msg: fmt.Sprintf("use of internal package %s not allowed (from %s)", dep, ip)})
				}
				switch {
				case dep == "C" || dep == "unsafe":
				case c.inModule(dep):
					pending = append(pending, dep)
				case !slices.Contains(external, dep):
					external = append(external, dep)
				}
			}
		}
	}
	slices.Sort(external)
	exports, err := c.listExports(ctx, external)
	if err != nil {
		return err
	}
	c.exports = exports
	order, err := c.dependencyOrder()
	if err != nil {
		return err
	}
	// Packages are checked concurrently, each as soon as the module
	// packages it imports are; the error reported is the first in
	// dependency order, so it does not depend on the schedule.
	var wg sync.WaitGroup
	for _, p := range order {
		wg.Go(func() { c.check(p) })
	}
	wg.Wait()
	for _, p := range order {
		for _, f := range []*failure{p.failure, p.xfailure} {
			if f != nil {
				return c.errorAt(f)
			}
		}
	}
	return nil
}

// dependencyOrder lists the module packages found, each after the module
// packages it imports, the roots in their order; an import cycle is an
// error at the import that closes it.
func (c *checker) dependencyOrder() ([]*sourcePkg, error) {
	var order []*sourcePkg
	state := map[*sourcePkg]int{} // 1 visiting, 2 done
	var visit func(p *sourcePkg, stack []string) error
	visit = func(p *sourcePkg, stack []string) error {
		switch state[p] {
		case 1:
			return fmt.Errorf("import cycle not allowed: %s", strings.Join(append(stack, p.path), " → "))
		case 2:
			return nil
		}
		state[p] = 1
		for _, f := range p.files {
			for _, spec := range f.Imports {
				dep, _ := strconv.Unquote(spec.Path.Value)
				if d := c.source[dep]; d != nil {
					if err := visit(d, append(stack, p.path)); err != nil {
						if _, positioned := err.(*model.Error); positioned {
							return err
						}
						return c.errorAt(&failure{pos: c.fset.Position(spec.Path.Pos()), msg: err.Error()})
					}
				}
			}
		}
		state[p] = 2
		order = append(order, p)
		return nil
	}
	for _, r := range c.roots {
		if p := c.source[r]; p != nil {
			if err := visit(p, nil); err != nil {
				return nil, err
			}
		}
	}
	return order, nil
}

// internalAllowed applies the go command's rule for internal packages,
// which the type checker does not know: a path with an "internal" element
// is importable only from the tree rooted at that element's parent.
func internalAllowed(importer, dep string) bool {
	elems := strings.Split(dep, "/")
	for i := len(elems) - 1; i >= 0; i-- {
		if elems[i] != "internal" {
			continue
		}
		parent := strings.Join(elems[:i], "/")
		return parent != "" && (importer == parent || strings.HasPrefix(importer, parent+"/"))
	}
	return true
}

// listExports returns the export data files of paths and their
// dependencies, from the Input's stand-in or go list.
func (c *checker) listExports(ctx context.Context, paths []string) (map[string]string, error) {
	if c.in.Exports != nil {
		return c.in.Exports(ctx, paths)
	}
	mod := c.contentOf(filepath.Join(c.in.Root, "go.mod"))
	sum := c.contentOf(filepath.Join(c.in.Root, "go.sum"))
	return listExports(ctx, c.in.Root, paths, mod, sum)
}

// inModule reports whether import path ip is a package of the module
// being generated into (not of a module nested in it).
func (c *checker) inModule(ip string) bool {
	mp := c.in.ModulePath
	if ip != mp && !strings.HasPrefix(ip, mp+"/") {
		return false
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(ip, mp), "/")
	// A nested module (a go.mod below the root) is another module.
	for d := rel; d != "" && d != "."; d = path.Dir(d) {
		if _, err := os.Stat(filepath.Join(c.in.Root, filepath.FromSlash(d), "go.mod")); err == nil {
			return false
		}
		if d == path.Dir(d) {
			break
		}
	}
	return true
}

// dirOf is the absolute directory of a package of the module.
func (c *checker) dirOf(ip string) string {
	rel := strings.TrimPrefix(strings.TrimPrefix(ip, c.in.ModulePath), "/")
	return filepath.Join(c.in.Root, filepath.FromSlash(rel))
}

// contentOf is a file's content after the apply (nil when absent).
func (c *checker) contentOf(full string) []byte {
	if data, ok := c.planned[full]; ok {
		return data
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return nil
	}
	return data
}

// parse reads the package at import path ip as it will be: its Go files
// for this platform, the plan's version of each. It returns nil when the
// directory will hold no Go file.
func (c *checker) parse(ip string) (*sourcePkg, error) {
	dir := c.dirOf(ip)
	names := map[string]bool{}
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if !e.IsDir() {
				names[e.Name()] = true
			}
		}
	}
	for full := range c.planned {
		if filepath.Dir(full) == dir {
			names[filepath.Base(full)] = true
		}
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		if strings.HasSuffix(n, ".go") {
			sorted = append(sorted, n)
		}
	}
	slices.Sort(sorted)
	bctx := build.Default
	bctx.OpenFile = func(p string) (io.ReadCloser, error) {
		data := c.contentOf(p)
		if data == nil {
			return nil, os.ErrNotExist
		}
		return io.NopCloser(strings.NewReader(string(data))), nil
	}
	p := &sourcePkg{path: ip, dir: dir, done: make(chan struct{})}
	// The files are parsed concurrently; the token.FileSet is safe for it.
	type parsed struct {
		name string
		file *ast.File
		err  error
	}
	var todo []*parsed
	for _, n := range sorted {
		full := filepath.Join(dir, n)
		if c.contentOf(full) == nil {
			continue // deleted, or gone
		}
		if ok, err := bctx.MatchFile(dir, n); err != nil || !ok {
			continue
		}
		todo = append(todo, &parsed{name: n})
	}
	var wg sync.WaitGroup
	for _, f := range todo {
		wg.Go(func() {
			full := filepath.Join(dir, f.name)
			f.file, f.err = parser.ParseFile(c.fset, full, c.contentOf(full), parser.SkipObjectResolution)
		})
	}
	wg.Wait()
	pkgName := ""
	for _, pf := range todo {
		if pf.err != nil {
			return nil, c.errorAt(c.parseFailure(pf.err))
		}
		f := pf.file
		name := f.Name.Name
		if strings.HasSuffix(pf.name, "_test.go") && strings.HasSuffix(name, "_test") {
			p.xtest = append(p.xtest, f)
			continue
		}
		if pkgName == "" {
			pkgName = name
		} else if name != pkgName {
			pos := c.fset.Position(f.Name.Pos())
			return nil, c.errorAt(&failure{pos: pos, msg: fmt.Sprintf("package %s; the directory's other files are package %s", name, pkgName)})
		}
		p.files = append(p.files, f)
	}
	if len(p.files) == 0 && len(p.xtest) == 0 {
		return nil, nil
	}
	if pkgName == "main" && !declaresMain(p.files) {
		pos := c.fset.Position(p.files[0].Name.Pos())
		return nil, c.errorAt(&failure{pos: pos, msg: "function main is undeclared in the main package"})
	}
	return p, nil
}

// parseFailure turns a parser error into a failure at its first position.
func (c *checker) parseFailure(err error) *failure {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return &failure{pos: list[0].Pos, msg: list[0].Msg}
	}
	return &failure{msg: err.Error()}
}

// check type-checks a module package, its in-package tests included,
// once the module packages it imports are checked, then its external
// tests.
func (c *checker) check(p *sourcePkg) {
	p.checked = c.checkFiles(p.path, p.files, &p.failure)
	close(p.done) // the external tests import the package
	if len(p.xtest) > 0 {
		c.checkFiles(p.path+"_test", p.xtest, &p.xfailure)
	}
}

// checkFiles runs the type checker over one package's files and keeps its
// first error in *first.
func (c *checker) checkFiles(ip string, files []*ast.File, first **failure) *types.Package {
	conf := types.Config{
		Importer: importerFunc(c.importPkg),
		Error:    func(err error) { c.recordError(first, err) },
		// The compiler's limits, so that what passes here builds.
		Sizes: types.SizesFor("gc", build.Default.GOARCH),
	}
	pkg, _ := conf.Check(ip, c.fset, files, nil)
	return pkg
}

// recordError keeps the first error, and the "other declaration" line
// that follows a redeclaration.
func (c *checker) recordError(first **failure, err error) {
	te, ok := err.(types.Error)
	if !ok {
		if *first == nil {
			*first = &failure{msg: err.Error()}
		}
		return
	}
	pos := te.Fset.Position(te.Pos)
	if strings.HasPrefix(te.Msg, "\t") {
		if f := *first; f != nil && f.other == "" && strings.Contains(te.Msg, "other declaration") {
			f.other = shortPos(c.in.Root, pos)
		}
		return
	}
	if *first == nil {
		*first = &failure{pos: pos, msg: te.Msg}
	}
}

// importPkg resolves an import: a module package once it is checked,
// anything else from export data.
func (c *checker) importPkg(ip string) (*types.Package, error) {
	if ip == "unsafe" {
		return types.Unsafe, nil
	}
	if p, ok := c.source[ip]; ok {
		if p == nil {
			return nil, fmt.Errorf("no Go files in %s", c.dirOf(ip))
		}
		<-p.done
		if p.checked == nil {
			return nil, fmt.Errorf("%s does not type-check", ip)
		}
		return p.checked, nil
	}
	c.exportMu.Lock()
	defer c.exportMu.Unlock()
	return c.fromExportData(ip)
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// errorAt explains a failure by whose file it is in.
func (c *checker) errorAt(f *failure) error {
	pos := model.Pos{File: relToRoot(c.in.Root, f.pos.Filename), Line: f.pos.Line, Col: f.pos.Column}
	ch := c.changes[f.pos.Filename]
	kitforgeFile := ch != nil && ch.Action.Writes() && (ch.Action == plan.Create || plan.IsGenerated(ch.New))
	takenOver := ch != nil && ch.Action == plan.TakenOver
	switch {
	case f.other != "":
		yours, theirs := shortPos(c.in.Root, f.pos), f.other
		if !kitforgeFile {
			yours, theirs = theirs, yours
		}
		return model.Errorf(pos,
			"kitforge declares this name at "+yours+" in the package it generates into: rename your declaration at "+theirs+" (or remove it if it is an older copy of kitforge's); nothing was written",
			"the generated tree would not build: %s (other declaration at %s)", f.msg, f.other)
	case takenOver:
		return model.Errorf(pos,
			fmt.Sprintf("kitforge does not update a generated file whose header you removed: fix it by hand, or put the line %q back at its top to have kitforge rewrite it; nothing was written", plan.GeneratedHeader),
			"the build would break with the file(s) you took over (%s): %s", strings.Join(c.takenOver(), ", "), f.msg)
	case kitforgeFile:
		return model.Errorf(pos,
			"the error is in code kitforge would write, so nothing was written; if your code is right, this is a kitforge bug: please report it with this message",
			"the generated tree would not build: %s", f.msg)
	default:
		return model.Errorf(pos,
			"your code would not build beside what kitforge is about to write, so nothing was written: fix it, then run kitforge again",
			"the generated tree would not build: %s", f.msg)
	}
}

// takenOver lists the generated Go files the user took over.
func (c *checker) takenOver() []string {
	var out []string
	for _, ch := range c.in.Changes {
		if ch.Action == plan.TakenOver && strings.HasSuffix(ch.Path, ".go") {
			out = append(out, ch.Path)
		}
	}
	return out
}

// shortPos prints a position relative to the module root.
func shortPos(root string, p token.Position) string {
	return fmt.Sprintf("%s:%d:%d", relToRoot(root, p.Filename), p.Line, p.Column)
}

// relToRoot shows a file of the module relative to its root, as the plan
// names files.
func relToRoot(root, name string) string {
	if rel, err := filepath.Rel(root, name); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return name
}

// declaresMain reports whether a main package's files declare func main,
// which the compiler requires and the type checker does not.
func declaresMain(files []*ast.File) bool {
	for _, f := range files {

		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
				return true
			}
		}
	}
	return false
}
