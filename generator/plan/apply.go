package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
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
// Apply survives a kill too: it keeps a journal in root (JournalName) that
// names every directory, temporary file and backup before it exists, and is
// sealed and synced once everything is staged, before the first rename. The
// next run's Recover completes an apply whose journal was sealed and undoes
// one whose journal was not, so the tree is the new one or the old one.
//
// Apply refuses to overwrite or delete a file whose content differs from the
// change's Old (the user edited it after Resolve), and to create a file that
// appeared since.
func Apply(root string, changes []*Change) error {
	return apply(root, changes, os.Rename)
}

// StepHook, when not nil, is called after every step of Apply that changes
// the disk, with the step's name ("temp pkg/x.go", "rename pkg/x.go", ...).
// Crash tests set it to stop the process right there, as a kill would; it is
// nil otherwise. Apply defers nothing, so stopping it by a panic runs no
// cleanup either.
var StepHook func(step string)

// did reports a step done to StepHook.
func did(step string) {
	if StepHook != nil {
		StepHook(step)
	}
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
	tx := &txn{root: t.root, rename: rename}
	err = tx.begin()
	if err == nil {
		err = tx.prepare(t, todo)
	}
	if err == nil {
		err = tx.syncStaged()
	}
	if err == nil {
		err = tx.journal.seal()
	}
	if err == nil {
		did("staged")
		err = tx.commit()
	}
	if err != nil {
		if rerr := tx.rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("plan: restoring the tree failed; the next 'kitforge generate' tries again: %w", rerr))
		}
		return fmt.Errorf("%w (no file was changed)", err)
	}
	return tx.cleanup()
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
	root    string
	rename  func(oldpath, newpath string) error
	journal *journal
	steps   []*step
	dirs    []string // directories created, in creation order
	// rootDirs are the root and its parents, created before the journal
	// when the root was missing.
	rootDirs []string
}

// begin starts the journal, creating the root first when it is missing.
func (tx *txn) begin() error {
	err := tx.mkdirs(tx.root)
	tx.rootDirs, tx.dirs = tx.dirs, nil
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	j, err := createJournal(tx.root)
	if j != nil {
		tx.journal = j
		did("journal")
	}
	return err
}

// prepare checks every target against the plan and stages temporary files
// and backups; it changes no existing path. Each step is in the journal
// before its files exist.
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
		if err := tx.mkdirs(filepath.Dir(full)); err != nil {
			return fmt.Errorf("plan: %s: %w", c.Path, err)
		}
		if err := tx.stage(s, mode); err != nil {
			return fmt.Errorf("plan: %s: %w", c.Path, err)
		}
	}
	return nil
}

// stage names the step's temporary file and backup, journals them, then
// writes them. A delete only names its backup: commit moves the file there.
func (tx *txn) stage(s *step, mode fs.FileMode) error {
	dir := filepath.Dir(s.full)
	var err error
	if s.existed {
		if s.backup, err = tempName(dir, backupSuffix); err != nil {
			return err
		}
	}
	if s.c.Action != Delete {
		if s.temp, err = tempName(dir, tempSuffix); err != nil {
			return err
		}
	}
	if err := tx.journal.add(tx.entry(s)); err != nil {
		return err
	}
	if s.c.Action == Delete {
		return nil
	}
	if s.existed {
		if err := s.makeBackup(mode); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		did("backup " + s.c.Path)
	}
	if err := writeTemp(s.temp, s.c.New, mode); err != nil {
		return err
	}
	did("temp " + s.c.Path)
	return nil
}

// syncStaged makes the temporary files durable before the first rename, so
// that after a power loss no renamed file can be empty. The files are synced
// concurrently: the file system then commits them together, in about the
// time of one sync instead of one per file.
func (tx *txn) syncStaged() error {
	var wg sync.WaitGroup
	errs := make([]error, len(tx.steps))
	for i, s := range tx.steps {
		if s.temp == "" {
			continue
		}
		wg.Go(func() { errs[i] = syncFile(s.temp) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// syncFile flushes a file's content (a directory's entries) to the disk.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	return nil
}

// entry is the journal line of a step.
func (tx *txn) entry(s *step) entry {
	e := entry{Op: "step", Path: s.c.Path, Action: s.c.Action, Temp: tx.rel(s.temp), Backup: tx.rel(s.backup)}
	if s.existed {
		e.Old = hashOf(s.c.Old)
	}
	return e
}

// rel is an OS path below the root as the journal writes it; "" stays "".
func (tx *txn) rel(p string) string {
	if p == "" {
		return ""
	}
	r, _ := filepath.Rel(tx.root, p)
	return filepath.ToSlash(r)
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

// makeBackup keeps the current file under s.backup: a hard link when the
// file system allows, otherwise a copy.
func (s *step) makeBackup(mode fs.FileMode) error {
	if err := os.Link(s.full, s.backup); err == nil {
		return nil
	}
	return writeTemp(s.backup, s.c.Old, mode)
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
			did("rename " + s.c.Path)
		}
	}
	return nil
}

// rollback undoes commit and prepare, newest first, and ends the journal
// when it succeeded (otherwise the journal stays for the next run's Recover).
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
	if tx.journal != nil {
		if err := errors.Join(errs...); err != nil {
			_ = tx.journal.f.Close()
			return err
		}
		errs = append(errs, tx.journal.remove())
	}
	for i := len(tx.rootDirs) - 1; i >= 0; i-- {
		errs = append(errs, os.Remove(tx.rootDirs[i]))
	}
	return errors.Join(errs...)
}

// cleanup removes the backups after success, and directories that deletes
// left empty, then the journal, last. Failures to remove backups or
// directories leave only what the next run's Recover removes.
func (tx *txn) cleanup() error {
	for _, s := range tx.steps {
		if s.backup != "" && removeIfSet(s.backup) == nil {
			did("remove backup " + s.c.Path)
		}
	}
	for _, s := range tx.steps {
		if s.c.Action == Delete {
			removeIfEmpty(filepath.Dir(s.full), tx.root)
		}
	}
	return tx.journal.remove()
}

// removeIfEmpty removes dir when it is empty and not the root.
func removeIfEmpty(dir, root string) {
	if dir == root {
		return
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) == 0 {
		_ = os.Remove(dir)
	}
}

// mkdirs creates dir and its missing parents, recording each one created,
// in the journal too once it exists.
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
	if tx.journal != nil {
		if err := tx.journal.add(entry{Op: "mkdir", Path: tx.rel(dir)}); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, dirMode); err != nil {
		return err
	}
	tx.dirs = append(tx.dirs, dir)
	if tx.journal != nil {
		did("mkdir " + tx.rel(dir))
	}
	return nil
}

// writeTemp writes content to the new file name (hidden from the go tool,
// which ignores names starting with a dot); syncStaged syncs it.
func writeTemp(name string, content []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, mode) // the mode, not the mode under the umask
	}
	if err != nil {
		_ = os.Remove(name)
	}
	return err
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
