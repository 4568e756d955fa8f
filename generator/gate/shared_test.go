package gate

import (
	"context"
	"testing"

	"github.com/kitforge/kitforge/generator/plan"
)

// TestImportsAcrossChecks: checks sharing one Imports read each package
// once and judge every plan as a check of its own does: a plan that builds,
// then one with a type error against the same imported package, then the
// first again.
func TestImportsAcrossChecks(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	root := module(t, map[string]string{})
	good := create("a/a.go", "package a\n\nimport \"time\"\n\n// D is a day.\nconst D = 24 * time.Hour\n")
	bad := create("a/a.go", "package a\n\nimport \"time\"\n\n// D is a day.\nvar D time.Duration = \"day\"\n")
	imports := NewImports()
	run := func(ch *plan.Change) error {
		return Check(context.Background(), Input{Root: root, ModulePath: testModule, Changes: []*plan.Change{ch}, Imports: imports})
	}
	if err := run(good); err != nil {
		t.Fatalf("first check: %v", err)
	}
	if _, ok := imports.packages["time"]; !ok {
		t.Fatal("the time package was not kept")
	}
	wantError(t, run(bad), "a/a.go:8:", "cannot use")
	if err := run(good); err != nil {
		t.Fatalf("check after a failing one: %v", err)
	}
}
