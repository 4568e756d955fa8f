package cmd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestBadInput runs `kitforge generate` on every testdata/bad/*.txtar case:
// each must exit 1, print the message on the case's "want:" line (a
// file:line:col position and what is wrong), and leave the tree exactly as
// it was. Cases without kitforge.yaml generate ./svc; a "kitforge ARGS"
// line in the comment gives other arguments.
func TestBadInput(t *testing.T) {
	cases, err := filepath.Glob("../testdata/bad/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no bad-input cases: %v", err)
	}
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c), ".txtar")
		t.Run(name, func(t *testing.T) {
			a, err := txtar.ParseFile(c)
			must(t, err)
			want, custom := "", []string(nil)
			for _, line := range strings.Split(string(a.Comment), "\n") {
				if w, ok := strings.CutPrefix(line, "want: "); ok {
					want = w
				}
				if rest, ok := strings.CutPrefix(line, "kitforge "); ok {
					custom = strings.Fields(rest)
				}
			}
			if want == "" {
				t.Fatal("case has no want: line")
			}
			dir := t.TempDir()
			args := []string{"-C", dir, "generate", "./svc"}
			for _, f := range a.Files {
				p := filepath.Join(dir, filepath.FromSlash(f.Name))
				must(t, os.MkdirAll(filepath.Dir(p), 0o755))
				must(t, os.WriteFile(p, f.Data, 0o644))
				if f.Name == "kitforge.yaml" {
					args = args[:3]
				}
			}
			if custom != nil {
				args = append([]string{"-C", dir}, custom...)
			}
			before := hashTree(t, dir)
			var stdout, stderr bytes.Buffer
			code := Execute(context.Background(), args, &stdout, &stderr)
			if code != 1 {
				t.Errorf("exit code %d, want 1\nstderr: %s", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), want) {
				t.Errorf("stderr does not contain %q:\n%s", want, stderr.String())
			}
			if !strings.Contains(stderr.String(), "hint: ") {
				t.Errorf("stderr gives no hint:\n%s", stderr.String())
			}
			if after := hashTree(t, dir); after != before {
				t.Errorf("the tree changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// hashTree lists every file below dir with its SHA-256, sorted.
func hashTree(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%x %s", sha256.Sum256(data), rel))
		return err
	})
	must(t, err)
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
