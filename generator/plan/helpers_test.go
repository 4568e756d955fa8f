package plan

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// gen returns generated content with the kitforge header.
func gen(body string) []byte {
	return []byte(GeneratedHeader + "\n\npackage p\n\n" + body)
}

// writeFiles writes path → content pairs under root.
func writeFiles(t *testing.T, root string, pairs ...string) {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		full := filepath.Join(root, filepath.FromSlash(pairs[i]))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(pairs[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readFile returns a file's content under root.
func readFile(t *testing.T, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// snapshot describes every entry under root: directories, and files by
// mode, mtime and content hash. Two equal snapshots mean an untouched tree.
func snapshot(t *testing.T, root string) string {
	t.Helper()
	return describeTree(t, root, true)
}

// describeTree lists every directory and file under root by mode and
// content hash, and by mtime too when withMtime is set, sorted.
func describeTree(t *testing.T, root string, withMtime bool) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			lines = append(lines, fmt.Sprintf("%s/ %v", rel, fi.Mode()))
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		mtime := ""
		if withMtime {
			mtime = fmt.Sprintf(" %d", fi.ModTime().UnixNano())
		}
		lines = append(lines, fmt.Sprintf("%s %v%s %x", rel, fi.Mode(), mtime, sha256.Sum256(b)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// age sets every file's mtime under root into the past, so a rewrite
// shows up as a changed mtime even on coarse clocks.
func age(t *testing.T, root string) {
	t.Helper()
	past := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(p, past, past)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// actions renders changes as "path action" lines for comparison.
func actions(changes []*Change) string {
	var lines []string
	for _, c := range changes {
		lines = append(lines, c.Path+" "+string(c.Action))
	}
	return strings.Join(lines, "\n")
}

// resolve runs Resolve and fails the test on error.
func resolve(t *testing.T, p *Plan) []*Change {
	t.Helper()
	changes, err := p.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return changes
}

// mustApply runs Apply and fails the test on error.
func mustApply(t *testing.T, root string, changes []*Change) {
	t.Helper()
	if err := Apply(root, changes); err != nil {
		t.Fatal(err)
	}
}

// checkActions compares changes with want, one "path action" per line.
func checkActions(t *testing.T, changes []*Change, want ...string) {
	t.Helper()
	if got := actions(changes); got != strings.Join(want, "\n") {
		t.Errorf("actions:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}
