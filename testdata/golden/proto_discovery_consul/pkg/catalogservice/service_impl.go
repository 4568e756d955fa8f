// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package catalogservice

import (
	"context"

	shopv1 "kitforge.test/golden/proto_discovery_consul/pkg/pb/shop/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Catalog implementation.
func New() Service {
	return basicService{}
}

// GetItem returns one item.
func (s basicService) GetItem(ctx context.Context, in *shopv1.GetItemRequest) (*shopv1.Item, error) {
	return nil, ErrNotImplemented
}

// WatchItems streams the items as they change.
func (s basicService) WatchItems(in *shopv1.WatchItemsRequest, stream WatchItemsStream) error {
	return ErrNotImplemented
}
