package protoparse

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kitforge/kitforge/generator/model"
)

// testModule is the module path of the trees tests load.
const testModule = "example.com/lib"

// writeTree writes files (slash paths → content) under a new directory.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// testConfig is a Config for the module in dir, with pkg/ as the output root.
func testConfig(dir string, files ...string) Config {
	return Config{
		Dir: dir, Files: files, ModuleRoot: dir, Module: testModule, PBDir: "pkg/pb",
		ServicePackage: func(name string) (string, string, string) {
			return testModule + "/pkg/" + name + "service", name + "service", "pkg/" + name + "service"
		},
	}
}

// mustLoad loads cfg and fails the test on error.
func mustLoad(t testing.TB, cfg Config) *Result {
	t.Helper()
	res, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// method finds a method of a loaded service by Go name.
func method(t testing.TB, s *Service, name string) *Method {
	t.Helper()
	for _, m := range s.Methods {
		if m.Model.Name == name {
			return m
		}
	}
	t.Fatalf("service %s has no method %s", s.FullName, name)
	return nil
}

// binding renders a binding compactly: "GET /v1/{name=shelves/*} body= resp=".
func binding(b *model.HTTPBinding) string {
	return b.Verb + " " + b.Path + " body=" + b.Body + " resp=" + b.ResponseBody
}
