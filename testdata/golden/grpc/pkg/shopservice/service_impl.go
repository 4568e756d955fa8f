// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package shopservice

import (
	"context"
	"net/url"
	"time"
)

// basicService implements Service. Replace each stub's body with your logic;
// after you change the interface, `kitforge generate` adds stubs for new methods here.
type basicService struct{}

// New returns the shop service implementation.
func New() Service {
	return basicService{}
}

// Add stores a product and returns it as stored.
func (s basicService) Add(ctx context.Context, p Product) (Product, error) {
	return Product{}, ErrNotImplemented
}

// Get returns a product, or nil when there is none.
func (s basicService) Get(ctx context.Context, sku SKU) (*Product, error) {
	return nil, ErrNotImplemented
}

// Find lists products by tag, created after a time, at most limit.
func (s basicService) Find(ctx context.Context, tags []string, after *time.Time, limit *int) ([]Product, bool, error) {
	return nil, false, ErrNotImplemented
}

// Restock adds to the stock of many products at once.
func (s basicService) Restock(ctx context.Context, counts map[SKU]int, by time.Duration) (map[SKU]uint64, error) {
	return nil, ErrNotImplemented
}

// Tag adds tags to a product.
func (s basicService) Tag(ctx context.Context, sku SKU, tags ...string) error {
	return ErrNotImplemented
}

// Link points a product at its page and its mirrors.
func (s basicService) Link(ctx context.Context, sku SKU, page *url.URL, mirrors []*url.URL) error {
	return ErrNotImplemented
}

// Ping answers.
func (s basicService) Ping() {
	panic(ErrNotImplemented)
}

// Count returns how many products there are.
func (s basicService) Count() int {
	panic(ErrNotImplemented)
}
