package transport

import (
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/transcode"
)

// TranscodeRuntime emits <out>/internal/transcode/transcode_gen.go, once
// per module: kitforge's transcoding runtime (package generator/transcode),
// copied with its package clause rewritten, since generated code must not
// import kitforge. Every proto service's http_gen.go uses it.
func TranscodeRuntime(pkg gokit.Pkg) ([]byte, error) {
	return transcode.Source(gokit.GeneratedHeader, pkg.Name)
}
