package generator

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/deps"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
)

// TestGeneratedNamesBuild is the property "exit 0 ⇒ the tree builds" over
// method and rpc names that collide with what Go and kitforge declare: Go
// keywords (capitalised, to be exported methods), predeclared identifiers
// and every exported identifier kitforge's golden trees declare (types,
// functions, methods and fields). Each run draws namesPerRun of them at
// random (the seed is logged; KITFORGE_NAMES_SEED=N replays a run) into
// one service from a Go interface and one from a .proto, with every
// transport, discovery and the middlewares on: each generation must fail
// with a positioned *model.Error or give a tree that builds and vets.
// -short generates every name, without building.
func TestGeneratedNamesBuild(t *testing.T) {
	names := reservedCandidates(t)
	seed := rand.Uint64()
	if s := os.Getenv("KITFORGE_NAMES_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("KITFORGE_NAMES_SEED: %v", err)
		}
	}
	t.Logf("%d names, seed %d", len(names), seed)
	r := rand.New(rand.NewPCG(seed, seed))
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	if !testing.Short() {
		// Two builds of this size take a minute or two on a quiet machine.
		const namesPerRun = 300
		names = names[:min(namesPerRun, len(names))]
	}
	opts := config.Options{
		Transports: []string{"http", "grpc", "nats", "amqp"},
		Discovery:  "consul", Middleware: []string{"tracing", "ratelimit", "validate", "circuitbreaker"},
	}
	t.Run("go", func(t *testing.T) {
		o := opts
		o.Package = "./pkg/namesservice"
		checkNamesBuild(t, goNamesModule(names), o)
	})
	t.Run("proto", func(t *testing.T) {
		o := opts
		o.Proto = []string{"proto/names.proto"}
		checkNamesBuild(t, protoNamesModule(names), o)
	})
}

// checkNamesBuild generates files with opts and checks the property.
func checkNamesBuild(t *testing.T, files map[string]string, opts config.Options) {
	dir := t.TempDir()
	for name, data := range files {
		writeTestFile(t, dir, name, data)
	}
	res, err := Generate(context.Background(), Config{Dir: dir, Options: opts, FirstRun: true})
	if err != nil {
		var merr *model.Error
		if !errors.As(err, &merr) || !merr.Pos.IsValid() {
			t.Fatalf("refused without a positioned *model.Error: %v", err)
		}
		t.Logf("refused: %v", err)
		return
	}
	if testing.Short() {
		return
	}
	changes, err := res.Plan.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Apply(res.Plan.Root, changes); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("exit 0, but go %s fails: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// writeTestFile writes data to dir/name.
func writeTestFile(t *testing.T, dir, name, data string) {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goNamesModule is a module whose service interface has a method per name,
// with signatures that take every generated path: with and without a
// context, an error result, results and parameters.
func goNamesModule(names []string) map[string]string {
	var b strings.Builder
	b.WriteString("// Package namesservice has methods named like generated code.\npackage namesservice\n\nimport \"context\"\n\n// Service is the service.\ntype Service interface {\n")
	sigs := []string{
		"(ctx context.Context, a int) (int, error)",
		"(ctx context.Context) error",
		"(s string) string",
		"(ctx context.Context, a, b string) (x int, y string, err error)",
		"()",
	}
	for i, n := range names {
		fmt.Fprintf(&b, "\t// %s is a method.\n\t%s%s\n", n, n, sigs[i%len(sigs)])
	}
	b.WriteString("}\n")
	return map[string]string{
		"go.mod":                      string(deps.GoMod("example.com/names")),
		"go.sum":                      string(deps.GoSum()),
		"pkg/namesservice/service.go": b.String(),
	}
}

// protoNamesModule is a module with a .proto service of an rpc per name.
func protoNamesModule(names []string) map[string]string {
	var b strings.Builder
	b.WriteString("syntax = \"proto3\";\n\npackage names.v1;\n\noption go_package = \"example.com/names/pkg/pb/namesv1;namesv1\";\n\n")
	b.WriteString("message In {\n  int32 a = 1;\n  string s = 2;\n}\n\nmessage Out {\n  int32 v = 1;\n}\n\n")
	b.WriteString("// Names has rpcs named like generated code.\nservice Names {\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  // %s is an rpc.\n  rpc %s(In) returns (Out);\n", n, n)
	}
	b.WriteString("}\n")
	return map[string]string{
		"go.mod":            string(deps.GoMod("example.com/names")),
		"go.sum":            string(deps.GoSum()),
		"proto/names.proto": b.String(),
	}
}

// reservedCandidates are the names the property is checked over, sorted
// and without duplicates.
func reservedCandidates(t *testing.T) []string {
	var names []string
	for _, kw := range strings.Fields(`break case chan const continue default defer else fallthrough
		for func go goto if import interface map package range return select struct switch type var`) {
		names = append(names, strings.ToUpper(kw[:1])+kw[1:])
	}
	names = append(names, strings.Fields(`Any Append Bool Byte Cap Clear Close Comparable Complex Complex128
		Copy Delete Error Errorf False Float64 Imag Int Int64 Iota Len Make Max Min New Nil Panic Print
		Println Real Recover Rune String True Uint Uintptr Is As Unwrap Format GoString MarshalJSON
		UnmarshalJSON MarshalText Reset ProtoMessage ProtoReflect Descriptor Context Service Client Server`)...)
	names = append(names, goldenDeclaredNames(t)...)
	// Names go vet holds to a standard signature are refused (see
	// testdata/bad/vet_method.txtar): they would refuse every batch.
	names = slices.DeleteFunc(names, func(n string) bool { _, vet := model.VetMethods[n]; return vet })
	slices.Sort(names)
	names = slices.Compact(names)
	// Names equal but for case (ID, Id) are refused for sharing a route:
	// keep one of each, so no batch is refused for that.
	seen := map[string]bool{}
	return slices.DeleteFunc(names, func(n string) bool {
		k := strings.ToLower(n)
		dup := seen[k]
		seen[k] = true
		return dup
	})
}

// goldenDeclaredNames returns every exported identifier that the generated
// Go files of the golden trees declare: package-level names, methods and
// struct fields.
func goldenDeclaredNames(t *testing.T) []string {
	var names []string
	err := filepath.WalkDir("../testdata/golden", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.TypeSpec:
				names = append(names, n.Name.Name)
			case *ast.FuncDecl:
				names = append(names, n.Name.Name)
			case *ast.ValueSpec:
				for _, id := range n.Names {
					names = append(names, id.Name)
				}
			case *ast.Field:
				for _, id := range n.Names {
					names = append(names, id.Name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(names, func(n string) bool { return !token.IsExported(n) })
}
