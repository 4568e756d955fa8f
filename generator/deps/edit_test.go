package deps

import (
	"errors"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/kitforge/kitforge/generator/model"
)

// httpImports are the imports of an HTTP-only service's generated code.
var httpImports = []string{
	"context", "net/http", "example.com/calc/pkg/calcservice",
	"github.com/go-kit/kit/endpoint", "github.com/go-kit/kit/transport/http", "github.com/go-kit/kit/circuitbreaker",
	"github.com/go-kit/kit/sd/lb", "github.com/go-kit/log", "github.com/oklog/run", "github.com/sony/gobreaker",
	"github.com/prometheus/client_golang/prometheus", "github.com/prometheus/client_golang/prometheus/promhttp",
}

func edit(t *testing.T, gomod string, imports []string) (*Result, *modfile.File) {
	t.Helper()
	res, err := Edit([]byte(gomod), "go.mod", NeedsOf(imports))
	must(t, err)
	f, err := modfile.Parse("go.mod", res.GoMod, nil)
	must(t, err)
	return res, f
}

func required(f *modfile.File) map[string]string {
	out := map[string]string{}
	for _, r := range f.Require {
		out[r.Mod.Path] = r.Mod.Version
	}
	return out
}

func notes(res *Result) string {
	var s []string
	for _, c := range res.Changes {
		s = append(s, c.String())
	}
	return strings.Join(s, "\n")
}

func TestEditAddsOnlyWhatTheImportsNeed(t *testing.T) {
	in := "module example.com/calc\n\ngo 1.22\n\n// mine\nrequire example.com/other v1.2.3\n"
	res, f := edit(t, in, httpImports)
	req := required(f)
	if req["github.com/go-kit/kit"] != "v0.13.0" || req["github.com/prometheus/client_golang"] == "" {
		t.Errorf("go-kit or Prometheus missing:\n%s", res.GoMod)
	}
	for _, m := range []string{"google.golang.org/grpc", "go.opentelemetry.io/otel", "github.com/hashicorp/consul/api", "github.com/nats-io/nats.go"} {
		if _, ok := req[m]; ok {
			t.Errorf("HTTP-only service requires %s:\n%s", m, res.GoMod)
		}
	}
	if req["example.com/other"] != "v1.2.3" || !strings.Contains(string(res.GoMod), "// mine") {
		t.Errorf("the user's requirement or comment changed:\n%s", res.GoMod)
	}
	if f.Go.Version != "1.26.0" || !strings.Contains(notes(res), "go 1.22 → 1.26.0: needed by github.com/prometheus/client_golang v1.25.0") {
		t.Errorf("go line %s, notes:\n%s", f.Go.Version, notes(res))
	}
	if !strings.Contains(notes(res), "added github.com/go-kit/kit v0.13.0") {
		t.Errorf("notes do not name the added module:\n%s", notes(res))
	}
	again, err := Edit(res.GoMod, "go.mod", NeedsOf(httpImports))
	must(t, err)
	if len(again.Changes) > 0 || string(again.GoMod) != string(res.GoMod) {
		t.Errorf("a second Edit changes %s", notes(again))
	}
}

func TestEditKeepsNewerPinsAndGoLine(t *testing.T) {
	in := "module example.com/calc\n\ngo 1.99\n\nrequire github.com/go-kit/kit v0.99.0\n"
	res, f := edit(t, in, httpImports)
	if required(f)["github.com/go-kit/kit"] != "v0.99.0" {
		t.Errorf("go-kit downgraded:\n%s", res.GoMod)
	}
	if f.Go.Version != "1.99" || res.NewGo != "1.99" {
		t.Errorf("go line changed to %s", f.Go.Version)
	}
}

func TestEditOlderGoKit(t *testing.T) {
	for _, tt := range []struct {
		have    string
		imports []string
		want    string
		note    string
	}{
		{"v0.12.0", httpImports, "v0.12.0", ""},
		{"v0.10.0", httpImports, "v0.13.0", "github.com/go-kit/kit v0.10.0 → v0.13.0: the generated code is verified with v0.12.0 and newer"},
		{"v0.12.0", append(slices.Clone(httpImports), "github.com/go-kit/kit/transport/amqp"), "v0.13.0",
			"github.com/go-kit/kit v0.12.0 → v0.13.0: the generated code imports github.com/go-kit/kit/transport/amqp, which needs v0.13.0"},
	} {
		res, f := edit(t, "module example.com/calc\n\ngo 1.26.0\n\nrequire github.com/go-kit/kit "+tt.have+"\n", tt.imports)
		if got := required(f)["github.com/go-kit/kit"]; got != tt.want {
			t.Errorf("go-kit %s became %s, want %s", tt.have, got, tt.want)
		}
		if tt.note != "" && !strings.Contains(notes(res), tt.note) {
			t.Errorf("go-kit %s: no note %q in:\n%s", tt.have, tt.note, notes(res))
		}
	}
}

func TestEditRaisesWhatTheGraphSelects(t *testing.T) {
	in := "module example.com/calc\n\ngo 1.26.0\n\nrequire (\n\tgoogle.golang.org/grpc v1.85.0\n\tgolang.org/x/text v0.3.0 // indirect\n)\n"
	res, f := edit(t, in, []string{"google.golang.org/grpc"})
	if v := required(f)["golang.org/x/text"]; v == "v0.3.0" {
		t.Errorf("x/text kept at v0.3.0, below what grpc's graph selects:\n%s", res.GoMod)
	}
	if !strings.Contains(notes(res), "golang.org/x/text v0.3.0 → ") || !strings.Contains(notes(res), ": needed by ") {
		t.Errorf("no reason for raising x/text:\n%s", notes(res))
	}
}

func TestEditRefusesGo116WithRequirements(t *testing.T) {
	_, err := Edit([]byte("module example.com/calc\n\ngo 1.16\n\nrequire example.com/other v1.0.0\n"), "go.mod", NeedsOf(httpImports))
	var merr *model.Error
	if !errors.As(err, &merr) || merr.Pos.Line != 3 || !strings.Contains(merr.Hint, "go mod tidy -go=1.26.0") {
		t.Fatalf("err = %v, want a positioned error naming go mod tidy -go=1.26.0", err)
	}
	if _, err := Edit([]byte("module example.com/calc\n\ngo 1.16\n"), "go.mod", NeedsOf(httpImports)); err != nil {
		t.Errorf("go 1.16 without requirements: %v", err)
	}
}

func TestCheckWorkspace(t *testing.T) {
	t.Setenv("GOWORK", "")
	dir := t.TempDir()
	mod := filepath.Join(dir, "svc")
	must(t, os.MkdirAll(mod, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "go.work"), []byte("go 1.22\n\nuse ./svc\n"), 0o644))
	res, _ := edit(t, "module example.com/calc\n\ngo 1.22\n", httpImports)
	err := CheckWorkspace(mod, res)
	if err == nil || !strings.Contains(err.Error(), "go work edit -go=1.26.0") {
		t.Errorf("err = %v, want the go work edit command", err)
	}
	must(t, os.WriteFile(filepath.Join(dir, "go.work"), []byte("go 1.26.0\n\nuse ./svc\n"), 0o644))
	if err := CheckWorkspace(mod, res); err != nil {
		t.Errorf("a workspace at go 1.26.0: %v", err)
	}
}

func TestCheckVendor(t *testing.T) {
	t.Setenv("GOFLAGS", "")
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "vendor"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "vendor", "modules.txt"), []byte("# github.com/go-kit/log v0.2.1\n## explicit\ngithub.com/go-kit/log\n"), 0o644))
	res, _ := edit(t, "module example.com/calc\n\ngo 1.22\n", httpImports)
	if err := CheckVendor(dir, res, NeedsOf(httpImports)); err == nil || !strings.Contains(err.Error(), "go mod vendor") {
		t.Errorf("a go.mod change with vendor/: err = %v", err)
	}
	unchanged := &Result{OldGo: "1.26.0", NewGo: "1.26.0"}
	if err := CheckVendor(dir, unchanged, NeedsOf([]string{"github.com/go-kit/log"})); err != nil {
		t.Errorf("everything vendored: %v", err)
	}
	if err := CheckVendor(dir, unchanged, NeedsOf(httpImports)); err == nil || !strings.Contains(err.Error(), "vendor/ does not hold github.com/go-kit/kit/") {
		t.Errorf("a package missing from vendor/: err = %v", err)
	}
	t.Setenv("GOFLAGS", "-mod=mod")
	if err := CheckVendor(dir, res, NeedsOf(httpImports)); err != nil {
		t.Errorf("GOFLAGS=-mod=mod does not build from vendor/: %v", err)
	}
}

func TestEditSum(t *testing.T) {
	user := []byte("example.com/other v1.0.0 h1:abc=\n")
	lines := SumLines(NeedsOf(httpImports))
	once := EditSum(user, lines)
	if !strings.Contains(string(once), "example.com/other v1.0.0 h1:abc=") || !strings.Contains(string(once), "github.com/go-kit/kit v0.13.0 h1:") {
		t.Errorf("go.sum lacks the user's or go-kit's line:\n%s", once)
	}
	if strings.Contains(string(once), "google.golang.org/grpc v1.85.0 h1:") {
		t.Error("an HTTP-only service's go.sum has gRPC's checksum")
	}
	if twice := EditSum(once, lines); string(twice) != string(once) {
		t.Error("EditSum is not idempotent")
	}
}

// TestProbeCoversGeneratedImports: every package the golden trees import
// from a pinned module is in the probe, so its module closure is exact.
func TestProbeCoversGeneratedImports(t *testing.T) {
	r := loadRef()
	fset := token.NewFileSet()
	err := filepath.WalkDir("../../testdata/golden", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return nil // golden files that are not Go source are not in question
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if _, ok := r.closure[path]; r.moduleOf(path) != "" && !ok {
				t.Errorf("%s imports %s, which testdata/probe.go.txt does not", p, path)
			}
		}
		return nil
	})
	must(t, err)
}
