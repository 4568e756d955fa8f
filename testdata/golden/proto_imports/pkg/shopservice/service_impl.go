// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package shopservice

import (
	"context"

	moneyv1 "kitforge.test/golden/proto_imports/pkg/pb/money/v1"
	shopv1 "kitforge.test/golden/proto_imports/pkg/pb/shop/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Shop implementation.
func New() Service {
	return basicService{}
}

// Quote prices an item.
func (s basicService) Quote(ctx context.Context, in *shopv1.QuoteRequest) (*moneyv1.Money, error) {
	return nil, ErrNotImplemented
}

// Convert converts an amount, taken from the body, into another currency.
func (s basicService) Convert(ctx context.Context, in *shopv1.ConvertRequest) (*moneyv1.Money, error) {
	return nil, ErrNotImplemented
}
