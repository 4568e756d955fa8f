package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/kitforge/kitforge/generator/model"
)

// Notes that Resolve attaches to changes.
const (
	noteStale     = "stale"
	noteTakenOver = "taken over by you: header removed"
)

// Resolve compares the plan with the disk: it reads the files the plan
// names, runs the merges of existing scaffolded files and finds stale
// generated files in the owned directories. It writes nothing. The changes
// are sorted by path, one per path.
func (p *Plan) Resolve() ([]*Change, error) {
	t, err := newTree(p.Root)
	if err != nil {
		return nil, err
	}
	planned := make(map[string]bool, len(p.Files))
	var changes []*Change
	for _, f := range p.Files {
		if planned[f.Path] {
			return nil, fmt.Errorf("plan: %s is planned twice", f.Path)
		}
		planned[f.Path] = true
		full, err := t.abs(f.Path)
		if err != nil {
			return nil, err
		}
		c, err := resolveFile(full, f)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
	}
	for _, dir := range p.Owned {
		stale, err := t.stale(dir, planned, p.Markers[dir])
		if err != nil {
			return nil, err
		}
		changes = append(changes, stale...)
	}
	slices.SortFunc(changes, func(a, b *Change) int { return strings.Compare(a.Path, b.Path) })
	return changes, nil
}

// resolveFile decides what to do with one planned file.
func resolveFile(full string, f *File) (*Change, error) {
	c := &Change{Path: f.Path}
	if f.Owner == Once {
		_, err := os.Lstat(full)
		switch {
		case err == nil:
			c.Action = Keep
		case missing(err):
			c.Action, c.New = Create, f.Content
		default:
			return nil, fmt.Errorf("plan: %w", err)
		}
		return c, nil
	}
	if f.Owner == Generated && !HasMarker(f.Content, f.marker()) {
		return nil, fmt.Errorf("plan: generated file %s does not start with %q", f.Path, "// "+f.marker())
	}
	old, exists, err := readRegular(full, f.Path)
	if err != nil {
		return nil, err
	}
	c.Old = old
	switch {
	case !exists:
		c.Action, c.New = Create, f.Content
	case f.Owner == Generated && !HasMarker(old, f.marker()):
		c.Action, c.Notes = TakenOver, []string{noteTakenOver}
	case f.Owner == Generated:
		c.New = f.Content
		c.Action = Update
		if bytes.Equal(old, f.Content) {
			c.Action = Unchanged
		}
	case f.Merge == nil:
		c.Action = Keep
	default:
		merged, notes, err := f.Merge(bytes.Clone(old))
		if err != nil {
			var merr *model.Error
			if errors.As(err, &merr) {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		c.New, c.Notes = merged, notes
		c.Action = Merge
		if bytes.Equal(old, merged) {
			c.Action = Unchanged
		}
	}
	return c, nil
}

// stale lists the generated files directly in the owned directory dir that
// the plan does not produce: those with kitforge's header or one of the
// other generators' markers.
func (t *tree) stale(dir string, planned map[string]bool, markers []string) ([]*Change, error) {
	full := t.root // "." is the root itself: a service in the module's root package
	if dir != "." {
		var err error
		if full, err = t.abs(dir); err != nil {
			return nil, err
		}
	}
	if fi, err := os.Lstat(full); err != nil || !fi.IsDir() {
		return nil, nil // missing, a file, or a symlink: nothing kitforge wrote
	}
	entries, err := os.ReadDir(full)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	var out []*Change
	for _, e := range entries {
		rel := path.Join(dir, e.Name())
		if !e.Type().IsRegular() || planned[rel] || isTemporary(e.Name()) {
			continue // a temporary file of an interrupted run is Recover's
		}
		planned[rel] = true // a directory listed twice yields one delete
		old, err := os.ReadFile(filepath.Join(full, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("plan: %w", err)
		}
		if IsGenerated(old) || slices.ContainsFunc(markers, func(m string) bool { return HasMarker(old, m) }) {
			out = append(out, &Change{Path: rel, Action: Delete, Old: old, Notes: []string{noteStale}})
		}
	}
	return out, nil
}

// readRegular reads a regular file; a missing file is not an error.
func readRegular(full, rel string) ([]byte, bool, error) {
	fi, err := os.Lstat(full)
	switch {
	case missing(err):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("plan: %w", err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return nil, false, fmt.Errorf("plan: %s is a symlink; kitforge does not write through symlinks (replace it with a regular file)", rel)
	case !fi.Mode().IsRegular():
		return nil, false, fmt.Errorf("plan: %s exists and is not a regular file", rel)
	}
	b, err := os.ReadFile(full)
	if err != nil {
		return nil, false, fmt.Errorf("plan: %w", err)
	}
	return b, true, nil
}

// missing reports whether err says a path does not exist.
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}
