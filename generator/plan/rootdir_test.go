package plan

import "testing"

// TestOwnedModuleRoot: a service declared in the module's root package owns
// the root directory, "." (found by FuzzGenerate). Stale generated files
// there are deleted, the user's files are left alone.
func TestOwnedModuleRoot(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root,
		"old_gen.go", string(gen("var Old = 1\n")),
		"service.go", "package rt\n",
	)
	p := &Plan{
		Root:  root,
		Files: []*File{{Path: "errors_gen.go", Content: gen("var X = 1\n"), Owner: Generated}},
		Owned: []string{"."},
	}
	changes := resolve(t, p)
	checkActions(t, changes, "errors_gen.go create", "old_gen.go delete")
	mustApply(t, root, changes)
	checkActions(t, resolve(t, p), "errors_gen.go unchanged")
}
