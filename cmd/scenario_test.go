package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aymanbagabas/go-udiff"

	"github.com/kitforge/kitforge/generator/deps"
)

// scenarioModule is the module path scenarios get when they bring no go.mod.
const scenarioModule = "example.com/scenario"

// TestScenarios replays every testdata/scenarios/*.txtar (the format is
// described at type scenario): a user's tree changed step by step, with
// kitforge run after each change.
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("../testdata/scenarios/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			must(t, err)
			sc, err := parseScenario(data)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			r := &scenarioRun{t: t, dir: t.TempDir()}
			r.extract(sc)
			for i, st := range sc.steps {
				if !r.step(i+1, st) {
					return
				}
			}
		})
	}
}

// scenarioRun is the state of one scenario being replayed.
type scenarioRun struct {
	t   *testing.T
	dir string
	// built is the tree hash that last built and vetted, so an unchanged
	// tree is not built twice.
	built string
}

// oldTime is the modification time every file gets before a step, so a
// write shows in its mtime however fast the step is.
var oldTime = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// extract writes the scenario's starting tree, as a module.
func (r *scenarioRun) extract(sc *scenario) {
	for _, f := range sc.tree {
		r.write(f.Name, f.Data)
	}
	if _, err := os.Stat(filepath.Join(r.dir, "go.mod")); err != nil {
		r.write("go.mod", deps.GoMod(scenarioModule))
		r.write("go.sum", deps.GoSum())
	}
}

func (r *scenarioRun) write(rel string, data []byte) {
	p := filepath.Join(r.dir, filepath.FromSlash(rel))
	must(r.t, os.MkdirAll(filepath.Dir(p), 0o755))
	must(r.t, os.WriteFile(p, data, 0o644))
}

// step runs step n and reports whether the scenario may go on.
func (r *scenarioRun) step(n int, st *step) bool {
	t := r.t
	t.Helper()
	r.applyOps(n, st)
	before := r.snapshot()
	stdout, stderr, code := r.runCommand(st.command)
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("step %d (%s), %s: "+format+"\nstdout:\n%s\nstderr:\n%s",
			append(append([]any{n, st.name, strings.Join(st.command, " ")}, args...), clip(stdout), clip(stderr))...)
	}
	if code != st.exit {
		fail("exit code %d, want %d", code, st.exit)
		return false
	}
	readOnly := slices.Contains(st.command, "--check") || slices.Contains(st.command, "--dry-run")
	if st.nowrite || code != 0 || readOnly {
		if written := r.written(before); len(written) > 0 {
			fail("wrote %s; this step must write nothing", strings.Join(written, ", "))
		}
	}
	for _, c := range st.checks {
		if msg := r.check(c, stdout, stderr); msg != "" {
			fail("line %d: %s", c.line, msg)
		}
	}
	for _, w := range st.want {
		got, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(w.Name)))
		switch {
		case err != nil:
			fail("want %s: %v", w.Name, err)
		case !bytes.Equal(got, w.Data):
			fail("%s is not as wanted:\n%s", w.Name, unifiedDiff("want/"+w.Name, "got/"+w.Name, w.Data, got))
		}
	}
	if t.Failed() {
		return false
	}
	if code == 0 && !readOnly && isGenerate(st.command) {
		r.rerunIsNoop(n, st)
		r.buildAndVet(n, st)
	}
	return !t.Failed()
}

// applyOps changes the tree as the step says, before its command.
func (r *scenarioRun) applyOps(n int, st *step) {
	for _, op := range st.before {
		p := filepath.Join(r.dir, filepath.FromSlash(op.path))
		switch op.kind {
		case "write":
			r.write(op.path, op.data)
		case "delete":
			must(r.t, os.RemoveAll(p)) // a file or a directory (vendor)
		case "edit":
			data, err := os.ReadFile(p)
			must(r.t, err)
			if c := strings.Count(string(data), op.old); c != 1 {
				r.t.Fatalf("step %d (%s): edit %s: the old text occurs %d times, want once:\n%s", n, st.name, op.path, c, op.old)
			}
			r.write(op.path, []byte(strings.Replace(string(data), op.old, op.new, 1)))
		}
	}
}

// runCommand runs kitforge in-process, or the go command with kitforge on
// PATH, in the module root.
func (r *scenarioRun) runCommand(command []string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	if command[0] == "kitforge" {
		code = Execute(context.Background(), append([]string{"-C", r.dir}, command[1:]...), &out, &errb)
		return out.String(), errb.String(), code
	}
	bin, err := kitforgeBin()
	must(r.t, err)
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		code = -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
	}
	return out.String(), errb.String(), code
}

// isGenerate reports whether a command regenerates the service.
func isGenerate(command []string) bool {
	return slices.Contains(command, "generate")
}

// fileState is a file's content and modification time.
type fileState struct {
	data  []byte
	mtime time.Time
}

// snapshot sets every file's mtime to oldTime and returns the tree.
func (r *scenarioRun) snapshot() map[string]fileState {
	snap := map[string]fileState{}
	err := filepath.WalkDir(r.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if err := os.Chtimes(p, oldTime, oldTime); err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(r.dir, p)
		snap[filepath.ToSlash(rel)] = fileState{data, oldTime}
		return err
	})
	must(r.t, err)
	return snap
}

// written lists the files created, changed, touched or removed since
// snapshot.
func (r *scenarioRun) written(before map[string]fileState) []string {
	var out []string
	seen := map[string]bool{}
	err := filepath.WalkDir(r.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(r.dir, p)
		rel = filepath.ToSlash(rel)
		seen[rel] = true
		fi, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		b, ok := before[rel]
		if !ok || !fi.ModTime().Equal(b.mtime) || !bytes.Equal(data, b.data) {
			out = append(out, rel)
		}
		return nil
	})
	must(r.t, err)
	for rel := range before {
		if !seen[rel] {
			out = append(out, rel+" (removed)")
		}
	}
	slices.Sort(out)
	return out
}

// check evaluates one assertion and returns what is wrong, or "".
func (r *scenarioRun) check(c check, stdout, stderr string) string {
	var ok bool
	var what string
	switch c.kind {
	case "stdout":
		ok, what = strings.Contains(stdout, c.text), "stdout contains "+quote(c.text)
	case "stderr":
		ok, what = strings.Contains(stderr, c.text), "stderr contains "+quote(c.text)
	case "contains":
		data, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(c.args[0])))
		if err != nil {
			return err.Error()
		}
		ok, what = strings.Contains(string(data), c.text), c.args[0]+" contains "+quote(c.text)
		if ok == c.negate && len(data) < 4000 {
			what += ":\n" + string(data)
		}
	case "exists":
		_, err := os.Stat(filepath.Join(r.dir, filepath.FromSlash(c.args[0])))
		ok, what = err == nil, c.args[0]+" exists"
	case "json":
		return checkJSON(stdout, c.args[0], c.args[1], c.text)
	}
	if ok == c.negate {
		if c.negate {
			return "want not: " + what
		}
		return "want: " + what
	}
	return ""
}

// checkJSON decodes --json output and checks the entry for path.
func checkJSON(stdout, path, action, note string) string {
	var entries []struct {
		Path   string   `json:"path"`
		Action string   `json:"action"`
		Notes  []string `json:"notes"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&entries); err != nil {
		return "stdout is not a JSON plan: " + err.Error()
	}
	for _, e := range entries {
		if e.Path != path {
			continue
		}
		if e.Action != action {
			return "json: " + path + " has action " + e.Action + ", want " + action
		}
		if e.Notes == nil {
			return "json: " + path + ": notes is null, want an array"
		}
		if note != "" && !slices.ContainsFunc(e.Notes, func(n string) bool { return strings.Contains(n, note) }) {
			return "json: " + path + ": no note contains " + quote(note) + " in " + strings.Join(e.Notes, "; ")
		}
		return ""
	}
	return "json: no entry for " + path
}

// rerunIsNoop requires that generating again right away changes nothing.
func (r *scenarioRun) rerunIsNoop(n int, st *step) {
	var out, errb bytes.Buffer
	if code := Execute(context.Background(), []string{"-C", r.dir, "generate", "--check"}, &out, &errb); code != 0 {
		r.t.Errorf("step %d (%s): right after it, generate --check exits %d: a rerun would change files:\n%s%s",
			n, st.name, code, out.String(), errb.String())
	}
}

// buildAndVet requires the module to build and vet, unless this very tree
// already did. -short skips it, as it skips every test that builds a
// generated service.
func (r *scenarioRun) buildAndVet(n int, st *step) {
	if testing.Short() {
		return
	}
	h := hashTree(r.t, r.dir)
	if h == r.built {
		return
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = r.dir
		if out, err := cmd.CombinedOutput(); err != nil {
			r.t.Errorf("step %d (%s): go %s: %v\n%s", n, st.name, strings.Join(args, " "), err, out)
			return
		}
	}
	r.built = h
}

func unifiedDiff(from, to string, a, b []byte) string {
	return udiff.Unified(from, to, string(a), string(b))
}

// clip shortens long command output in failure messages to its first lines.
func clip(s string) string {
	const max = 80
	lines := strings.SplitAfter(s, "\n")
	if len(lines) <= max {
		return s
	}
	return strings.Join(lines[:max], "") + "[... " + strconv.Itoa(len(lines)-max) + " more lines]\n"
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
