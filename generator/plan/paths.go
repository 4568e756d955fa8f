package plan

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// checkRel refuses a plan path that is not clean, relative and inside the
// root: "", ".", "/abs", "../x", "a/../b" and "a//b" are all refused.
func checkRel(rel string) error {
	switch {
	case rel == "" || rel == ".":
		return fmt.Errorf("plan: empty path")
	case strings.HasPrefix(rel, "/") || filepath.IsAbs(rel) || strings.Contains(rel, `\`):
		return fmt.Errorf("plan: path %q must be relative and slash-separated", rel)
	case rel == ".." || strings.HasPrefix(rel, "../"):
		return fmt.Errorf("plan: path %q escapes the output root", rel)
	case path.Clean(rel) != rel:
		return fmt.Errorf("plan: path %q is not clean (want %q)", rel, path.Clean(rel))
	}
	return nil
}

// tree confines paths to a root directory, also through symlinks.
type tree struct {
	root     string // absolute and clean, as the plan gave it
	realRoot string // root with symlinks resolved; "" when root does not exist yet
}

func newTree(root string) (*tree, error) {
	if !filepath.IsAbs(root) {
		return nil, fmt.Errorf("plan: root %q is not an absolute path", root)
	}
	t := &tree{root: filepath.Clean(root)}
	real, err := filepath.EvalSymlinks(t.root)
	switch {
	case err == nil:
		t.realRoot = real
	case !os.IsNotExist(err):
		return nil, fmt.Errorf("plan: %w", err)
	}
	return t, nil
}

// abs returns the OS path of rel. It refuses paths that are not clean and
// relative, and paths whose existing directories resolve, through a symlink,
// to somewhere outside the root. A regular file where a directory is needed
// is refused too, so Apply would not fail on it.
func (t *tree) abs(rel string) (string, error) {
	if err := checkRel(rel); err != nil {
		return "", err
	}
	full := filepath.Join(t.root, filepath.FromSlash(rel))
	if t.realRoot == "" {
		return full, nil // nothing below a missing root exists
	}
	dir := filepath.Dir(full)
	for dir != t.root {
		if _, err := os.Lstat(dir); err == nil {
			break
		}
		dir = filepath.Dir(dir)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("plan: %s: %w", rel, err)
	}
	if !within(t.realRoot, real) {
		return "", fmt.Errorf("plan: %s: %s is a symlink out of the output root; kitforge does not write through it", rel, t.relOf(dir))
	}
	if fi, err := os.Stat(real); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("plan: %s: %s is not a directory", rel, t.relOf(dir))
	}
	return full, nil
}

// relOf names an OS path below the root the way plan paths are written.
func (t *tree) relOf(p string) string {
	r, err := filepath.Rel(t.root, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}

// within reports whether p is root or below it.
func within(root, p string) bool {
	if p == root {
		return true
	}
	if !strings.HasSuffix(root, string(filepath.Separator)) {
		root += string(filepath.Separator)
	}
	return strings.HasPrefix(p, root)
}
