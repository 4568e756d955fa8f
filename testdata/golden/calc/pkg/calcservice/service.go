// Package calcservice declares a calculator service.
package calcservice

import "context"

// Service is a calculator.
type Service interface {
	// Sum returns the sum of a and b.
	Sum(ctx context.Context, a, b int) (int, error)

	// Divide returns the quotient and remainder of a divided by b.
	Divide(ctx context.Context, a, b int64) (quotient, remainder int64, err error)

	// Negate returns -x.
	Negate(context.Context, float64) (float64, error)
}
