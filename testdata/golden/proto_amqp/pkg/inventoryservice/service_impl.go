// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package inventoryservice

import (
	"context"

	shopv1 "kitforge.test/golden/proto_amqp/pkg/pb/shop/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Inventory implementation.
func New() Service {
	return basicService{}
}

// Reserve holds qty items of a sku.
func (s basicService) Reserve(ctx context.Context, in *shopv1.ReserveRequest) (*shopv1.ReserveResponse, error) {
	return nil, ErrNotImplemented
}
