package plan

import (
	"slices"
	"strings"
	"testing"
)

// killed is the panic value of a simulated kill.
type killed struct{ step string }

// killAt makes Apply stop after its k-th step (counting from 1), as a kill
// would: StepHook panics, and Apply defers nothing that could clean up. It
// returns the step's name, or "" when Apply finished with fewer steps.
func killAt(t *testing.T, k int, run func()) (step string) {
	t.Helper()
	n := 0
	StepHook = func(s string) {
		if n++; n == k {
			panic(killed{s})
		}
	}
	defer func() {
		StepHook = nil
		if v := recover(); v != nil {
			kv, ok := v.(killed)
			if !ok {
				panic(v)
			}
			step = kv.step
		}
	}()
	run()
	return ""
}

// contents describes every directory and file under root by mode and
// content (not mtime), so an old tree and a rewritten one compare equal
// when their contents are.
func contents(t *testing.T, root string) string {
	t.Helper()
	return describeTree(t, root, false)
}

// TestCrashAtEveryApplyStep kills Apply after each of its steps in turn;
// the next run's Recover must leave the old tree or the new one, no
// temporary file, and Interrupted must report everything until then.
func TestCrashAtEveryApplyStep(t *testing.T) {
	root, p := mixedTree(t)
	mustApply(t, root, resolve(t, p))
	newTree := contents(t, root)

	seenOld, seenNew := false, false
	for k := 1; ; k++ {
		root, p := mixedTree(t)
		changes := resolve(t, p)
		oldTree := contents(t, root)
		step := killAt(t, k, func() {
			if err := Apply(root, changes); err != nil {
				t.Fatalf("kill at %d: Apply: %v", k, err)
			}
		})
		if step == "" {
			if k < 10 {
				t.Fatalf("Apply took only %d steps", k-1)
			}
			break
		}
		left, err := Interrupted(root)
		if err != nil || len(left) == 0 || left[0] != JournalName {
			t.Fatalf("kill after %q: Interrupted = %v, %v; want the journal first", step, left, err)
		}
		done, err := Recover(root)
		if err != nil {
			t.Fatalf("kill after %q: Recover: %v", step, err)
		}
		if len(done) == 0 || !strings.HasPrefix(done[0], "recovered an interrupted generate: ") {
			t.Errorf("kill after %q: Recover said %q", step, done)
		}
		got := contents(t, root)
		switch got {
		case oldTree:
			seenOld = true
		case newTree:
			seenNew = true
		default:
			t.Errorf("kill after %q: after Recover the tree is neither old nor new:\n%s\nold:\n%s\nnew:\n%s", step, got, oldTree, newTree)
		}
		if left, err := Interrupted(root); err != nil || len(left) > 0 {
			t.Errorf("kill after %q: left after Recover: %v, %v", step, left, err)
		}
		// The next generate then finishes the job.
		mustApply(t, root, resolve(t, p))
		if got := contents(t, root); got != newTree {
			t.Errorf("kill after %q: regenerating after Recover:\n%s\nwant:\n%s", step, got, newTree)
		}
	}
	if !seenOld || !seenNew {
		t.Errorf("recovered to the old tree: %v, to the new one: %v; want both among the kill points", seenOld, seenNew)
	}
}

// TestRecoverKeepsAFileChangedSinceTheKill: completing a sealed apply never
// replaces a file the user edited after the kill.
func TestRecoverKeepsAFileChangedSinceTheKill(t *testing.T) {
	root, p := mixedTree(t)
	changes := resolve(t, p)
	// Kill right after the journal is sealed: nothing is renamed yet.
	if step := killAt(t, stepsUntil(t, "staged"), func() { _ = Apply(root, changes) }); step != "staged" {
		t.Fatalf("killed after %q, want staged", step)
	}
	writeFiles(t, root, "pkg/calcservice/service_impl.go", "package calcservice\n\n// typed after the kill\n")
	done, err := Recover(root)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(done, "kept pkg/calcservice/service_impl.go: it changed after the interrupted generate, so kitforge left it as it is") {
		t.Errorf("Recover said %q, want the kept file named", done)
	}
	if got := readFile(t, root, "pkg/calcservice/service_impl.go"); got != "package calcservice\n\n// typed after the kill\n" {
		t.Errorf("the user's edit was replaced: %q", got)
	}
	if got := readFile(t, root, "pkg/calcendpoint/endpoint_gen.go"); got != string(gen("var X = 2\n")) {
		t.Errorf("endpoint_gen.go = %q, want the new content", got)
	}
	if left, err := Interrupted(root); err != nil || len(left) > 0 {
		t.Errorf("left after Recover: %v, %v", left, err)
	}
}

// stepsUntil counts Apply's steps on mixedTree up to the named one.
func stepsUntil(t *testing.T, name string) int {
	t.Helper()
	root, p := mixedTree(t)
	changes := resolve(t, p)
	var steps []string
	StepHook = func(s string) { steps = append(steps, s) }
	defer func() { StepHook = nil }()
	mustApply(t, root, changes)
	i := slices.Index(steps, name)
	if i < 0 {
		t.Fatalf("no step %q in %q", name, steps)
	}
	return i + 1
}

// TestRecoverStrayFilesOfOlderVersions: kitforge before the journal left
// temporary files and backups after a kill. Recover removes those it can
// prove are kitforge's copies and keeps, visibly, the backup of a user's
// file it cannot place.
func TestRecoverStrayFilesOfOlderVersions(t *testing.T) {
	root := t.TempDir()
	user := "package calcservice\n\nfunc Mine() {}\n"
	writeFiles(t, root,
		"go.mod", "module example.com/m\n",
		"pkg/calcservice/service_impl.go", user+"\nfunc Stub() {}\n",
		"pkg/calcservice/.kitforge-111.bak", user,
		"pkg/calcservice/user.go", "package calcservice // mine\n",
		"pkg/calcservice/.kitforge-222.bak", "package calcservice // mine\n",
		"pkg/calcendpoint/.kitforge-333.bak", string(gen("var Stale = 1\n")),
		"pkg/calcendpoint/.kitforge-444.tmp", string(gen("var X = 2\n")),
		".git/.kitforge-555.tmp", "not walked into",
		"nested/go.mod", "module example.com/nested\n",
		"nested/.kitforge-666.tmp", "another module's",
	)
	left, err := Interrupted(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"pkg/calcendpoint/.kitforge-333.bak",
		"pkg/calcendpoint/.kitforge-444.tmp",
		"pkg/calcservice/.kitforge-111.bak",
		"pkg/calcservice/.kitforge-222.bak",
	}
	if !slices.Equal(left, want) {
		t.Errorf("Interrupted = %q, want %q", left, want)
	}
	done, err := Recover(root)
	if err != nil {
		t.Fatal(err)
	}
	wantDone := []string{
		"removed pkg/calcendpoint/.kitforge-333.bak: a backup of a generated file by an interrupted generate",
		"removed pkg/calcendpoint/.kitforge-444.tmp: new content an interrupted generate never put in place",
		"renamed pkg/calcservice/.kitforge-111.bak to pkg/calcservice/kitforge-backup-111.orig: a backup an interrupted generate left of one of your files; compare it with them, then delete it",
		"removed pkg/calcservice/.kitforge-222.bak: a backup of an interrupted generate, the same as pkg/calcservice/user.go",
	}
	if !slices.Equal(done, wantDone) {
		t.Errorf("Recover said:\n%s\nwant:\n%s", strings.Join(done, "\n"), strings.Join(wantDone, "\n"))
	}
	if got := readFile(t, root, "pkg/calcservice/kitforge-backup-111.orig"); got != user {
		t.Errorf("kept backup = %q, want %q", got, user)
	}
	if left, err := Interrupted(root); err != nil || len(left) > 0 {
		t.Errorf("left after Recover: %v, %v", left, err)
	}
	for _, p := range []string{".git/.kitforge-555.tmp", "nested/.kitforge-666.tmp"} {
		readFile(t, root, p) // still there
	}
}

// TestRecoverRefusesAJournalItCannotRead: nothing is touched, and the error
// says what to do.
func TestRecoverRefusesAJournalItCannotRead(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root,
		JournalName, `{"op":"begin","version":1}`+"\n"+`{"op":"step","path":"../x","action":"create","temp":"../.kitforge-1.tmp"}`+"\n",
		"a/.kitforge-1.tmp", "x",
	)
	before := snapshot(t, root)
	_, err := Recover(root)
	if err == nil || !strings.Contains(err.Error(), JournalName+":2: ") || !strings.Contains(err.Error(), "restore the module from version control") {
		t.Fatalf("Recover = %v, want an error at line 2 saying what to do", err)
	}
	if after := snapshot(t, root); after != before {
		t.Errorf("tree changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// TestRecoverIgnoresALineCutShort: a kill in the middle of a journal write
// leaves a line without its newline; an unsealed journal is rolled back.
func TestRecoverIgnoresALineCutShort(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root,
		"a.go", "package a\n",
		"a/.kitforge-1.tmp", "new",
		JournalName, `{"op":"begin","version":1}`+"\n"+`{"op":"mkdir","path":"a"}`+"\n"+
			`{"op":"step","path":"a/x.go","action":"create","temp":"a/.kitforge-1.tmp"}`+"\n"+`{"op":"sta`,
	)
	done, err := Recover(root)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"recovered an interrupted generate: rolled it back (it had not changed any file yet)"}; !slices.Equal(done, want) {
		t.Errorf("Recover said %q, want %q", done, want)
	}
	if got, want := contents(t, root), contents(t, func() string {
		d := t.TempDir()
		writeFiles(t, d, "a.go", "package a\n")
		return d
	}()); got != want {
		t.Errorf("tree after Recover:\n%s\nwant:\n%s", got, want)
	}
}

// TestApplyRefusesWhileAJournalIsLeft: an interrupted apply is recovered
// before anything else is written.
func TestApplyRefusesWhileAJournalIsLeft(t *testing.T) {
	root, p := mixedTree(t)
	changes := resolve(t, p)
	writeFiles(t, root, JournalName, "")
	before := snapshot(t, root)
	err := Apply(root, changes)
	if err == nil || !strings.Contains(err.Error(), "run 'kitforge generate' to recover it") {
		t.Fatalf("Apply = %v, want a refusal", err)
	}
	if after := snapshot(t, root); after != before {
		t.Errorf("tree changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// TestResolveLeavesTemporaryFilesToRecover: a stray temporary file with the
// generated header in an owned directory is not a stale generated file.
func TestResolveLeavesTemporaryFilesToRecover(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, "pkg/e/.kitforge-1.tmp", string(gen("var X = 1\n")))
	p := &Plan{Root: root, Files: []*File{{Path: "pkg/e/x_gen.go", Content: gen("var X = 1\n")}}, Owned: []string{"pkg/e"}}
	checkActions(t, resolve(t, p), "pkg/e/x_gen.go create")
}
