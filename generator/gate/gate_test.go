package gate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
)

const testModule = "example.com/m"

// module writes a module of files (path → content) under a new directory.
func module(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files["go.mod"] = "module " + testModule + "\n\ngo 1.22\n"
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// create is a plan change that creates a generated file.
func create(path, content string) *plan.Change {
	return &plan.Change{Path: path, Action: plan.Create, New: []byte(plan.GeneratedHeader + "\n\n" + content)}
}

// check runs the gate with the standard library's export data from go
// list (no cache: each test its own).
func check(t *testing.T, root string, dirs []string, changes ...*plan.Change) error {
	t.Helper()
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	return Check(context.Background(), Input{Root: root, ModulePath: testModule, Changes: changes, Dirs: dirs})
}

// wantError requires a positioned model error at file:line containing msg.
func wantError(t *testing.T, err error, pos, msg string) *model.Error {
	t.Helper()
	var me *model.Error
	if !errors.As(err, &me) {
		t.Fatalf("got %v, want a *model.Error", err)
	}
	if got := me.Pos.String(); !strings.HasPrefix(got, pos) {
		t.Errorf("position %s, want %s...\n%v", got, pos, err)
	}
	if !strings.Contains(me.Msg, msg) {
		t.Errorf("message %q, want it to contain %q", me.Msg, msg)
	}
	return me
}

func TestCleanPlanPasses(t *testing.T) {
	root := module(t, map[string]string{"svc/service.go": "package svc\n\n// S is a service.\ntype S interface{ Sum(a, b int) int }\n"})
	err := check(t, root, nil, create("svc/impl_gen.go", "package svc\n\nimport \"fmt\"\n\ntype impl struct{}\n\nfunc (impl) Sum(a, b int) int { return a + b }\n\nvar _ S = impl{}\nvar _ = fmt.Sprint\n"))
	if err != nil {
		t.Fatal(err)
	}
}

func TestRedeclarationNamesBothDeclarations(t *testing.T) {
	root := module(t, map[string]string{"svc/middleware.go": "package svc\n\n// Middleware is the user's.\ntype Middleware func(int) int\n"})
	err := check(t, root, nil, create("svc/middleware_gen.go", "package svc\n\n// Middleware is kitforge's.\ntype Middleware func(string) string\n"))
	me := wantError(t, err, "svc/middleware_gen.go:6:6", "Middleware redeclared")
	if !strings.Contains(me.Hint, "rename your declaration at svc/middleware.go:4:6") {
		t.Errorf("hint does not point at the user's declaration: %s", me.Hint)
	}
}

func TestSoftErrorsBreakTheBuild(t *testing.T) {
	root := module(t, map[string]string{})
	err := check(t, root, nil, create("a/a_gen.go", "package a\n\nfunc f() {\n\tx := 1\n}\n"))
	wantError(t, err, "a/a_gen.go:6:2", "declared and not used")
}

func TestUserFileErrorIsBlamedOnTheUser(t *testing.T) {
	root := module(t, map[string]string{"a/user.go": "package a\n\nvar V int = G()\n"})
	err := check(t, root, nil, create("a/a_gen.go", "package a\n\n// G returns a string.\nfunc G() string { return \"\" }\n"))
	me := wantError(t, err, "a/user.go:3:13", "cannot use G()")
	if !strings.Contains(me.Hint, "your code") {
		t.Errorf("hint does not blame the user's file: %s", me.Hint)
	}
}

func TestDeletedFileIsGone(t *testing.T) {
	stale := plan.GeneratedHeader + "\n\npackage a\n\nfunc Old() int { return undefinedName }\n"
	root := module(t, map[string]string{"a/old_gen.go": stale})
	err := check(t, root, nil,
		&plan.Change{Path: "a/old_gen.go", Action: plan.Delete, Old: []byte(stale)},
		create("a/new_gen.go", "package a\n\n// New is new.\nfunc New() int { return 1 }\n"))
	if err != nil {
		t.Fatal(err)
	}
}

func TestDependentPackageSeesThePlannedVersion(t *testing.T) {
	root := module(t, map[string]string{
		"cmd/x/main.go": "package main\n\nimport \"example.com/m/gen\"\n\nfunc main() { gen.Run(1) }\n",
		"gen/gen.go":    plan.GeneratedHeader + "\n\npackage gen\n\n// Run runs.\nfunc Run(n int) {}\n",
	})
	newGen := plan.GeneratedHeader + "\n\npackage gen\n\n// Run runs.\nfunc Run(name string) {}\n"
	err := check(t, root, []string{"cmd/x"}, &plan.Change{Path: "gen/gen.go", Action: plan.Update, New: []byte(newGen)})
	wantError(t, err, "cmd/x/main.go:5:23", "cannot use 1")
}

func TestInternalPackageRule(t *testing.T) {
	root := module(t, map[string]string{})
	err := check(t, root, nil,
		create("pb/acme/internal/v1/v1_gen.go", "package v1\n\n// X is x.\nconst X = 1\n"),
		create("svc/svc_gen.go", "package svc\n\nimport v1 \"example.com/m/pb/acme/internal/v1\"\n\n// Y is y.\nconst Y = v1.X\n"))
	wantError(t, err, "svc/svc_gen.go:5:11", "use of internal package example.com/m/pb/acme/internal/v1 not allowed")
}

func TestMainPackageNeedsMain(t *testing.T) {
	root := module(t, map[string]string{})
	err := check(t, root, nil, create("cmd/x/x_gen.go", "package main\n\n// V is v.\nvar V = 1\n"))
	wantError(t, err, "cmd/x/x_gen.go:3:9", "function main is undeclared")
}

func TestMissingModuleIsReportedAtTheImport(t *testing.T) {
	root := module(t, map[string]string{})
	err := check(t, root, nil, create("a/a_gen.go", "package a\n\nimport \"github.com/nobody/nothing/pkg\"\n\n// V is v.\nvar V = pkg.X\n"))
	wantError(t, err, "a/a_gen.go:5:8", "github.com/nobody/nothing/pkg")
}

func TestNothingToCheck(t *testing.T) {
	root := module(t, map[string]string{"a/a.go": "package a\n\nvar broken int = \"\"\n"})
	err := Check(context.Background(), Input{
		Root: root, ModulePath: testModule,
		Changes: []*plan.Change{{Path: "README.md", Action: plan.Update, New: []byte("x")}, {Path: "a/a.go", Action: plan.Keep}},
		Exports: func(context.Context, []string) (map[string]string, error) {
			t.Fatal("go list ran for a plan that writes no Go file")
			return nil, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestExportsAreCached(t *testing.T) {
	root := module(t, map[string]string{})
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	change := create("a/a_gen.go", "package a\n\nimport \"strings\"\n\n// V is v.\nvar V = strings.ToUpper(\"x\")\n")
	for range 2 {
		if err := Check(context.Background(), Input{Root: root, ModulePath: testModule, Changes: []*plan.Change{change}}); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(cache, "kitforge", "gate"))
	if len(entries) != 1 {
		t.Fatalf("cache holds %d entries, want 1", len(entries))
	}
	// A stale answer (an export file the go command trimmed) is asked again.
	key := filepath.Join(cache, "kitforge", "gate", entries[0].Name())
	if err := os.WriteFile(key, []byte(`{"strings":"/nonexistent/export"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Check(context.Background(), Input{Root: root, ModulePath: testModule, Changes: []*plan.Change{change}}); err != nil {
		t.Fatal(err)
	}
}

func TestExternalTestsImportThePackage(t *testing.T) {
	root := module(t, map[string]string{})
	err := check(t, root, nil,
		create("a/a_gen.go", "package a\n\n// V is v.\nvar V = 1\n"),
		create("a/a_gen_test.go", "package a_test\n\nimport (\n\t\"testing\"\n\n\t\"example.com/m/a\"\n)\n\nfunc TestV(t *testing.T) {\n\tif a.V != \"1\" {\n\t}\n}\n"))
	wantError(t, err, "a/a_gen_test.go:12:12", "mismatched types")
}
