package generator

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/deps"
	"github.com/kitforge/kitforge/generator/plan"
)

// TestServiceNames generates a service and checks that serviceNames lists
// every package-level name of the generated and scaffolded files in the
// service's package.
func TestServiceNames(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": string(deps.GoMod("example.com/names")),
		"go.sum": string(deps.GoSum()),
		"pkg/calcservice/service.go": `package calcservice

import "context"

// Service is a calculator.
type Service interface {
	// Sum returns a+b.
	Sum(ctx context.Context, a, b int) (int, error)
}
`,
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Generate(context.Background(), Config{Dir: dir, Options: config.Options{Package: "./pkg/calcservice"}, FirstRun: true})
	if err != nil {
		t.Fatal(err)
	}
	known := serviceNames()
	checked := 0
	for _, f := range res.Plan.Files {
		if f.Owner == plan.Once || path.Dir(f.Path) != res.Layout.Service.Dir || path.Ext(f.Path) != ".go" {
			continue
		}
		checked++
		for _, name := range topLevelNames(t, f.Path, f.Content) {
			if !slices.Contains(known, name) {
				t.Errorf("%s declares %s, which serviceNames does not list", f.Path, name)
			}
		}
	}
	if checked < 2 {
		t.Fatalf("%d generated or scaffolded files in the service's package, want at least 2", checked)
	}
}

// topLevelNames lists the package-level names a Go file declares.
func topLevelNames(t *testing.T, name string, src []byte) []string {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names = append(names, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name != "_" {
							names = append(names, n.Name)
						}
					}
				}
			}
		}
	}
	return names
}
