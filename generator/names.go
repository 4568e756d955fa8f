package generator

import (
	"slices"

	"github.com/kitforge/kitforge/generator/gokit"
)

// serviceNames are the package-level names that kitforge's generated and
// scaffolded files declare in the service's own package (under these names
// unless the user's code takes them, see gokit.ResolveServiceNames). The
// user's code may use them before the files exist (a first run), so the
// loader does not report them as undefined. TestServiceNames keeps the list
// in step with the files.
func serviceNames() []string {
	return slices.Concat(gokit.ServiceDecls, gokit.ServiceHelperDecls)
}
