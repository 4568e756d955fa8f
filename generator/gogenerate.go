package generator

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/service"
)

// withGoGenerate adds the service package's generate_gen.go, the
// //go:generate line, unless a file of the user's in dirs (the service's
// package, the directory of kitforge.yaml) already runs kitforge from
// `go generate`: a second line would regenerate twice per run.
func withGoGenerate(l gokit.Layout, none bool, dirs []string, emitters []emitter) ([]emitter, error) {
	if none {
		return emitters, nil
	}
	has, err := userRunsKitforge(dirs)
	if err != nil || has {
		return emitters, err
	}
	return append(emitters, emitter{l.Service.Dir, "generate_gen.go", service.GoGenerate}), nil
}

// userRunsKitforge reports whether a Go file in dirs that kitforge does not
// generate has a //go:generate line that runs kitforge.
func userRunsKitforge(dirs []string) (bool, error) {
	seen := map[string]bool{}
	for _, dir := range dirs {
		if seen[dir] {
			continue
		}
		seen[dir] = true
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			return false, err
		}
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				return false, err
			}
			if runsKitforge(src) {
				return true, nil
			}
		}
	}
	return false, nil
}

// runsKitforge reports whether src is a file of the user's (without
// kitforge's generated header) with a //go:generate directive that names
// kitforge, at the start of a line as go generate requires.
func runsKitforge(src []byte) bool {
	if bytes.HasPrefix(src, []byte("// "+gokit.GeneratedHeader)) {
		return false
	}
	for line := range bytes.Lines(src) {
		if rest, ok := bytes.CutPrefix(line, []byte("//go:generate ")); ok && bytes.Contains(rest, []byte("kitforge")) {
			return true
		}
	}
	return false
}
