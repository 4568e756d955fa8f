// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package ordersservice

import (
	"context"

	shopv1 "kitforge.test/golden/proto_discovery_consul/pkg/pb/shop/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Orders implementation.
func New() Service {
	return basicService{}
}

// PlaceOrder places an order and returns it.
func (s basicService) PlaceOrder(ctx context.Context, in *shopv1.PlaceOrderRequest) (*shopv1.Order, error) {
	return nil, ErrNotImplemented
}
