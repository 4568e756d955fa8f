package cmd

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/plan"
)

// Environment of TestApplyCrashChild: the step to die at, and the module.
const (
	crashAtEnv  = "KITFORGE_TEST_CRASH_AT"
	crashDirEnv = "KITFORGE_TEST_CRASH_DIR"
)

// killedCode is the exit code of the child killed at its step, as a shell
// reports a kill -9.
const killedCode = 137

// TestApplyCrashChild is the process TestApplyCrashGenerate kills: it runs
// `kitforge generate` and exits, with no deferred function or cleanup
// running, right after the apply's step number crashAtEnv.
func TestApplyCrashChild(t *testing.T) {
	at := os.Getenv(crashAtEnv)
	if at == "" {
		t.Skip("run by TestApplyCrashGenerate")
	}
	k, err := strconv.Atoi(at)
	must(t, err)
	n := 0
	plan.StepHook = func(string) {
		if n++; n == k {
			os.Exit(killedCode)
		}
	}
	os.Exit(Execute(context.Background(), []string{"-C", os.Getenv(crashDirEnv), "generate"}, io.Discard, os.Stderr))
}

// TestApplyCrashGenerate kills the second `kitforge generate` of a service
// (after an interface change) after each step of its apply in turn, in a
// child process. After every kill, --check and --dry-run fail and write
// nothing; the recovered tree is the old or the new one; the next generate
// recovers, says so and leaves exactly the tree of an uninterrupted run.
func TestApplyCrashGenerate(t *testing.T) {
	base := t.TempDir()
	var out, errb bytes.Buffer
	if code := Execute(context.Background(), []string{"-C", base, "new", "calc", "--dir", "m"}, &out, &errb); code != 0 {
		t.Fatalf("new: exit %d\n%s%s", code, out.String(), errb.String())
	}
	base = filepath.Join(base, "m")
	svc := filepath.Join(base, "pkg/calcservice/service.go")
	src, err := os.ReadFile(svc)
	must(t, err)
	edited := strings.Replace(string(src), "\tSum(ctx context.Context, a, b int) (int, error)\n",
		"\tSum(ctx context.Context, a, b int) (int, error)\n\n\t// Double returns 2x.\n\tDouble(ctx context.Context, x int) (int, error)\n", 1)
	if edited == string(src) {
		t.Fatal("the example interface has no Sum method to add Double after")
	}
	must(t, os.WriteFile(svc, []byte(edited), 0o644))
	oldTree := hashTree(t, base)

	// The uninterrupted run, counting the apply's steps.
	want := copyTree(t, base)
	var steps []string
	plan.StepHook = func(s string) { steps = append(steps, s) }
	code := Execute(context.Background(), []string{"-C", want, "generate"}, &out, &errb)
	plan.StepHook = nil
	if code != 0 || len(steps) < 10 {
		t.Fatalf("generate: exit %d, %d apply steps\n%s%s", code, len(steps), out.String(), errb.String())
	}
	newTree := hashTree(t, want)
	t.Logf("%d steps: %q", len(steps), steps)

	var recovered string
	for k, step := range steps {
		dir := copyTree(t, base)
		child := exec.Command(os.Args[0], "-test.run=^TestApplyCrashChild$")
		child.Env = append(os.Environ(), crashAtEnv+"="+strconv.Itoa(k+1), crashDirEnv+"="+dir)
		childOut, err := child.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != killedCode {
			t.Fatalf("kill after %q: the child ended with %v, want exit %d\n%s", step, err, killedCode, childOut)
		}
		killed := hashTree(t, dir)
		for _, mode := range []string{"--check", "--dry-run"} {
			stdout, stderr, code := kitforge(dir, "generate", mode)
			if code != 1 || !strings.Contains(stderr, "run 'kitforge generate' to recover it") || strings.Contains(stderr, "up to date") {
				t.Errorf("kill after %q: generate %s: exit %d, want 1 and a hint to recover\n%s%s", step, mode, code, stdout, stderr)
			}
			if hashTree(t, dir) != killed {
				t.Fatalf("kill after %q: generate %s wrote to the tree", step, mode)
			}
		}

		// Recovery alone leaves the old tree or the new one.
		alone := copyTree(t, dir)
		if _, err := plan.Recover(alone); err != nil {
			t.Fatalf("kill after %q: Recover: %v", step, err)
		}
		if h := hashTree(t, alone); h != oldTree && h != newTree {
			t.Errorf("kill after %q: the recovered tree is neither the old nor the new one:\n%s", step, h)
		}

		stdout, stderr, code := kitforge(dir, "generate")
		if code != 0 || !strings.Contains(stderr, "kitforge: recovered an interrupted generate: ") {
			t.Fatalf("kill after %q: generate: exit %d, want 0 and a word on the recovery\n%s%s", step, code, stdout, stderr)
		}
		if h := hashTree(t, dir); h != newTree {
			t.Errorf("kill after %q: the tree differs from an uninterrupted run's:\n%s\nwant:\n%s", step, h, newTree)
		}
		if stdout, stderr, code := kitforge(dir, "generate", "--check"); code != 0 {
			t.Errorf("kill after %q: generate --check after recovery: exit %d\n%s%s", step, code, stdout, stderr)
		}
		if strings.HasPrefix(step, "rename ") && recovered == "" {
			recovered = dir // killed midway through the renames
		}
	}
	if testing.Short() {
		return
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = recovered
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s on a tree recovered from a kill midway through the renames: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// kitforge runs kitforge in-process in dir.
func kitforge(dir string, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = Execute(context.Background(), append([]string{"-C", dir}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

// copyTree copies every file below dir to a new temporary directory.
func copyTree(t *testing.T, dir string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, fi.Mode().Perm())
	})
	must(t, err)
	return to
}

// TestApplyCrashNewLeftovers: a killed `new` leaves only its hidden build
// directory beside the target; the next `new` of the target removes it, and
// nothing that merely looks alike.
func TestApplyCrashNewLeftovers(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{".calc.kitforge-123/pkg/x_gen.go", ".calc.kitforge-notes/keep.txt", ".calc.kitforge-9"} {
		must(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, p), []byte("x"), 0o644))
	}
	stdout, stderr, code := kitforge(dir, "new", "calc")
	if code != 0 {
		t.Fatalf("new: exit %d\n%s%s", code, stdout, stderr)
	}
	if want := "kitforge: removed " + filepath.Join(dir, ".calc.kitforge-123") + ": left by an interrupted new\n"; !strings.Contains(stderr, want) {
		t.Errorf("stderr:\n%s\nwant %q", stderr, want)
	}
	entries, err := os.ReadDir(dir)
	must(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, " "), ".calc.kitforge-9 .calc.kitforge-notes calc"; got != want {
		t.Errorf("after new: %s, want %s", got, want)
	}
}
