package merge

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/model"
)

const sumStub = `// Sum adds two numbers.
func (s basicService) Sum(ctx context.Context, a int, b int) (int, error) {
	return 0, ErrNotImplemented
}`

func TestUntouchedFileIsReturnedAsIs(t *testing.T) {
	// Not gofmt'd on purpose: with nothing to merge, not a byte changes.
	src := []byte("package calcservice\n\nimport \"context\"\ntype basicService struct{  }\n\nfunc (s basicService) Sum(ctx context.Context, a, b int) (int, error) { return a+b, nil }\n")
	res, err := Implementation(src, "service_impl.go", "basicService", []Method{{Name: "Sum", Stub: []byte(sumStub)}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.Src, src) || len(res.Notes) > 0 {
		t.Errorf("got notes %q and\n%s", res.Notes, res.Src)
	}
}

func TestSignatureDefaultsToTheStubs(t *testing.T) {
	src := []byte("package calcservice\n\nimport \"context\"\n\ntype basicService struct{}\n\nfunc (s basicService) Sum(\n\tctx context.Context,\n\ta, b int32,\n) (int, error) {\n\treturn int(a + b), nil\n}\n")
	res, err := Implementation(src, "service_impl.go", "basicService", []Method{{Name: "Sum", Stub: []byte(sumStub)}})
	if err != nil {
		t.Fatal(err)
	}
	want := "// kitforge: signature changed; was: func (s basicService) Sum(ctx context.Context, a, b int32) (int, error)\nfunc (s basicService) Sum(ctx context.Context, a int, b int) (int, error) {\n\treturn int(a + b), nil\n}\n"
	if !strings.HasSuffix(string(res.Src), want) {
		t.Errorf("got\n%s\nwant it to end in\n%s", res.Src, want)
	}
}

func TestEmptyBodyWithChangedResults(t *testing.T) {
	src := []byte("package calcservice\n\ntype basicService struct{}\n\nfunc (s *basicService) Ping() {}\n")
	stub := "func (s basicService) Ping() error {\n\treturn ErrNotImplemented\n}"
	res, err := Implementation(src, "service_impl.go", "basicService", []Method{{Name: "Ping", Stub: []byte(stub)}})
	if err != nil {
		t.Fatal(err)
	}
	want := "package calcservice\n\ntype basicService struct{}\n\n// kitforge: signature changed; was: func (s *basicService) Ping()\nfunc (s *basicService) Ping() error {\n\treturn ErrNotImplemented\n}\n"
	if string(res.Src) != want {
		t.Errorf("got\n%s\nwant\n%s", res.Src, want)
	}
}

func TestBadInput(t *testing.T) {
	src := []byte("package calcservice\n\ntype basicService struct{}\n")
	for _, tc := range []struct {
		name    string
		methods []Method
		want    string
	}{
		{"stub does not parse", []Method{{Name: "Sum", Stub: []byte("func (s basicService) Sum( {")}}, "stub for Sum"},
		{"stub is not a method", []Method{{Name: "Sum", Stub: []byte("func Sum() {}")}}, "want a method Sum"},
		{"stub has another name", []Method{{Name: "Sum", Stub: []byte("func (s basicService) Add() {}")}}, "want a method Sum"},
		{"bad signature", []Method{{Name: "Sum", Stub: []byte(sumStub), Signature: "(a int"}}, "bad signature"},
		{"method twice", []Method{{Name: "Sum", Stub: []byte(sumStub)}, {Name: "Sum", Stub: []byte(sumStub)}}, "listed twice"},
	} {
		_, err := Implementation(src, "service_impl.go", "basicService", tc.methods)
		var merr *model.Error
		if err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, &merr) {
			t.Errorf("%s: got %v, want a plain error containing %q", tc.name, err, tc.want)
		}
	}
}

func TestSyntaxErrorIsPositioned(t *testing.T) {
	_, err := Implementation([]byte("package p\n\nfunc (s T) F() {\n"), "pkg/calcservice/service_impl.go", "T", nil)
	var merr *model.Error
	if !errors.As(err, &merr) {
		t.Fatalf("got %T %v, want *model.Error", err, err)
	}
	if merr.Pos.File != "pkg/calcservice/service_impl.go" || merr.Pos.Line != 3 || merr.Hint != "fix the syntax error in your file, then re-run kitforge generate" {
		t.Errorf("got %+v", merr)
	}
}

func TestLocalName(t *testing.T) {
	for path, want := range map[string]string{
		"context":                    "context",
		"github.com/go-kit/log":      "log",
		"gopkg.in/yaml.v3":           "yaml",
		"example.com/mod/v2":         "mod",
		"github.com/go-kit/kit/v2x":  "v2x",
		"github.com/oklog/run":       "run",
		"google.golang.org/grpc":     "grpc",
		"github.com/user/go-foo-bar": "foo",
	} {
		if got := localName("", path); got != want {
			t.Errorf("localName(%q) = %q, want %q", path, got, want)
		}
	}
	if got := localName("kithttp", "github.com/go-kit/kit/transport/http"); got != "kithttp" {
		t.Errorf("alias ignored: %q", got)
	}
}

func TestImportsWithAlias(t *testing.T) {
	src := []byte("package calcservice\n\nimport \"context\"\n\ntype basicService struct{}\n\nfunc (s basicService) Sum(ctx context.Context) error { return nil }\n")
	stub := "func (s basicService) Handler(ctx context.Context) (kithttp.Server, error) {\n\treturn kithttp.Server{}, ErrNotImplemented\n}"
	res, err := Implementation(src, "service_impl.go", "basicService", []Method{
		{Name: "Sum", Stub: []byte("func (s basicService) Sum(ctx context.Context) error {\n\treturn ErrNotImplemented\n}")},
		{Name: "Handler", Stub: []byte(stub), Imports: []string{"context", "kithttp github.com/go-kit/kit/transport/http", "unused.example/pkg"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// astutil adds to the best-matching group; it does not open a new one.
	want := "import (\n\t\"context\"\n\tkithttp \"github.com/go-kit/kit/transport/http\"\n)\n"
	if !strings.Contains(string(res.Src), want) {
		t.Errorf("got\n%s\nwant the imports\n%s", res.Src, want)
	}
}

func TestRemoveMethodsOnOneLine(t *testing.T) {
	src := []byte("package calcservice\n\ntype basicService struct{}\n\nfunc (s basicService) Old() {}; func (s basicService) Ping() {} // ping\n")
	res, err := Implementation(src, "service_impl.go", "basicService", []Method{{Name: "Ping", Stub: []byte("func (s basicService) Ping() {}")}})
	if err != nil {
		t.Fatal(err)
	}
	want := "package calcservice\n\ntype basicService struct{}\n\nfunc (s basicService) Ping() {} // ping\n\n" + removedMarker + "\n/*\nfunc (s basicService) Old() {};\n*/\n"
	if string(res.Src) != want {
		t.Errorf("got\n%s\nwant\n%s", res.Src, want)
	}
}
