// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package inventory

import (
	"time"

	"kitforge.test/golden/domain/pkg/inventory/model"
	model1 "kitforge.test/golden/domain/pkg/warehouse/model"
)

// basicService implements Service. Replace each stub's body with your logic;
// after you change the interface, `kitforge generate` adds stubs for new methods here.
type basicService struct{}

// New returns the inventory service implementation.
func New() Service {
	return basicService{}
}

// Stock returns the stock level of a product.
func (s basicService) Stock(sku model.SKU) (model.Level, error) {
	return model.Level{}, ErrNotImplemented
}

// Reserve holds qty units of a product until a deadline.
func (s basicService) Reserve(sku model.SKU, qty int, until time.Time) (model.Reservation, error) {
	return model.Reservation{}, ErrNotImplemented
}

// Locate says where a product is and how long picking it takes.
func (s basicService) Locate(sku model.SKU) (model1.Location, time.Duration) {
	panic(ErrNotImplemented)
}

// Ping does nothing.
func (s basicService) Ping() {
	panic(ErrNotImplemented)
}

// Reset empties the warehouse.
func (s basicService) Reset() error {
	return ErrNotImplemented
}

// Annotate attaches notes to the warehouse and returns what it stored.
func (s basicService) Annotate(notes ...string) (any, error) {
	return nil, ErrNotImplemented
}
