package plan

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mixedTree writes a tree and returns a plan whose changes include every
// writing action: create (in a new directory), update, merge and delete.
func mixedTree(t *testing.T) (string, *Plan) {
	t.Helper()
	root := t.TempDir()
	writeFiles(t, root,
		"pkg/calcendpoint/endpoint_gen.go", string(gen("var X = 1\n")),
		"pkg/calcendpoint/stale_gen.go", string(gen("var Stale = 1\n")),
		"pkg/calcservice/service_impl.go", "package calcservice\n",
		"pkg/calcservice/user.go", "package calcservice // mine\n",
	)
	p := &Plan{
		Root: root,
		Files: []*File{
			{Path: "pkg/calcendpoint/endpoint_gen.go", Content: gen("var X = 2\n")},
			{Path: "pkg/calcservice/service_impl.go", Owner: Scaffold, Merge: func(b []byte) ([]byte, []string, error) {
				if strings.Contains(string(b), "func Foo()") {
					return b, nil, nil // merges are idempotent
				}
				return append(b, "\nfunc Foo() {}\n"...), []string{"added stub for Foo"}, nil
			}},
			{Path: "pkg/calctransport/http_gen.go", Content: gen("var H = 1\n")},
			{Path: "z/deep/er/x_gen.go", Content: gen("var Z = 1\n")},
		},
		Owned: []string{"pkg/calcendpoint"},
	}
	age(t, root)
	return root, p
}

func TestApplyAllOrNothingWhenParentIsAFile(t *testing.T) {
	root, p := mixedTree(t)
	changes := resolve(t, p)
	checkActions(t, changes,
		"pkg/calcendpoint/endpoint_gen.go update",
		"pkg/calcendpoint/stale_gen.go delete",
		"pkg/calcservice/service_impl.go merge",
		"pkg/calctransport/http_gen.go create",
		"z/deep/er/x_gen.go create",
	)
	// After the plan was made, a regular file blocks the last directory.
	writeFiles(t, root, "z/deep", "not a directory")
	age(t, root)
	before := snapshot(t, root)
	err := Apply(root, changes)
	if err == nil || !strings.Contains(err.Error(), "no file was changed") {
		t.Fatalf("Apply = %v, want a failure saying nothing changed", err)
	}
	if after := snapshot(t, root); after != before {
		t.Errorf("failed Apply changed the tree:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestApplyRollsBackAfterEveryRename(t *testing.T) {
	boom := errors.New("disk full")
	for failAt := 1; ; failAt++ {
		root, p := mixedTree(t)
		changes := resolve(t, p)
		before := snapshot(t, root)
		calls := 0
		rename := func(from, to string) error {
			calls++
			if calls == failAt {
				return boom
			}
			return os.Rename(from, to)
		}
		err := apply(root, changes, rename)
		if err == nil {
			if failAt <= len(Pending(changes)) {
				t.Fatalf("apply succeeded with rename %d failing", failAt)
			}
			break // every rename position has been tried
		}
		if !errors.Is(err, boom) {
			t.Fatalf("rename %d: got %v, want %v", failAt, err, boom)
		}
		if after := snapshot(t, root); after != before {
			t.Errorf("rename %d failed, tree changed:\nbefore:\n%s\nafter:\n%s", failAt, before, after)
		}
	}
}

func TestApplySuccessLeavesNoTemporaryFiles(t *testing.T) {
	root, p := mixedTree(t)
	mustApply(t, root, resolve(t, p))
	want := strings.Join([]string{
		"pkg/calcendpoint/endpoint_gen.go",
		"pkg/calcservice/service_impl.go",
		"pkg/calcservice/user.go",
		"pkg/calctransport/http_gen.go",
		"z/deep/er/x_gen.go",
	}, "\n")
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(files, "\n"); got != want {
		t.Errorf("files after Apply:\n%s\nwant:\n%s", got, want)
	}
	if got := readFile(t, root, "pkg/calcservice/service_impl.go"); got != "package calcservice\n\nfunc Foo() {}\n" {
		t.Errorf("merged file = %q", got)
	}
}

func TestApplyRefusesFilesEditedSinceResolve(t *testing.T) {
	root, p := mixedTree(t)
	changes := resolve(t, p)
	writeFiles(t, root, "pkg/calcservice/service_impl.go", "package calcservice\n\n// just typed\n")
	age(t, root)
	before := snapshot(t, root)
	err := Apply(root, changes)
	if err == nil || !strings.Contains(err.Error(), "pkg/calcservice/service_impl.go changed on disk") {
		t.Fatalf("Apply = %v, want a refusal naming the edited file", err)
	}
	if after := snapshot(t, root); after != before {
		t.Errorf("tree changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestApplyKeepsPermissionsOfUpdatedFiles(t *testing.T) {
	root, p := mixedTree(t)
	impl := filepath.Join(root, "pkg/calcservice/service_impl.go")
	if err := os.Chmod(impl, 0o600); err != nil {
		t.Fatal(err)
	}
	mustApply(t, root, resolve(t, p))
	fi, err := os.Stat(impl)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600 kept", fi.Mode())
	}
}
