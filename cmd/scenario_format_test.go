package cmd

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/tools/txtar"
)

// A scenario is a txtar archive (testdata/scenarios/*.txtar) that replays
// what a user does to a service over time. Its comment describes it. The
// files before the first step are the user's module before kitforge runs
// (go.mod and go.sum are added when missing). Then come steps:
//
//	-- step: add a method --
//	kitforge generate                 the command: kitforge ARGS (run in-process,
//	                                  in the module root) or go ARGS (kitforge on PATH)
//	exit 0                            expected exit code (default 0)
//	stdout TEXT                       stdout contains TEXT (!stdout: does not)
//	stderr TEXT                       stderr contains TEXT (!stderr: does not)
//	contains PATH TEXT                the file contains TEXT (!contains: does not)
//	exists PATH                       the file exists (!exists: does not)
//	nowrite                           no file was written: bytes and mtimes are unchanged
//	json PATH ACTION [NOTE]           stdout is --json output with PATH planned as ACTION
//	                                  (and a note containing NOTE)
//	-- edit: PATH --                  before the command: replace the lines above a
//	old lines                         "=>" line, which must occur once in PATH,
//	=>                                with the lines below it
//	new lines
//	-- delete: PATH --                before the command: remove PATH (a file or a directory)
//	-- PATH --                        before the command: write PATH
//	-- want: PATH --                  after the command: PATH holds exactly this
//
// TEXT is the rest of the line, or a Go string literal when it starts with
// a double quote (for tabs and surrounding spaces). Lines starting with #
// are comments.
//
// The harness checks more after every step: a failed command (exit code not
// 0) and --check and --dry-run write nothing; after a successful generate,
// `kitforge generate --check` exits 0 (a rerun would change nothing) and the
// module builds and vets (not with -short).
type scenario struct {
	comment string
	tree    []txtar.File
	steps   []*step
}

// step is one command of a scenario and what it must do.
type step struct {
	name    string
	command []string
	exit    int
	checks  []check
	nowrite bool
	before  []fileOp // edits applied before the command, in order
	want    []txtar.File
}

// check is one assertion line of a step: "stdout", "!contains", ...
type check struct {
	line   int
	kind   string
	negate bool
	args   []string // path, action... before the text
	text   string
}

// fileOp is an edit, a deletion or a full write of a file.
type fileOp struct {
	kind     string // "edit", "delete", "write"
	path     string
	old, new string
	data     []byte
}

// checkArity is how many words a check takes before its text, and whether
// it has a text at all.
var checkArity = map[string]struct {
	words   int
	text    bool
	negates bool
}{
	"stdout":   {0, true, true},
	"stderr":   {0, true, true},
	"contains": {1, true, true},
	"exists":   {1, false, true},
	"json":     {2, true, false},
}

// parseScenario reads a scenario archive.
func parseScenario(data []byte) (*scenario, error) {
	a := txtar.Parse(data)
	sc := &scenario{comment: string(a.Comment)}
	var cur *step
	for _, f := range a.Files {
		kind, rest, _ := strings.Cut(f.Name, ": ")
		if rest == "" {
			kind = ""
		}
		switch {
		case kind == "step":
			st, err := parseStep(rest, string(f.Data))
			if err != nil {
				return nil, fmt.Errorf("step %q: %w", rest, err)
			}
			cur = st
			sc.steps = append(sc.steps, st)
		case cur == nil && kind != "":
			return nil, fmt.Errorf("%s: a %s section needs a step before it", f.Name, kind)
		case cur == nil:
			sc.tree = append(sc.tree, f)
		case kind == "edit":
			old, nw, ok := strings.Cut(string(f.Data), "=>\n")
			if !ok {
				return nil, fmt.Errorf("%s: no \"=>\" line", f.Name)
			}
			cur.before = append(cur.before, fileOp{kind: "edit", path: rest, old: old, new: nw})
		case kind == "delete":
			cur.before = append(cur.before, fileOp{kind: "delete", path: rest})
		case kind == "want":
			cur.want = append(cur.want, txtar.File{Name: rest, Data: f.Data})
		case kind == "":
			cur.before = append(cur.before, fileOp{kind: "write", path: f.Name, data: f.Data})
		default:
			return nil, fmt.Errorf("%s: unknown section kind %q", f.Name, kind)
		}
	}
	if len(sc.steps) == 0 {
		return nil, fmt.Errorf("no steps")
	}
	return sc, nil
}

// parseStep reads the script of one step.
func parseStep(name, script string) (*step, error) {
	st := &step{name: name}
	for i, line := range strings.Split(script, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		switch {
		case word == "kitforge" || word == "go":
			if st.command != nil {
				return nil, fmt.Errorf("line %d: a step runs one command", i+1)
			}
			st.command = strings.Fields(line)
		case word == "exit":
			n, err := strconv.Atoi(rest)
			if err != nil {
				return nil, fmt.Errorf("line %d: exit %q: %v", i+1, rest, err)
			}
			st.exit = n
		case word == "nowrite":
			st.nowrite = true
		default:
			c, err := parseCheck(i+1, word, rest)
			if err != nil {
				return nil, err
			}
			st.checks = append(st.checks, c)
		}
	}
	if st.command == nil {
		return nil, fmt.Errorf("no kitforge or go command")
	}
	return st, nil
}

// parseCheck reads one assertion line.
func parseCheck(line int, word, rest string) (check, error) {
	c := check{line: line, kind: strings.TrimPrefix(word, "!"), negate: strings.HasPrefix(word, "!")}
	ar, ok := checkArity[c.kind]
	if !ok || (c.negate && !ar.negates) {
		return c, fmt.Errorf("line %d: unknown check %q", line, word)
	}
	for range ar.words {
		var w string
		w, rest, _ = strings.Cut(strings.TrimLeft(rest, " "), " ")
		if w == "" {
			return c, fmt.Errorf("line %d: %s needs %d argument(s)", line, word, ar.words)
		}
		c.args = append(c.args, w)
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, `"`) {
		s, err := strconv.Unquote(rest)
		if err != nil {
			return c, fmt.Errorf("line %d: %s: bad string literal: %v", line, word, err)
		}
		rest = s
	}
	switch {
	case ar.text && rest == "" && c.kind != "json":
		return c, fmt.Errorf("line %d: %s needs a text", line, word)
	case !ar.text && rest != "":
		return c, fmt.Errorf("line %d: %s takes no text", line, word)
	}
	c.text = rest
	return c, nil
}
