// Package ordersservice takes orders.
package ordersservice

import "context"

// Service takes orders.
type Service interface {
	// Place orders item for user and returns a summary.
	Place(ctx context.Context, user, item string) (string, error)
}
