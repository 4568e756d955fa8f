// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package ordersservice

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"
	shopv1 "kitforge.test/golden/proto_amqp/pkg/pb/shop/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Orders implementation.
func New() Service {
	return basicService{}
}

// CreateOrder places an order.
func (s basicService) CreateOrder(ctx context.Context, in *shopv1.CreateOrderRequest) (*shopv1.Order, error) {
	return nil, ErrNotImplemented
}

// GetOrder returns one order.
func (s basicService) GetOrder(ctx context.Context, in *shopv1.GetOrderRequest) (*shopv1.Order, error) {
	return nil, ErrNotImplemented
}

// CancelOrder cancels an order.
func (s basicService) CancelOrder(ctx context.Context, in *shopv1.GetOrderRequest) (*emptypb.Empty, error) {
	return nil, ErrNotImplemented
}

// TrackEvent records an event; callers do not wait for it.
//
// kitforge:async
func (s basicService) TrackEvent(ctx context.Context, in *shopv1.Event) (*emptypb.Empty, error) {
	return nil, ErrNotImplemented
}

// WatchOrders streams the orders as they change.
func (s basicService) WatchOrders(in *emptypb.Empty, stream WatchOrdersStream) error {
	return ErrNotImplemented
}
