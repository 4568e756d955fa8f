package goparse

import (
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/kitforge/kitforge/generator/gate"
)

// TestDirectLoadLeavesBuildTagsToGoPackages: with build tags in GOFLAGS,
// which go/build does not read, the file the tag selects declares the
// service, so only go/packages finds it; Exports must not change that.
func TestDirectLoadLeavesBuildTagsToGoPackages(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	root := extract(t, txtar.Parse([]byte(`-- go.mod --
module example.com/tagged

go 1.22
-- svc/service.go --
//go:build special

package svc

import "context"

// Service is tagged.
type Service interface {
	Ping(ctx context.Context) error
}
-- svc/other.go --
package svc

// Other is not a service.
type Other struct{}
`)))
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
