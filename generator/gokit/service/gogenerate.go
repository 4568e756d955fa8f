package service

import (
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// GoGenerateDirective is the line that makes `go generate` run kitforge:
// kitforge generate finds kitforge.yaml from the package's directory
// upwards, so it needs no flags.
const GoGenerateDirective = "//go:generate kitforge generate"

// GoGenerate emits <svc>/generate_gen.go: the //go:generate line of a
// service whose package has none (an existing module; `kitforge new` writes
// the line into service.go), so that `go generate ./...` regenerates it as
// the README, kitforge.yaml and the Makefile say.
func GoGenerate(_ *model.Service, l gokit.Layout) ([]byte, error) {
	f := l.NewFile(l.Service)
	f.Comment("`go generate ./...` runs the line below: kitforge regenerates the service from its")
	f.Comment("interface and kitforge.yaml. A go:generate line of yours that runs kitforge, in this")
	f.Comment("package or beside kitforge.yaml, replaces this file.")
	f.Line()
	f.Comment(GoGenerateDirective)
	return gokit.Render(f)
}
