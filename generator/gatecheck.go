package generator

import (
	"context"

	"github.com/kitforge/kitforge/generator/gate"
	"github.com/kitforge/kitforge/generator/plan"
)

// CheckBuilds is the gate before every write: it type-checks every Go
// package the resolved plan writes into, with the user's files beside the
// planned ones, the module packages they import, the service's main
// package and the planned go.mod and go.sum. A plan that would not build
// is refused with the position of its first error (see package gate).
func CheckBuilds(ctx context.Context, res *Result, changes []*plan.Change) error {
	return gate.Check(ctx, gate.Input{
		Root:       res.Plan.Root,
		ModulePath: res.Layout.Module,
		Changes:    changes,
		Dirs:       res.cmdDirs(),
	})
}
