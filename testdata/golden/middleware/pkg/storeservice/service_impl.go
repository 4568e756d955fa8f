// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package storeservice

import "context"

// basicService implements Service. Replace each stub's body with your logic;
// after you change the interface, `kitforge generate` adds stubs for new methods here.
type basicService struct{}

// New returns the store service implementation.
func New() Service {
	return basicService{}
}

// Add adds an item.
func (s basicService) Add(ctx context.Context, item Item) (string, error) {
	return "", ErrNotImplemented
}

// Notify tells to about item, if any.
func (s basicService) Notify(ctx context.Context, to Email, item *Item) error {
	return ErrNotImplemented
}

// List lists the items that pass f.
func (s basicService) List(ctx context.Context, f Filter, limit int) ([]Item, error) {
	return nil, ErrNotImplemented
}

// Count counts the items.
func (s basicService) Count(ctx context.Context) (int, error) {
	return 0, ErrNotImplemented
}
