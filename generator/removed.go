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

// removedServicePrefix is what kitforge puts on top of a user's file of a
// service removed from kitforge.yaml: the packages it used are gone.
const removedServicePrefix = removedConstraint +
	"// kitforge: this file's service is gone from kitforge.yaml, so its generated files\n" +
	"// were deleted; this file is kept so no code is lost, and the line above leaves it\n" +
	"// out of the build. Move what you need elsewhere, then delete the file.\n\n"

// addRemovedServices handles the services of a services list that were
// generated before and are no longer listed: a <name>server package of
// kitforge's (its server_gen.go generated) that no listed service owns.
// Its packages become owned, so their generated files are deleted as
// stale; the user's files that used them (service_impl.go, cmd/<name>/
// main.go) are kept, out of the build. Services of a removed .proto entry
// go the way addRemovedProtoServices says.
func addRemovedServices(p *plan.Plan, results []*Result, dir string) {
	listed := map[string]bool{}
	for _, res := range results {
		listed[res.Options.Name] = true
	}
	for _, server := range generatedServerDirs(p.Root, dir) {
		name := strings.TrimSuffix(path.Base(server), "server")
		if listed[name] || slices.Contains(p.Owned, server) {
			continue
		}
		out := path.Dir(server)
		for _, suffix := range []string{"server", "endpoint", "transport", "client", "pb", "service"} {
			d := path.Join(out, name+suffix)
			if st, err := os.Stat(filepath.Join(p.Root, filepath.FromSlash(d))); err == nil && st.IsDir() && !slices.Contains(p.Owned, d) {
				p.Owned = append(p.Owned, d)
			}
		}
		addRemovedProtoServices(p, out)
		for _, f := range []string{path.Join(out, name+"service", "service_impl.go"), path.Join("cmd", name, "main.go")} {
			keepOutOfBuild(p, f, removedServicePrefix, "its service is gone from kitforge.yaml: kept out of the build (//go:build ignore)")
		}
	}
}

// keepOutOfBuild plans rel, a user's file whose service is gone, with
// prefix (a //go:build ignore line and why) on top, once, and note; a
// missing file is left alone.
func keepOutOfBuild(p *plan.Plan, rel, prefix, note string) {
	existing, err := os.ReadFile(filepath.Join(p.Root, filepath.FromSlash(rel)))
	if err != nil || slices.ContainsFunc(p.Files, func(f *plan.File) bool { return f.Path == rel }) {
		return
	}
	p.Files = append(p.Files, &plan.File{
		Path: rel, Content: existing, Owner: plan.Scaffold,
		Merge: func(existing []byte) ([]byte, []string, error) {
			if bytes.HasPrefix(existing, []byte(removedConstraint)) {
				return existing, nil, nil
			}
			return append([]byte(prefix), existing...), []string{note}, nil
		},
	})
}

// skipWalkDir reports whether a walk of the module for kitforge's files
// leaves out the directory abs, named name: hidden and _ directories,
// vendor, testdata and nested modules hold none.
func skipWalkDir(abs, name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "vendor" || name == "testdata" ||
		fileExists(filepath.Join(abs, "go.mod"))
}

// generatedServerDirs lists the directories under dir (module-relative,
// slash-separated) named <x>server that hold kitforge's server_gen.go. The
// walk skips hidden directories, vendor, testdata and nested modules.
func generatedServerDirs(root, dir string) []string {
	var out []string
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	_ = filepath.WalkDir(abs, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		name := d.Name()
		if p != abs && skipWalkDir(p, name) {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(name, "server") || name == "server" {
			return nil
		}
		src, err := os.ReadFile(filepath.Join(p, "server_gen.go"))
		if err != nil || !plan.IsGenerated(src) {
			return nil
		}
		if rel, err := filepath.Rel(root, p); err == nil {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}
