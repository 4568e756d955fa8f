package goparse

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kitforge/kitforge/generator/gate"
)

// TestDirectLoadLeavesBuildTagsToGoPackages: with build tags in GOFLAGS,
// which go/build does not read, the file the tag selects declares the
// service, so only go/packages finds it; Exports must not change that.
func TestDirectLoadLeavesBuildTagsToGoPackages(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	root := t.TempDir()
	files := map[string]string{
		"go.mod":         "module example.com/tagged\n\ngo 1.22\n",
		"svc/service.go": "//go:build special\n\npackage svc\n\nimport \"context\"\n\n// Service is tagged.\ntype Service interface {\n\tPing(ctx context.Context) error\n}\n",
		"svc/other.go":   "package svc\n\n// Other is not a service.\ntype Other struct{}\n",
	}
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := Config{Dir: root, Pattern: "./svc", Exports: gate.ExportFiles}
	if _, _, err := loadVia(cfg); err == nil {
		t.Fatal("without tags: a service was found in the file the build excludes")
	}
	t.Setenv("GOFLAGS", "-tags=special")
	svc, direct, err := loadVia(cfg)
	if err != nil || direct {
		t.Fatalf("with -tags=special: direct %v, err %v", direct, err)
	}
	if svc.Interface.Name != "Service" || len(svc.Methods) != 1 {
		t.Fatalf("loaded %s with %d methods, want Service with 1", svc.Interface.Name, len(svc.Methods))
	}
}
