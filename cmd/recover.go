package cmd

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kitforge/kitforge/generator/plan"
)

// recoverInterrupted finishes what a killed kitforge run left in the module
// around e.dir, before anything reads the tree (kitforge.yaml included: a
// completed run may have changed it), and says what it did. With readOnly
// (--check, --dry-run, which write nothing) it only reports what is left and
// fails: the tree may be half-written, so it is not "up to date".
func recoverInterrupted(e *env, readOnly bool) error {
	root := moduleRoot(e.dir)
	if root == "" {
		return nil // not in a module: loadOptions says so
	}
	if readOnly {
		left, err := plan.Interrupted(root)
		if err != nil || len(left) == 0 {
			return err
		}
		for _, p := range left {
			fmt.Fprintf(e.stderr, "kitforge: left by an interrupted generate: %s\n", displayPath(e.dir, filepath.Join(root, filepath.FromSlash(p))))
		}
		fmt.Fprintln(e.stderr, "kitforge: the tree may be half-written; run 'kitforge generate' to recover it")
		return silentError{exitUser}
	}
	done, err := plan.Recover(root)
	for _, line := range done {
		fmt.Fprintln(e.stderr, "kitforge: "+line)
	}
	return err
}

// moduleRoot is the directory of the go.mod at or above dir, "" without one.
func moduleRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// clearInterruptedNew removes what killed `new` runs for the same target
// left beside it: the hidden module directories scaffoldModule builds in
// (".NAME.kitforge-<digits>"). kitforge wrote all of their content, and they
// never became the module. A kill leaves the target itself untouched.
func clearInterruptedNew(w io.Writer, parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	prefix := "." + base + ".kitforge-"
	for _, d := range entries {
		id, ok := strings.CutPrefix(d.Name(), prefix)
		if !ok || !d.IsDir() || id == "" || strings.Trim(id, "0123456789") != "" {
			continue
		}
		if os.RemoveAll(filepath.Join(parent, d.Name())) == nil {
			fmt.Fprintf(w, "kitforge: removed %s: left by an interrupted new\n", filepath.Join(parent, d.Name()))
		}
	}
}
