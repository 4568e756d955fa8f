package generator

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kitforge/kitforge/generator/config"
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
		keepOutOfBuild(p, path.Join(dir, "service_impl.go"), removedPrefix,
			"its service is gone from the .proto: kept out of the build (//go:build ignore); remove the service from cmd's main.go if you set it there")
	}
}

// addMovedPBDirs finds the .pb.go files that kitforge wrote for the local
// .proto files in a directory that is no longer their Go package's (their
// go_package changed) and owns those directories, with protoc-gen-go's
// marker, so the files there are deleted as stale. A .pb.go names its
// .proto in its "// source:" line; only files whose source is one of the
// .proto files generated now count. The walk covers dir (the directory
// of kitforge.yaml) and skips hidden directories, vendor,
// testdata, nested modules and directories with a kitforge.yaml of their
// own (another service, which may generate the same .proto).
func addMovedPBDirs(p *plan.Plan, dir string) {
	current := map[string]bool{} // import paths of the .proto files generated now
	for _, f := range p.Files {
		if strings.HasSuffix(f.Path, ".pb.go") {
			if src := pbSource(f.Content); src != "" {
				current[src] = true
			}
		}
	}
	dir, err := filepath.Abs(dir)
	if len(current) == 0 || err != nil {
		return
	}
	_ = filepath.WalkDir(dir, func(abs string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, rerr := filepath.Rel(p.Root, abs)
		if rerr != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if abs != dir && (skipWalkDir(abs, d.Name()) || fileExists(filepath.Join(abs, config.FileName))) {
				return filepath.SkipDir
			}
			return nil
		}
		pbDir := path.Dir(rel)
		if !strings.HasSuffix(rel, ".pb.go") || slices.Contains(p.Owned, pbDir) {
			return nil
		}
		head := make([]byte, 1024)
		f, err := os.Open(abs)
		if err != nil {
			return nil
		}
		n, _ := f.Read(head)
		f.Close()
		head = head[:n]
		if !plan.IsGenerated(head) && !plan.HasMarker(head, protocGenGoMarker) || !current[pbSource(head)] {
			return nil
		}
		p.Owned = append(p.Owned, pbDir)
		if p.Markers == nil {
			p.Markers = map[string][]string{}
		}
		p.Markers[pbDir] = append(p.Markers[pbDir], protocGenGoMarker)
		return nil
	})
}

// pbSource returns the .proto file a .pb.go names in its "// source:" line.
func pbSource(content []byte) string {
	for line := range strings.Lines(string(content)) {
		if src, ok := strings.CutPrefix(strings.TrimSpace(line), "// source: "); ok {
			return src
		}
		if strings.HasPrefix(line, "package ") {
			break
		}
	}
	return ""
}
