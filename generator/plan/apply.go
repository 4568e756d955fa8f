package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Modes of what Apply creates (before the umask).
const (
	fileMode fs.FileMode = 0o644
	dirMode  fs.FileMode = 0o755
)

// Apply writes the changes under root, all or nothing. Every new content is
// first written to a temporary file next to its target and every file about
// to be overwritten gets a backup; only then are the temporary files renamed
// into place and stale files removed. If anything fails, the temporary files
// are removed and what was already renamed is restored, so the tree is left
// as it was. Unchanged files are not written, so their mtimes stay.
//
// Apply refuses to overwrite or delete a file whose content differs from the
// change's Old (the user edited it after Resolve), and to create a file that
// appeared since.
func Apply(root string, changes []*Change) error {
	return apply(root, changes, os.Rename)
}

// apply is Apply with the rename that moves new content into place and stale
// files aside, so tests can make it fail midway.
func apply(root string, changes []*Change, rename func(oldpath, newpath string) error) error {
	todo := Pending(changes)
	if len(todo) == 0 {
		return nil
	}
	t, err := newTree(root)
	if err != nil {
		return err
	}
	tx := &txn{rename: rename}
	err = tx.prepare(t, todo)
	if err == nil {
		err = tx.commit()
	}
	if err != nil {
		if rerr := tx.rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("plan: restoring the tree failed, check it by hand: %w", rerr))
		}
		return fmt.Errorf("%w (no file was changed)", err)
	}
	tx.cleanup()
	return nil
}

// step is one change being applied.
type step struct {
	c       *Change
	full    string
	temp    string // new content, waiting to be renamed into place
	backup  string // the original file, kept until success
	existed bool   // the target existed before (always, for deletes)
	placed  bool   // the rename of this step happened
}

// txn is one Apply: what it created and moved, so it can be undone.
type txn struct {
	rename func(oldpath, newpath string) error
	steps  []*step
	dirs   []string // directories created, in creation order
}

// prepare checks every target against the plan and stages temporary files
// and backups; it changes no existing path.
func (tx *txn) prepare(t *tree, todo []*Change) error {
	for _, c := range todo {
		full, err := t.abs(c.Path)
		if err != nil {
			return err
		}
		s := &step{c: c, full: full}
		tx.steps = append(tx.steps, s)
		mode, err := s.check()
		if err != nil {
			return err
		}
		if c.Action == Delete {
			// commit moves the file itself to this name.
			if s.backup, err = reserveName(filepath.Dir(full)); err != nil {
				return fmt.Errorf("plan: %s: %w", c.Path, err)
			}
			continue
		}
		if s.existed {
			if err := s.makeBackup(mode); err != nil {
				return fmt.Errorf("plan: %s: backup: %w", c.Path, err)
			}
		}
		if err := tx.mkdirs(filepath.Dir(full)); err != nil {
			return fmt.Errorf("plan: %s: %w", c.Path, err)
		}
		if s.temp, err = writeTemp(filepath.Dir(full), c.New, mode); err != nil {
			return fmt.Errorf("plan: %s: %w", c.Path, err)
		}
	}
	return nil
}

// check verifies that the disk still holds what Resolve saw and returns the
// mode the new content gets (an existing file keeps its permissions).
func (s *step) check() (fs.FileMode, error) {
	c := s.c
	if c.Action == Create {
		if _, err := os.Lstat(s.full); !missing(err) {
			return 0, fmt.Errorf("plan: %s appeared on disk after the plan was made; re-run kitforge", c.Path)
		}
		return fileMode, nil
	}
	old, exists, err := readRegular(s.full, c.Path)
	if err != nil {
		return 0, err
	}
	if !exists || !bytes.Equal(old, c.Old) {
		return 0, fmt.Errorf("plan: %s changed on disk after the plan was made; re-run kitforge", c.Path)
	}
	s.existed = true
	fi, err := os.Stat(s.full)
	if err != nil {
		return 0, fmt.Errorf("plan: %w", err)
	}
	return fi.Mode().Perm(), nil
}

// makeBackup keeps the current file under a temporary name: a hard link
// when the file system allows, otherwise a copy.
func (s *step) makeBackup(mode fs.FileMode) error {
	dir := filepath.Dir(s.full)
	name, err := reserveName(dir)
	if err != nil {
		return err
	}
	if err := os.Link(s.full, name); err == nil {
		s.backup = name
		return nil
	}
	s.backup, err = writeTemp(dir, s.c.Old, mode)
	return err
}

// commit renames the staged files into place, then moves stale files aside.
func (tx *txn) commit() error {
	for _, deletes := range []bool{false, true} {
		for _, s := range tx.steps {
			if (s.c.Action == Delete) != deletes {
				continue
			}
			from, to := s.temp, s.full
			if deletes {
				from, to = s.full, s.backup
			}
			if err := tx.rename(from, to); err != nil {
				return fmt.Errorf("plan: %s: %w", s.c.Path, err)
			}
			s.placed = true
		}
	}
	return nil
}

// rollback undoes commit and prepare, newest first.
func (tx *txn) rollback() error {
	var errs []error
	for i := len(tx.steps) - 1; i >= 0; i-- {
		s := tx.steps[i]
		switch {
		case s.placed && s.existed: // an overwrite or a delete
			errs = append(errs, os.Rename(s.backup, s.full))
		case s.placed:
			errs = append(errs, os.Remove(s.full))
		default:
			errs = append(errs, removeIfSet(s.temp), removeIfSet(s.backup))
		}
	}
	for i := len(tx.dirs) - 1; i >= 0; i-- {
		errs = append(errs, os.Remove(tx.dirs[i]))
	}
	return errors.Join(errs...)
}

// cleanup removes the backups after success, and directories that deletes
// left empty. Failures here leave only dot-files behind, so they are ignored.
func (tx *txn) cleanup() {
	for _, s := range tx.steps {
		_ = removeIfSet(s.backup)
	}
	for _, s := range tx.steps {
		if s.c.Action != Delete {
			continue
		}
		dir := filepath.Dir(s.full)
		if entries, err := os.ReadDir(dir); err == nil && len(entries) == 0 {
			_ = os.Remove(dir)
		}
	}
}

// mkdirs creates dir and its missing parents, recording each one created.
func (tx *txn) mkdirs(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s is not a directory", dir)
		}
		return nil
	}
	if !missing(err) {
		return err
	}
	if err := tx.mkdirs(filepath.Dir(dir)); err != nil {
		return err
	}
	if err := os.Mkdir(dir, dirMode); err != nil {
		return err
	}
	tx.dirs = append(tx.dirs, dir)
	return nil
}

// writeTemp writes content to a new hidden file in dir (hidden from the go
// tool, which ignores names starting with a dot) and returns its name.
func writeTemp(dir string, content []byte, mode fs.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, ".kitforge-*.tmp")
	if err != nil {
		return "", err
	}
	_, err = f.Write(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), mode)
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// reserveName returns an unused hidden file name in dir.
func reserveName(dir string) (string, error) {
	f, err := os.CreateTemp(dir, ".kitforge-*.bak")
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	return name, os.Remove(name)
}

func removeIfSet(name string) error {
	if name == "" {
		return nil
	}
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
