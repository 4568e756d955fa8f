package gate

import (
	"go/token"
	"go/types"
	"sync"
)

// Imports keeps the packages Check reads from export data, for a caller
// that checks many plans against one answer of Input.Exports (the fuzz
// tests): each package is read once instead of once per Check, which is
// most of a small plan's check. The export data files must not change
// while an Imports is in use; a kitforge run checks one plan and needs
// none.
type Imports struct {
	mu       sync.Mutex
	fset     *token.FileSet
	packages map[string]*types.Package
}

// NewImports returns an empty Imports.
func NewImports() *Imports {
	return &Imports{fset: token.NewFileSet(), packages: map[string]*types.Package{}}
}
