package generator

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kitforge/kitforge/generator/plan"
)

// protoServiceMark is in the package comment of every generated
// service_gen.go of a .proto service; it tells a service package kitforge
// generated from a .proto.
const protoServiceMark = "kitforge generates the Service interface from the .proto file"

// removedConstraint is the build constraint kitforge puts at the top of the
// implementation of a service removed from the .proto, and removedPrefix all
// it puts there; kitforge takes removedPrefix away if the service comes back.
const (
	removedConstraint = "//go:build ignore\n\n"
	removedPrefix     = removedConstraint +
		"// kitforge: the service of this package is gone from the .proto, so its generated\n" +
		"// files were deleted; this file is kept so no code is lost, and the line above leaves\n" +
		"// it out of the build. Move what you need elsewhere, then delete the file.\n\n"
)

// addRemovedProtoServices handles the services that were generated from the
// .proto files before and are no longer declared there: their packages
// (<out>/<name>service, endpoint, transport, client) become owned, so their
// generated files are deleted as stale, and their service_impl.go, which is
// the user's, is kept but left out of the build (a //go:build ignore line
// and a comment saying why go on top; nothing else changes), since the
// interface and messages it implements are gone. outDir is relative to the
// plan's root, slash-separated.
func addRemovedProtoServices(p *plan.Plan, outDir string) {
	for _, f := range p.Files {
		if path.Base(f.Path) != "service_impl.go" || f.Merge == nil {
			continue
		}
		merge := f.Merge
		f.Merge = func(existing []byte) ([]byte, []string, error) {
			rest, ok := bytes.CutPrefix(existing, []byte(removedPrefix))
			if !ok {
				return merge(existing)
			}
			out, notes, err := merge(rest)
			return out, append([]string{"its service is back in the .proto: back in the build"}, notes...), err
		}
	}
	entries, err := os.ReadDir(filepath.Join(p.Root, filepath.FromSlash(outDir)))
	if err != nil {
		return
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), "service")
		dir := path.Join(outDir, e.Name())
		if !ok || name == "" || !e.IsDir() || slices.Contains(p.Owned, dir) {
			continue
		}
		gen, err := os.ReadFile(filepath.Join(p.Root, filepath.FromSlash(dir), "service_gen.go"))
		if err != nil || !plan.IsGenerated(gen) || !bytes.Contains(gen, []byte(protoServiceMark)) {
			continue
		}
		for _, suffix := range []string{"service", "endpoint", "transport", "client"} {
			d := path.Join(outDir, name+suffix)
			if st, err := os.Stat(filepath.Join(p.Root, filepath.FromSlash(d))); err == nil && st.IsDir() && !slices.Contains(p.Owned, d) {
				p.Owned = append(p.Owned, d)
			}
		}
		impl := path.Join(dir, "service_impl.go")
		existing, err := os.ReadFile(filepath.Join(p.Root, filepath.FromSlash(impl)))
		if err != nil {
			continue
		}
		p.Files = append(p.Files, &plan.File{
			Path: impl, Content: existing, Owner: plan.Scaffold,
			Merge: func(existing []byte) ([]byte, []string, error) {
				if bytes.HasPrefix(existing, []byte(removedConstraint)) {
					return existing, nil, nil
				}
				out := append([]byte(removedPrefix), existing...)
				return out, []string{"its service is gone from the .proto: kept out of the build (//go:build ignore); remove the service from cmd's main.go if you set it there"}, nil
			},
		})
	}
}
