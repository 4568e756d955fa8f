// Package tallyservice counts things.
package tallyservice

import "context"

// Service counts named things.
type Service interface {
	// Add adds n to the count of name and returns the new count.
	Add(ctx context.Context, name string, n int) (int, error)
}
