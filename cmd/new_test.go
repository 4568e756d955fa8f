package cmd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewRefusesExistingTarget: `kitforge new` exits 1 and leaves the
// target untouched when it is a file, a symbolic link (to a file, to a
// directory, dangling) or a directory that is not empty.
func TestNewRefusesExistingTarget(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, work, target string)
		want  string
	}{
		{"file", func(t *testing.T, _, target string) {
			must(t, os.WriteFile(target, []byte("precious\n"), 0o644))
		}, "is a file"},
		{"symlink to file", func(t *testing.T, work, target string) {
			must(t, os.WriteFile(filepath.Join(work, "real"), []byte("precious\n"), 0o644))
			must(t, os.Symlink("real", target))
		}, "is a symbolic link"},
		{"symlink to empty dir", func(t *testing.T, work, target string) {
			must(t, os.Mkdir(filepath.Join(work, "real"), 0o755))
			must(t, os.Symlink("real", target))
		}, "is a symbolic link"},
		{"dangling symlink", func(t *testing.T, _, target string) {
			must(t, os.Symlink("nowhere", target))
		}, "is a symbolic link"},
		{"non-empty dir", func(t *testing.T, _, target string) {
			must(t, os.Mkdir(target, 0o755))
			must(t, os.WriteFile(filepath.Join(target, "notes.txt"), []byte("precious\n"), 0o644))
		}, "is a directory that is not empty"},
	}
	for _, c := range cases {
		for _, viaDir := range []bool{false, true} {
			name := c.name
			if viaDir {
				name += " via --dir"
			}
			t.Run(name, func(t *testing.T) {
				work := t.TempDir()
				target := filepath.Join(work, "calc")
				args := []string{"-C", work, "new", "calc"}
				if viaDir {
					target = filepath.Join(work, "F")
					args = append(args, "--dir", "F")
				}
				c.setup(t, work, target)
				before := hashEntries(t, work)
				var stdout, stderr bytes.Buffer
				code := Execute(context.Background(), args, &stdout, &stderr)
				if code != exitUser {
					t.Errorf("exit code %d, want %d\nstderr: %s", code, exitUser, stderr.String())
				}
				for _, want := range []string{c.want, "hint: choose another NAME"} {
					if !strings.Contains(stderr.String(), want) {
						t.Errorf("stderr does not contain %q:\n%s", want, stderr.String())
					}
				}
				if after := hashEntries(t, work); after != before {
					t.Errorf("the tree changed:\nbefore:\n%s\nafter:\n%s", before, after)
				}
			})
		}
	}
}

// TestNewIntoEmptyDir: an empty directory is a valid target and becomes the
// module.
func TestNewIntoEmptyDir(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a module; skipped with -short")
	}
	work := t.TempDir()
	must(t, os.Mkdir(filepath.Join(work, "F"), 0o755))
	var stdout, stderr bytes.Buffer
	if code := Execute(context.Background(), []string{"-C", work, "new", "calc", "--dir", "F"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d\nstderr: %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(work, "F", "go.mod")); err != nil {
		t.Errorf("no go.mod in the module: %v", err)
	}
}

// hashEntries lists every entry below dir, without following symbolic
// links: a file with its SHA-256, a link with its target, a directory by
// name, so a removed, added or replaced entry of any kind shows.
func hashEntries(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			lines = append(lines, fmt.Sprintf("link %s -> %s", rel, target))
			return err
		case d.IsDir():
			lines = append(lines, "dir "+rel)
		default:
			data, err := os.ReadFile(p)
			lines = append(lines, fmt.Sprintf("file %s %x", rel, sha256.Sum256(data)))
			return err
		}
		return nil
	})
	must(t, err)
	return strings.Join(lines, "\n")
}
