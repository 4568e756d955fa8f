// Tests for the dependency pins. Refresh ref.mod and ref.sum after changing
// Pins or testdata/probe.go.txt (needs the Go module proxy):
//
//	go test ./generator/deps -run TestReference -update
package deps

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

var update = flag.Bool("update", false, "re-tidy the reference module and rewrite ref.mod and ref.sum")

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
		t.Skip("ref.mod and ref.sum rewritten; run the tests again without -update")
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

func TestEnsureNeverDowngrades(t *testing.T) {
	in := []byte("module example.com/x\n\ngo 1.26.0\n\n// keep me\nrequire github.com/go-kit/kit v0.99.0\n")
	out, err := Ensure(in, "go.mod")
	must(t, err)
	f, err := modfile.Parse("go.mod", out, nil)
	must(t, err)
	found := false
	for _, r := range f.Require {
		if r.Mod.Path == "github.com/go-kit/kit" {
			found = true
			if r.Mod.Version != "v0.99.0" {
				t.Errorf("go-kit downgraded to %s", r.Mod.Version)
			}
		}
	}
	if !found {
		t.Error("go-kit require lost")
	}
	if !strings.Contains(string(out), "// keep me") {
		t.Errorf("user comment lost:\n%s", out)
	}
	again, err := Ensure(out, "go.mod")
	must(t, err)
	if string(again) != string(out) {
		t.Errorf("Ensure is not idempotent:\n%s\n---\n%s", out, again)
	}
}

func TestEnsureSumIsIdempotent(t *testing.T) {
	user := []byte("example.com/other v1.0.0 h1:abc=\n")
	once := EnsureSum(user)
	if !strings.Contains(string(once), "example.com/other v1.0.0 h1:abc=") {
		t.Error("user line lost")
	}
	if twice := EnsureSum(once); string(twice) != string(once) {
		t.Error("EnsureSum is not idempotent")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestEnsureGoVersion: the go line rises to the reference's release when it
// is older, including a bare language version ("1.26" is older than the
// release 1.26.0 for the go command, though semver calls them equal), and
// never falls.
func TestEnsureGoVersion(t *testing.T) {
	for _, tt := range []struct{ have, want string }{
		{"1.22", reference().Go.Version},
		{"1.26", reference().Go.Version},
		{"1.99.1", "1.99.1"},
	} {
		out, err := Ensure([]byte("module example.com/x\n\ngo "+tt.have+"\n"), "go.mod")
		must(t, err)
		f, err := modfile.Parse("go.mod", out, nil)
		must(t, err)
		if f.Go.Version != tt.want {
			t.Errorf("go %s became go %s, want go %s", tt.have, f.Go.Version, tt.want)
		}
	}
}
