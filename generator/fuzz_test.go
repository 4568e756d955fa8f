package generator

import (
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/deps"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
)

// FuzzGenerate feeds mutated Go sources of a service through the
// Go-interface path: the service's package loaded with full type
// information (goparse.LoadInMemory: the go list of goparse.Load is the
// one step replaced, see fuzzDeps), every emitter, plan.Resolve and the
// build gate. The input is a txtar archive of the module's Go files
// (go.mod and go.sum are the pinned ones); the package of the first file is
// the service's. No input may panic; a failure must be a *model.Error (a
// message about the input, not an internal error); a success must give Go
// files that parse and a tree that type-checks (checkGate).
//
// The seed corpus is every golden input and every bad-input case, plus
// testdata/fuzz/FuzzGenerate; `go test` runs it. To fuzz (README "Tests"):
//
//	go test ./generator -run '^$' -fuzz '^FuzzGenerate$' -fuzztime 5m -fuzzminimizetime 10s
func FuzzGenerate(f *testing.F) {
	fuzzGC(f)
	for _, archive := range goSeeds(f) {
		f.Add(archive)
	}
	f.Fuzz(func(t *testing.T, archive []byte) { generateGoArchive(t, archive) })
}

// goSeeds are FuzzGenerate's seeds: the Go files of every golden input and
// bad-input case.
func goSeeds(t testing.TB) [][]byte {
	seeds, _ := filepath.Glob("../testdata/golden/*/input.txtar")
	bad, _ := filepath.Glob("../testdata/bad/*.txtar")
	var out [][]byte
	for _, name := range append(seeds, bad...) {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		ar.Comment = nil
		ar.Files = goFiles(ar.Files)
		if len(ar.Files) > 0 {
			out = append(out, txtar.Format(ar))
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d Go seeds: the golden and bad-input cases moved?", len(out))
	}
	return out
}

// generateGoArchive runs a FuzzGenerate input and checks what FuzzGenerate
// promises; it reports whether the input generated a tree that builds.
func generateGoArchive(t testing.TB, archive []byte) bool {
	files := goFiles(txtar.Parse(archive).Files)
	if len(files) == 0 {
		return false
	}
	d := fuzzEnv(t)
	dir := writeFuzzModule(t, files)
	opts := config.Options{Package: "./" + path.Dir(files[0].Name)}
	return generateInMemory(t, d, dir, Config{Options: opts}, func(*model.Error) bool { return true })
}

// writeFuzzModule writes files into a new module (go.mod and go.sum are
// the pinned ones) and returns its directory.
func writeFuzzModule(t testing.TB, files []txtar.File) string {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", deps.GoMod("example.com/fuzz"))
	write("go.sum", deps.GoSum())
	for _, f := range files {
		write(f.Name, f.Data)
	}
	return dir
}

// checkFuzzResult checks what the fuzz targets promise of a first
// generation: a failure is a *model.Error with a position (unless
// unpositioned allows it), a success resolves and gives Go files that parse.
// It returns the resolved changes, and whether the generation succeeded.
func checkFuzzResult(t testing.TB, res *Result, err error, unpositioned func(*model.Error) bool) ([]*plan.Change, bool) {
	t.Helper()
	if err != nil {
		var merr *model.Error
		if !errors.As(err, &merr) {
			t.Fatalf("not a *model.Error: %T %v", err, err)
		}
		if !merr.Pos.IsValid() && !unpositioned(merr) {
			t.Fatalf("an error without a position: %v", err)
		}
		return nil, false
	}
	changes, err := res.Plan.Resolve()
	if err != nil {
		t.Fatalf("resolving a first generation: %v", err)
	}
	for _, pf := range res.Plan.Files {
		if strings.HasSuffix(pf.Path, ".go") && pf.Content != nil {
			if _, err := parser.ParseFile(token.NewFileSet(), pf.Path, pf.Content, parser.SkipObjectResolution); err != nil {
				t.Fatalf("generated %s does not parse: %v\n%s", pf.Path, err, pf.Content)
			}
		}
	}
	return changes, true
}

// goFiles keeps the archive's Go files with clean, relative, module-local
// paths, so a mutated archive never writes outside its module.
func goFiles(files []txtar.File) []txtar.File {
	var out []txtar.File
	for _, f := range files {
		n := f.Name
		if !strings.HasSuffix(n, ".go") || path.Clean(n) != n || path.IsAbs(n) || strings.HasPrefix(n, "../") ||
			strings.ContainsAny(n, "\\:\x00") || strings.Count(n, "/") > 4 || slices.ContainsFunc(strings.Split(n, "/"), tooLong) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// tooLong reports whether a path element would be too long for some file
// systems.
func tooLong(elem string) bool { return len(elem) > 64 }
