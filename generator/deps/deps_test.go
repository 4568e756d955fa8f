// Tests for the dependency pins. Refresh ref.* after changing
// Pins or testdata/probe.go.txt (needs the Go module proxy):
//
//	go test ./generator/deps -run TestReference -update
package deps

import (
	"bytes"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

var (
	update = flag.Bool("update", false, "re-tidy the reference module and rewrite ref.mod, ref.sum and what derives from them")
	derive = flag.Bool("derive", false, "rewrite ref.pkgs, ref.graph and ref.golines from ref.mod and ref.sum as they are")
)

// deriveReference writes what Edit needs to know of the tidied reference
// module in dir: every probe package's module closure, the module graph and
// the go line of every module in it.
func deriveReference(t *testing.T, dir string) {
	t.Helper()
	must(t, os.WriteFile("ref.pkgs", packageClosures(t, dir), 0o644))
	must(t, os.WriteFile("ref.graph", goOutput(t, dir, "mod", "graph"), 0o644))
	must(t, os.WriteFile("ref.golines", goOutput(t, dir, "list", "-m", "-f", "{{.Path}} {{.Version}} {{.GoVersion}}", "all"), 0o644))
}

func TestReference(t *testing.T) {
	if *update {
		dir := t.TempDir()
		probe, err := os.ReadFile("testdata/probe.go.txt")
		if err != nil {
			t.Fatal(err)
		}
		var mod strings.Builder
		mod.WriteString("module kitforge.invalid/reference\n\ngo 1.26.0\n\nrequire (\n")
		for _, p := range Pins {
			mod.WriteString("\t" + p.Path + " " + p.Version + "\n")
		}
		mod.WriteString(")\n")
		must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod.String()), 0o644))
		must(t, os.WriteFile(filepath.Join(dir, "probe.go"), probe, 0o644))
		cmd := exec.Command("go", "mod", "tidy")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go mod tidy: %v\n%s", err, out)
		}
		for _, f := range [][2]string{{"go.mod", "ref.mod"}, {"go.sum", "ref.sum"}} {
			data, err := os.ReadFile(filepath.Join(dir, f[0]))
			must(t, err)
			must(t, os.WriteFile(f[1], data, 0o644))
		}
		deriveReference(t, dir)
		t.Skip("ref.* rewritten; run the tests again without -update")
	}
	if *derive {
		dir := t.TempDir()
		probe, err := os.ReadFile("testdata/probe.go.txt")
		must(t, err)
		must(t, os.WriteFile(filepath.Join(dir, "probe.go"), probe, 0o644))
		must(t, os.WriteFile(filepath.Join(dir, "go.mod"), refMod, 0o644))
		must(t, os.WriteFile(filepath.Join(dir, "go.sum"), refSum, 0o644))
		deriveReference(t, dir)
		t.Skip("ref.pkgs, ref.graph and ref.golines rewritten; run the tests again without -derive")
	}
	ref := reference()
	got := map[string]string{}
	for _, r := range ref.Require {
		got[r.Mod.Path] = r.Mod.Version
	}
	if got["github.com/go-kit/kit"] == "" {
		t.Fatal("ref.mod does not require go-kit: run go test ./generator/deps -run TestReference -update")
	}
	for _, p := range Pins {
		// Tidy may drop a pin that only steered version selection (genproto).
		if v, ok := got[p.Path]; ok && v != p.Version {
			t.Errorf("ref.mod has %s %q, Pins say %s: run go test ./generator/deps -run TestReference -update", p.Path, got[p.Path], p.Version)
		}
	}
}

func TestGoModIsComplete(t *testing.T) {
	out := GoMod("example.com/calc")
	f, err := modfile.Parse("go.mod", out, nil)
	if err != nil {
		t.Fatalf("GoMod output does not parse: %v\n%s", err, out)
	}
	if f.Module.Mod.Path != "example.com/calc" {
		t.Errorf("module = %q", f.Module.Mod.Path)
	}
	if len(f.Require) != len(reference().Require) {
		t.Errorf("GoMod requires %d modules, reference %d", len(f.Require), len(reference().Require))
	}
}

// goOutput runs the go command in dir and returns its standard output.
func goOutput(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// packageClosures lists, for every package the probe imports, the modules
// that provide it and the packages it imports transitively: one line
// "PACKAGE MODULE...", the modules sorted.
func packageClosures(t *testing.T, dir string) []byte {
	t.Helper()
	type pkg struct {
		ImportPath string
		Imports    []string
		Deps       []string
		Module     *struct{ Path string }
	}
	dec := json.NewDecoder(bytes.NewReader(goOutput(t, dir, "list", "-deps", "-json=ImportPath,Imports,Deps,Module", ".")))
	pkgs := map[string]pkg{}
	var probe pkg
	for dec.More() {
		var p pkg
		must(t, dec.Decode(&p))
		pkgs[p.ImportPath] = p
		probe = p // the probe itself comes last
	}
	var b strings.Builder
	for _, imp := range probe.Imports {
		mods := map[string]bool{}
		for _, d := range append([]string{imp}, pkgs[imp].Deps...) {
			if m := pkgs[d].Module; m != nil {
				mods[m.Path] = true
			}
		}
		b.WriteString(imp)
		for _, m := range slices.Sorted(maps.Keys(mods)) {
			b.WriteString(" " + m)
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
