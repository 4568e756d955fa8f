package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Interrupted lists, without changing anything, what an interrupted Apply
// left under root: its journal and every temporary file or backup (of this
// version of kitforge or an older one, which kept no journal), as
// slash-separated paths relative to root. Nothing listed means Recover has
// nothing to do.
func Interrupted(root string) ([]string, error) {
	var out []string
	if _, err := os.Lstat(filepath.Join(root, JournalName)); err == nil {
		out = append(out, JournalName)
	} else if !missing(err) {
		return nil, fmt.Errorf("plan: %w", err)
	}
	strays, err := findTemporaries(root)
	if err != nil {
		return nil, err
	}
	for _, p := range strays {
		out = append(out, relSlash(root, p))
	}
	return out, nil
}

// Recover finishes what an interrupted Apply left under root and says what
// it did, one line per thing, for the user.
//
// With a journal, the apply is completed when the journal was sealed (every
// temporary file was staged, so the new tree is fully on disk and some of it
// may already be in place: going forward is what the run had decided) and
// undone otherwise (no target was touched yet). Either way a file that
// changed since the interrupted run is never replaced, and a backup whose
// target is missing is put back rather than deleted. The journal is removed
// last, so a kill during Recover is recovered by the next run.
//
// Then every remaining temporary file is handled, also those of older
// kitforge versions that kept no journal: a ".tmp" holds new content that
// was never placed and is removed; a ".bak" is removed when a file beside it
// has the same content or when it is a generated file (the next generate
// writes it again), and is otherwise renamed to a visible
// "kitforge-backup-*.orig" for the user to look at: kitforge cannot tell
// which file it was the backup of, and never deletes the user's code.
func Recover(root string) ([]string, error) {
	root = filepath.Clean(root)
	rec, err := readJournal(root)
	if err != nil {
		return nil, err
	}
	var done []string
	if rec != nil {
		r := &recovery{root: root}
		if rec.staged {
			r.forward(rec)
		} else {
			r.back(rec)
		}
		if err := errors.Join(r.errs...); err != nil {
			return nil, fmt.Errorf("plan: recovering the interrupted kitforge run (%s): %w", JournalName, err)
		}
		done = r.done
	}
	strays, err := findTemporaries(root)
	if err != nil {
		return nil, err
	}
	for _, p := range strays {
		line, err := recoverStray(root, p)
		if err != nil {
			return nil, err
		}
		done = append(done, line)
	}
	if rec != nil {
		if err := os.Remove(filepath.Join(root, JournalName)); err != nil && !missing(err) {
			return nil, fmt.Errorf("plan: %w", err)
		}
	}
	return done, nil
}

// recovery is one run of Recover over a journal.
type recovery struct {
	root string
	done []string
	errs []error
}

func (r *recovery) abs(rel string) string {
	if rel == "" {
		return ""
	}
	return filepath.Join(r.root, filepath.FromSlash(rel))
}

func (r *recovery) fail(err error) {
	if err != nil {
		r.errs = append(r.errs, err)
	}
}

// forward completes a sealed apply: it does the renames still to do, then
// the cleanup.
func (r *recovery) forward(rec *record) {
	written := 0
	var kept []string
	for _, e := range rec.steps {
		full, temp := r.abs(e.Path), r.abs(e.Temp)
		if e.Action == Delete {
			if r.unchanged(full, e.Old) {
				r.fail(os.Remove(full))
				written++
			} else if _, err := os.Lstat(full); err == nil {
				kept = append(kept, e.Path)
			}
			r.dropBackup(e, true)
			continue
		}
		if _, err := os.Lstat(temp); err == nil {
			if r.unchanged(full, e.Old) {
				r.fail(os.Rename(temp, full))
				written++
			} else {
				kept = append(kept, e.Path)
				r.fail(removeIfSet(temp))
			}
		}
		r.dropBackup(e, true)
	}
	for _, e := range rec.steps {
		if e.Action == Delete {
			removeIfEmpty(filepath.Dir(r.abs(e.Path)), r.root)
		}
	}
	r.done = append(r.done, fmt.Sprintf("recovered an interrupted generate: completed it (%d of its %d file changes were still to do)", written, len(rec.steps)))
	for _, p := range kept {
		r.done = append(r.done, fmt.Sprintf("kept %s: it changed after the interrupted generate, so kitforge left it as it is", p))
	}
}

// back undoes an apply whose journal was not sealed: no target was renamed
// yet, so only the staged files and created directories go.
func (r *recovery) back(rec *record) {
	for i := len(rec.steps) - 1; i >= 0; i-- {
		e := rec.steps[i]
		r.fail(removeIfSet(r.abs(e.Temp)))
		r.dropBackup(e, false)
	}
	for i := len(rec.dirs) - 1; i >= 0; i-- {
		removeIfEmpty(r.abs(rec.dirs[i]), r.root)
	}
	r.done = append(r.done, "recovered an interrupted generate: rolled it back (it had not changed any file yet)")
}

// unchanged reports whether the file at full still has the content whose
// hash the journal recorded ("": it did not exist).
func (r *recovery) unchanged(full, old string) bool {
	h, err := hashFile(full)
	r.fail(err)
	return err == nil && h == old
}

// dropBackup removes a step's backup once its target is in place, and puts
// it back when the target is missing. The backup of a completed delete is
// the deleted file itself, and goes.
func (r *recovery) dropBackup(e entry, forward bool) {
	backup, full := r.abs(e.Backup), r.abs(e.Path)
	if backup == "" {
		return
	}
	if _, err := os.Lstat(backup); missing(err) {
		return
	}
	if forward && e.Action == Delete {
		if h, err := hashFile(backup); err == nil && h == e.Old {
			r.fail(os.Remove(backup))
			return
		}
	}
	if _, err := os.Lstat(full); missing(err) {
		r.fail(os.Rename(backup, full))
		return
	}
	if e.Action != Delete {
		r.fail(os.Remove(backup))
	}
	// Otherwise the pass over stray temporary files decides.
}

// findTemporaries lists Apply's temporary files and backups under root, in
// walk order. Hidden directories and nested modules (a go.mod of their own)
// are not entered: kitforge writes into neither.
func findTemporaries(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // unreadable: not kitforge's
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || isModule(p)) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && isTemporary(d.Name()) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil && !missing(err) {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return out, nil
}

func isModule(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, "go.mod"))
	return err == nil
}

// recoverStray deals with one temporary file outside any journal.
func recoverStray(root, p string) (string, error) {
	rel := relSlash(root, p)
	if strings.HasSuffix(p, tempSuffix) {
		if err := os.Remove(p); err != nil {
			return "", fmt.Errorf("plan: %w", err)
		}
		return fmt.Sprintf("removed %s: new content an interrupted generate never put in place", rel), nil
	}
	content, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("plan: %w", err)
	}
	twin, err := sameContent(p, content)
	if err != nil {
		return "", err
	}
	switch {
	case twin != "":
		if err := os.Remove(p); err != nil {
			return "", fmt.Errorf("plan: %w", err)
		}
		return fmt.Sprintf("removed %s: a backup of an interrupted generate, the same as %s", rel, relSlash(root, twin)), nil
	case IsGenerated(content):
		if err := os.Remove(p); err != nil {
			return "", fmt.Errorf("plan: %w", err)
		}
		return fmt.Sprintf("removed %s: a backup of a generated file by an interrupted generate", rel), nil
	}
	kept, err := keepVisible(p)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("renamed %s to %s: a backup an interrupted generate left of one of your files; compare it with them, then delete it", rel, relSlash(root, kept)), nil
}

// sameContent returns a regular file beside p (not a temporary one) with
// this content, or "".
func sameContent(p string, content []byte) (string, error) {
	dir := filepath.Dir(p)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("plan: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || isTemporary(e.Name()) || e.Name() == JournalName {
			continue
		}
		full := filepath.Join(dir, e.Name())
		if fi, err := e.Info(); err != nil || fi.Size() != int64(len(content)) {
			continue
		}
		if b, err := os.ReadFile(full); err == nil && bytes.Equal(b, content) {
			return full, nil
		}
	}
	return "", nil
}

// keepVisible renames a backup kitforge cannot place to a name the user
// sees and the go tool ignores ("kitforge-backup-<id>.orig").
func keepVisible(p string) (string, error) {
	id := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), tempPrefix), backupSuffix)
	for n := 0; ; n++ {
		name := "kitforge-backup-" + id
		if n > 0 {
			name += fmt.Sprintf("-%d", n)
		}
		to := filepath.Join(filepath.Dir(p), name+".orig")
		if _, err := os.Lstat(to); !missing(err) {
			continue
		}
		if err := os.Rename(p, to); err != nil {
			return "", fmt.Errorf("plan: %w", err)
		}
		return to, nil
	}
}

// relSlash names an OS path below root the way plan paths are written.
func relSlash(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}
