// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package catalogservice

import (
	"context"

	catalogv1 "kitforge.test/golden/system/pkg/pb/catalog/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Catalog implementation.
func New() Service {
	return basicService{}
}

// GetItem returns an item.
func (s basicService) GetItem(ctx context.Context, in *catalogv1.GetItemRequest) (*catalogv1.Item, error) {
	return nil, ErrNotImplemented
}
