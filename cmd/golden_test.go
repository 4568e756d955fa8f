// Golden tests: each directory testdata/golden/CASE holds input.txtar (the
// user's module before generation) and the whole tree kitforge produces from
// it. testdata/golden is itself a Go module, so TestGoldenTreesCompile proves
// every expected tree builds and vets.
//
// After a reviewed change to the output, refresh the trees with:
//
//	go test ./cmd -run TestGolden -update
package cmd

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aymanbagabas/go-udiff"
	"golang.org/x/tools/txtar"

	"github.com/kitforge/kitforge/generator/deps"
)

var update = flag.Bool("update", false, "rewrite the golden trees under testdata/golden")

const goldenDir = "../testdata/golden"

// goldenModule is the module path of testdata/golden.
const goldenModule = "kitforge.test/golden"

func TestGolden(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(goldenDir, "*", "input.txtar"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases found: %v", err)
	}
	for _, in := range cases {
		caseDir := filepath.Dir(in)
		name := filepath.Base(caseDir)
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			args := extractCase(t, in, tmp, goldenModule+"/"+name)
			var stdout, stderr bytes.Buffer
			if code := Execute(context.Background(), append([]string{"-C", tmp}, args...), &stdout, &stderr); code != 0 {
				t.Fatalf("generate exited %d:\n%s%s", code, stdout.String(), stderr.String())
			}
			got := readTree(t, tmp, "go.mod", "go.sum")
			if *update {
				writeGolden(t, caseDir, got)
				return
			}
			want := readTree(t, caseDir, "input.txtar")
			compareTrees(t, want, got)
		})
	}
	if *update {
		must(t, os.WriteFile(filepath.Join(goldenDir, "go.mod"), deps.GoMod(goldenModule), 0o644))
		must(t, os.WriteFile(filepath.Join(goldenDir, "go.sum"), deps.GoSum(), 0o644))
	}
}

// TestGoldenTreesCompile builds and vets every golden tree and runs the
// tests kitforge generated into it.
func TestGoldenTreesCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go kit services; skipped with -short")
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}, {"test", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = goldenDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s in testdata/golden: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// extractCase writes a txtar archive into dir as a module at modPath and
// returns the kitforge arguments named by the comment's "kitforge ..." line
// (default: generate).
func extractCase(t *testing.T, archive, dir, modPath string) []string {
	t.Helper()
	a, err := txtar.ParseFile(archive)
	must(t, err)
	args := []string{"generate"}
	for _, line := range strings.Split(string(a.Comment), "\n") {
		if rest, ok := strings.CutPrefix(line, "kitforge "); ok {
			args = strings.Fields(rest)
		}
	}
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, f.Data, 0o644))
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		must(t, os.WriteFile(filepath.Join(dir, "go.mod"), deps.GoMod(modPath), 0o644))
		must(t, os.WriteFile(filepath.Join(dir, "go.sum"), deps.GoSum(), 0o644))
	}
	return args
}

// readTree reads every file below dir, keyed by slash path, except skip.
func readTree(t *testing.T, dir string, skip ...string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		for _, s := range skip {
			if rel == s {
				return nil
			}
		}
		data, err := os.ReadFile(p)
		out[rel] = data
		return err
	})
	must(t, err)
	return out
}

// writeGolden replaces a case's expected tree (keeping input.txtar).
func writeGolden(t *testing.T, caseDir string, tree map[string][]byte) {
	t.Helper()
	entries, err := os.ReadDir(caseDir)
	must(t, err)
	for _, e := range entries {
		if e.Name() != "input.txtar" {
			must(t, os.RemoveAll(filepath.Join(caseDir, e.Name())))
		}
	}
	for rel, data := range tree {
		p := filepath.Join(caseDir, filepath.FromSlash(rel))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, data, 0o644))
	}
}

// compareTrees reports missing, extra and different files with a unified diff.
func compareTrees(t *testing.T, want, got map[string][]byte) {
	t.Helper()
	for p, w := range want {
		g, ok := got[p]
		if !ok {
			t.Errorf("%s: expected file not generated", p)
			continue
		}
		if !bytes.Equal(w, g) {
			t.Errorf("%s differs from the golden file (go test ./cmd -run TestGolden -update after review):\n%s", p,
				udiff.Unified("want/"+p, "got/"+p, string(w), string(g)))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: generated but not in the golden tree", p)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
