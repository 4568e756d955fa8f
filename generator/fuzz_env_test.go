package generator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/kitforge/kitforge/generator/deps"
	"github.com/kitforge/kitforge/generator/gate"
	"github.com/kitforge/kitforge/generator/goparse"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/internal/gcpolicy"
)

// The fuzz targets run many inputs per process; what would make each input
// cost a go command is computed once per process and shared (fuzzDeps):
// the export data of the standard library and of every package generated
// code may import, from one `go list -export -deps` in a module with the
// pinned go.mod and go.sum, and the packages read from it. Each input
// still writes its files into a module of its own and goes through the
// real Generate, plan.Resolve and the build gate (gate.Check); only the go
// list of goparse.Load (goparse.LoadInMemory instead) and of the gate
// (Input.Exports) are replaced.

// fuzzDeps is what the inputs of one fuzz process share.
type fuzzDeps struct {
	mu sync.Mutex
	// exports maps import paths to export data files, or to "error: ..."
	// for a path go list could not build.
	exports map[string]string
	// fset holds the positions of imported packages (and, while an input
	// runs, of its files: see forget).
	fset *token.FileSet
	// imported are the packages read from export data so far.
	imported map[string]*types.Package
	// gateImports are the gate's, kept across checks likewise.
	gateImports *gate.Imports
}

// sharedFuzzDeps lists the export data once per process.
var sharedFuzzDeps = sync.OnceValues(func() (*fuzzDeps, error) {
	ref, err := os.ReadFile(filepath.Join("deps", "ref.pkgs"))
	if err != nil {
		return nil, err
	}
	paths := []string{"std"}
	for line := range strings.Lines(string(ref)) {
		if f := strings.Fields(line); len(f) > 0 {
			paths = append(paths, f[0])
		}
	}
	exports, err := goListExports(context.Background(), paths)
	if err != nil {
		return nil, err
	}
	return &fuzzDeps{exports: exports, fset: token.NewFileSet(), imported: map[string]*types.Package{},
		gateImports: gate.NewImports()}, nil
})

// fuzzGC runs a fuzz target under the kitforge binary's garbage
// collector policy (gcpolicy), which saves a third of an execution's CPU.
func fuzzGC(f *testing.F) {
	if os.Getenv("GOGC") == "" {
		old := debug.SetGCPercent(gcpolicy.Percent)
		f.Cleanup(func() { debug.SetGCPercent(old) })
	}
}

// fuzzEnv returns the process's shared dependencies.
func fuzzEnv(t testing.TB) *fuzzDeps {
	d, err := sharedFuzzDeps()
	if err != nil {
		t.Fatalf("listing export data: %v", err)
	}
	return d
}

// goListExports runs go list -export -deps on paths in a scratch module with
// the pinned go.mod and go.sum, and maps each package to its export file.
func goListExports(ctx context.Context, paths []string) (map[string]string, error) {
	dir, err := os.MkdirTemp("", "kitforge-fuzz-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), deps.GoMod("example.com/fuzzdeps"), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), deps.GoSum(), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "go", append([]string{"list", "-e", "-export", "-deps", "-json=ImportPath,Export,Error", "--"}, paths...)...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.Bytes())
	}
	out := map[string]string{}
	for dec := json.NewDecoder(&stdout); ; {
		var p struct {
			ImportPath, Export string
			Error              *struct{ Err string }
		}
		if err := dec.Decode(&p); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		switch {
		case p.Error != nil:
			out[p.ImportPath] = "error: " + p.Error.Err
		case p.Export != "":
			out[p.ImportPath] = p.Export
		}
	}
}

// exportsFor is the gate's stand-in for go list: the shared answer, asking
// go list only about paths it lacks (none, unless generated code imports a
// package the pinned modules' list misses).
func (d *fuzzDeps) exportsFor(ctx context.Context, paths []string) (map[string]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var missing []string
	for _, p := range paths {
		if _, ok := d.exports[p]; !ok {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		more, err := goListExports(ctx, missing)
		if err != nil {
			return nil, err
		}
		maps.Copy(d.exports, more)
	}
	return maps.Clone(d.exports), nil
}

// fromExportData reads a package outside the module, once per process.
func (d *fuzzDeps) fromExportData(ip string) (*types.Package, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if p := d.imported[ip]; p != nil && p.Complete() {
		return p, nil
	}
	file, ok := d.exports[ip]
	if msg, failed := strings.CutPrefix(file, "error: "); failed {
		return nil, errors.New(msg)
	}
	if !ok {
		return nil, fmt.Errorf("package %s is not in std (the fuzz tests know only std and the pinned modules)", ip)
	}
	return gate.ReadExportData(d.fset, d.imported, file, ip)
}

// forget removes an input's files from the shared file set, which
// otherwise grows with every input.
func (d *fuzzDeps) forget(root string) {
	var gone []*token.File
	d.fset.Iterate(func(f *token.File) bool {
		if strings.HasPrefix(f.Name(), root+string(filepath.Separator)) {
			gone = append(gone, f)
		}
		return true
	})
	for _, f := range gone {
		d.fset.RemoveFile(f)
	}
}

// loader returns the stand-in for goparse.Load of one input's module at
// root (module path modPath): the service's package, and the module's
// packages it imports, are type-checked from source; everything else comes
// from the shared export data.
func (d *fuzzDeps) loader(root, modPath string) func(context.Context, goparse.Config) (*model.Service, error) {
	return func(_ context.Context, cfg goparse.Config) (*model.Service, error) {
		im := &fuzzImporter{deps: d, root: root, modPath: modPath, local: map[string]*types.Package{}, checking: map[string]bool{}}
		return goparse.LoadInMemory(cfg, d.fset, im)
	}
}

// fuzzImporter resolves the imports of one input's service package.
type fuzzImporter struct {
	deps          *fuzzDeps
	root, modPath string
	local         map[string]*types.Package
	checking      map[string]bool // import cycle detection
}

func (im *fuzzImporter) Import(ip string) (*types.Package, error) {
	switch {
	case ip == "unsafe":
		return types.Unsafe, nil
	case ip == im.modPath || strings.HasPrefix(ip, im.modPath+"/"):
		return im.fromSource(ip)
	}
	return im.deps.fromExportData(ip)
}

// fromSource type-checks a package of the input's module, as go list
// would compile it for export data: every Go file the build includes,
// bodies too; any error fails the import.
func (im *fuzzImporter) fromSource(ip string) (*types.Package, error) {
	if p, ok := im.local[ip]; ok {
		return p, nil
	}
	if im.checking[ip] {
		return nil, fmt.Errorf("import cycle not allowed: %s", ip)
	}
	im.checking[ip] = true
	defer delete(im.checking, ip)
	dir := filepath.Join(im.root, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(ip, im.modPath), "/")))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("no package %s", ip)
	}
	var files []*ast.File
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, n); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(im.deps.fset, filepath.Join(dir, n), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no Go files in %s", dir)
	}
	var first error
	conf := types.Config{Importer: im, Error: func(err error) {
		if first == nil {
			first = err
		}
	}}
	p, _ := conf.Check(ip, im.deps.fset, files, nil)
	if first != nil {
		return nil, first
	}
	im.local[ip] = p
	return p, nil
}

// generateInMemory runs one fuzz input: Generate (with go list replaced
// as above), plan.Resolve, and the gate. It checks what the fuzz targets
// promise (see checkFuzzResult and checkGate) and reports whether the
// input generated a plan that builds.
func generateInMemory(t testing.TB, d *fuzzDeps, dir string, cfg Config, unpositioned func(*model.Error) bool) bool {
	t.Helper()
	defer d.forget(dir)
	ctx := context.Background()
	root, modPath, err := findModule(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Dir, cfg.FirstRun = dir, true
	cfg.Load = d.loader(root, modPath)
	res, err := Generate(ctx, cfg)
	changes, ok := checkFuzzResult(t, res, err, unpositioned)
	if !ok {
		return false
	}
	var dirs []string
	if res.Layout.CmdDir != "" {
		dirs = append(dirs, res.Layout.CmdDir)
	}
	err = gate.Check(ctx, gate.Input{Root: res.Plan.Root, ModulePath: res.Layout.Module, Changes: changes, Dirs: dirs,
		Exports: d.exportsFor, Imports: d.gateImports})
	return checkGate(t, err)
}

// hintKitforgeBug starts the hint of the gate's error about code kitforge
// would write (and nothing of the user's clashes with).
const hintKitforgeBug = "the error is in code kitforge would write"

// checkGate checks the property: a plan Generate returns builds, unless
// the user's code is what breaks it (an error in the user's files, or a
// name the user declares where kitforge generates one: refusals the gate
// explains). It reports whether the plan builds.
func checkGate(t testing.TB, err error) bool {
	t.Helper()
	if err == nil {
		return true
	}
	var merr *model.Error
	if !errors.As(err, &merr) {
		t.Fatalf("the gate failed: %v", err)
	}
	if !merr.Pos.IsValid() || strings.HasPrefix(merr.Hint, hintKitforgeBug) {
		t.Fatalf("Generate succeeded, but the planned tree does not build: %v", err)
	}
	return false
}

// BenchmarkFuzzInputs measures what one execution of each fuzz target
// costs, over its seeds (each iteration runs every seed once): wall time
// and CPU time per execution. The fuzzing engine adds its coverage
// instrumentation on top; on 2 cores, 100 executions per second need at
// most 20 ms of CPU each.
//
//	go test ./generator -run '^$' -bench FuzzInputs -benchtime 5x
func BenchmarkFuzzInputs(b *testing.B) {
	var protoSeeds [][]byte
	for _, name := range protoSeedFiles() {
		if archive, ok := protoSeed(b, name); ok {
			protoSeeds = append(protoSeeds, archive)
		}
	}
	for _, target := range []struct {
		name  string
		seeds [][]byte
		run   func(testing.TB, []byte) bool
	}{
		{"FuzzGenerate", goSeeds(b), generateGoArchive},
		{"FuzzProto", protoSeeds, generateProtoArchive},
	} {
		b.Run(target.name, func(b *testing.B) {
			fuzzEnv(b)
			for _, s := range target.seeds { // warm the shared packages
				target.run(b, s)
			}
			cpu := benchCPUTime()
			start := time.Now()
			n := 0
			for b.Loop() {
				for _, s := range target.seeds {
					target.run(b, s)
					n++
				}
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(n), "ms/exec")
			b.ReportMetric(float64((benchCPUTime()-cpu).Milliseconds())/float64(n), "cpu-ms/exec")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// TestFuzzLoaderMatchesLoad keeps FuzzGenerate honest: for every golden
// Go input, goparse.LoadInMemory with the fuzz tests' importer describes
// the service exactly as goparse.Load (go list) does.
func TestFuzzLoaderMatchesLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list per golden input")
	}
	d := fuzzEnv(t)
	for _, archive := range goSeeds(t) {
		files := goFiles(txtar.Parse(archive).Files)
		dir := writeFuzzModule(t, files)
		cfg := goparse.Config{Dir: dir, Pattern: "./" + path.Dir(files[0].Name), GeneratedNames: serviceNames()}
		want, wantErr := goparse.Load(context.Background(), cfg)
		root, modPath, err := findModule(dir)
		if err != nil {
			t.Fatal(err)
		}
		got, gotErr := d.loader(root, modPath)(context.Background(), cfg)
		d.forget(dir)
		if (wantErr == nil) != (gotErr == nil) {
			t.Errorf("%s: Load: %v; LoadInMemory: %v", files[0].Name, wantErr, gotErr)
			continue
		}
		if wantErr == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%s: LoadInMemory differs from Load:\n%#v\n%#v", files[0].Name, got, want)
		}
	}
}
