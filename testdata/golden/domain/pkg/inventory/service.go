// Package inventory tracks stock.
package inventory

import (
	"time"

	"kitforge.test/golden/domain/pkg/inventory/model"
	wmodel "kitforge.test/golden/domain/pkg/warehouse/model"
)

// Service tracks the stock of a warehouse.
type Service interface {
	// Stock returns the stock level of a product.
	Stock(sku model.SKU) (model.Level, error)

	// Reserve holds qty units of a product until a deadline.
	Reserve(sku model.SKU, qty int, until time.Time) (model.Reservation, error)

	// Locate says where a product is and how long picking it takes.
	Locate(sku model.SKU) (wmodel.Location, time.Duration)

	// Ping does nothing.
	Ping()

	// Reset empties the warehouse.
	Reset() error

	// Annotate attaches notes to the warehouse and returns what it stored.
	Annotate(notes ...string) (any, error)
}
