package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// JournalName is the file, in the module root, that records an Apply in
// progress. It starts with a dot, so the go tool ignores it.
const JournalName = ".kitforge-apply.journal"

// tempPrefix starts the name of every temporary file and backup Apply
// creates next to its targets.
const tempPrefix = ".kitforge-"

// Suffixes of Apply's temporary files: new content waiting to be renamed
// into place, and the original of a file being replaced or deleted.
const (
	tempSuffix   = ".tmp"
	backupSuffix = ".bak"
)

// journalVersion is written in the journal's first line; a journal of
// another version is not interpreted.
const journalVersion = 1

// entry is one line of the journal, in JSON. Paths are slash-separated and
// relative to the root.
type entry struct {
	// Op is "begin" (the first line), "mkdir" (a directory about to be
	// created), "step" (one change, written before its temporary file and
	// backup exist) or "staged" (every temporary file and backup is
	// written: the renames may start).
	Op      string `json:"op"`
	Version int    `json:"version,omitempty"`
	Path    string `json:"path,omitempty"`
	Action  Action `json:"action,omitempty"`
	Temp    string `json:"temp,omitempty"`
	Backup  string `json:"backup,omitempty"`
	// Old is the SHA-256 of the target before the apply, empty when it did
	// not exist: recovery never replaces a file that changed since.
	Old string `json:"old,omitempty"`
}

// journal is the open journal of an Apply in progress.
type journal struct {
	f    *os.File
	root string
}

// createJournal starts the journal in root; one left by an interrupted
// Apply makes it fail, so that apply is recovered first.
func createJournal(root string) (*journal, error) {
	f, err := os.OpenFile(filepath.Join(root, JournalName), os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("plan: %s: an earlier kitforge run was interrupted; run 'kitforge generate' to recover it", JournalName)
	}
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	j := &journal{f: f, root: root}
	return j, j.add(entry{Op: "begin", Version: journalVersion})
}

// add appends one line. Lines before "staged" are not synced: until then
// the tree is untouched and recovery only removes what the lines name, so
// only a kill (not a power loss) needs them, and the page cache survives a
// kill.
func (j *journal) add(e entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("plan: %s: %w", JournalName, err)
	}
	return nil
}

// seal records that everything is staged and makes the journal durable:
// from here on, recovery completes the apply instead of undoing it.
func (j *journal) seal() error {
	if err := j.add(entry{Op: "staged"}); err != nil {
		return err
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("plan: %s: %w", JournalName, err)
	}
	return syncDir(j.root)
}

// remove deletes the journal: the apply is over. The removal is not
// synced: should a power loss undo it, the next run completes the apply
// again, which finds nothing left to do.
func (j *journal) remove() error {
	_ = j.f.Close()
	if err := os.Remove(j.f.Name()); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	return nil
}

// record is a journal read back by recovery.
type record struct {
	dirs   []string // created directories, in creation order
	steps  []entry
	staged bool
}

// readJournal reads the journal in root; nil without one. A last line
// without its newline is a write the kill cut short and is ignored: it can
// only be a line before "staged" is synced.
func readJournal(root string) (*record, error) {
	data, err := os.ReadFile(filepath.Join(root, JournalName))
	if missing(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	if i := bytes.LastIndexByte(data, '\n'); i < len(data)-1 {
		data = data[:i+1]
	}
	rec := &record{}
	for n, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if line == "" && n == 0 {
			break // cut before its first line: nothing was done
		}
		var e entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			return nil, journalError(n+1, err.Error())
		}
		if err := rec.add(n, e); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// add checks one entry of the journal and records it.
func (rec *record) add(n int, e entry) error {
	if (n == 0) != (e.Op == "begin") {
		return journalError(n+1, "want a begin line first, and only first")
	}
	switch e.Op {
	case "begin":
		if e.Version != journalVersion {
			return journalError(n+1, fmt.Sprintf("version %d, this kitforge reads version %d", e.Version, journalVersion))
		}
	case "mkdir":
		if err := checkRel(e.Path); err != nil {
			return journalError(n+1, err.Error())
		}
		rec.dirs = append(rec.dirs, e.Path)
	case "step":
		for _, p := range []string{e.Path, e.Temp, e.Backup} {
			if p == "" {
				continue
			}
			if err := checkRel(p); err != nil {
				return journalError(n+1, err.Error())
			}
		}
		if e.Temp != "" && !isTemporary(e.Temp) || e.Backup != "" && !isTemporary(e.Backup) {
			return journalError(n+1, "a temporary file not named "+tempPrefix+"*")
		}
		rec.steps = append(rec.steps, e)
	case "staged":
		rec.staged = true
	default:
		return journalError(n+1, fmt.Sprintf("unknown op %q", e.Op))
	}
	return nil
}

func journalError(line int, msg string) error {
	return fmt.Errorf("plan: %s:%d: %s; kitforge cannot tell how to recover the interrupted run: restore the module from version control and delete %s", JournalName, line, msg, JournalName)
}

// tempName returns an unused name for a temporary file or backup in dir.
func tempName(dir, suffix string) (string, error) {
	for range 100 {
		name := filepath.Join(dir, fmt.Sprintf("%s%016x%s", tempPrefix, rand.Uint64(), suffix))
		if _, err := os.Lstat(name); missing(err) {
			return name, nil
		}
	}
	return "", fmt.Errorf("no free temporary file name in %s", dir)
}

// isTemporary reports whether a path names one of Apply's temporary files
// or backups (the journal is not one).
func isTemporary(p string) bool {
	base := filepath.Base(filepath.FromSlash(p))
	return strings.HasPrefix(base, tempPrefix) && base != JournalName &&
		(strings.HasSuffix(base, tempSuffix) || strings.HasSuffix(base, backupSuffix))
}

// hashFile is the SHA-256 of a regular file, "" when it does not exist.
func hashFile(full string) (string, error) {
	b, err := os.ReadFile(full)
	if missing(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return hashOf(b), nil
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// syncDir makes the entries of dir durable (new, renamed and removed names).
func syncDir(dir string) error { return syncFile(dir) }
