package openapi

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"golang.org/x/tools/txtar"

	"github.com/kitforge/kitforge/generator/goparse"
	"github.com/kitforge/kitforge/generator/model"
)

// load extracts a golden input archive into a temp module and loads it.
func load(t *testing.T, name, pattern string) *model.Service {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("../../testdata/golden", name, "input.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := append(a.Files, txtar.File{Name: "go.mod", Data: []byte("module kitforge.test/golden/" + name + "\n\ngo 1.26.0\n")})
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	svc, err := goparse.Load(context.Background(), goparse.Config{Dir: dir, Pattern: pattern})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// TestDocumentIsValidOpenAPI validates the documents of the golden services
// with kin-openapi and checks routes, parameters and schemas.
func TestDocumentIsValidOpenAPI(t *testing.T) {
	for _, c := range []struct{ name, pattern string }{
		{"calc", "./pkg/calcservice"}, {"crud", "./pkg/userservice"}, {"domain", "./pkg/inventory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data, err := Document(load(t, c.name, c.pattern))
			if err != nil {
				t.Fatal(err)
			}
			loader := openapi3.NewLoader()
			doc, err := loader.LoadFromData(data)
			if err != nil {
				t.Fatalf("load: %v\n%s", err, data)
			}
			if err := doc.Validate(context.Background()); err != nil {
				t.Fatalf("invalid OpenAPI: %v\n%s", err, data)
			}
			again, _ := Document(load(t, c.name, c.pattern))
			if string(again) != string(data) {
				t.Error("Document is not deterministic")
			}
			if c.name != "crud" {
				return
			}
			get := doc.Paths.Find("/users/{id}").Get
			if get == nil || get.OperationID != "Get" || get.Parameters.GetByInAndName("path", "id") == nil {
				t.Errorf("GET /users/{id} is not described with its path parameter: %+v", get)
			}
			list := doc.Paths.Find("/users").Get
			if list == nil || list.Parameters.GetByInAndName("query", "tags") == nil || list.Parameters.GetByInAndName("query", "since") == nil {
				t.Errorf("GET /users lacks its query parameters")
			}
			user := doc.Components.Schemas["User"]
			if user == nil || user.Value.Properties["createdAt"] == nil || user.Value.Properties["createdAt"].Value.Format != "date-time" {
				t.Errorf("User schema lacks createdAt as date-time: %+v", user)
			}
			if _, ok := user.Value.Properties["internal"]; ok {
				t.Error("unexported field in schema")
			}
		})
	}
}
