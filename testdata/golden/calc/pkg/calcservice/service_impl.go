// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package calcservice

import "context"

// basicService implements Service. Replace each stub's body with your logic;
// after you change the interface, `kitforge generate` adds stubs for new methods here.
type basicService struct{}

// New returns the calc service implementation.
func New() Service {
	return basicService{}
}

// Sum returns the sum of a and b.
func (s basicService) Sum(ctx context.Context, a int, b int) (int, error) {
	return 0, ErrNotImplemented
}

// Divide returns the quotient and remainder of a divided by b.
func (s basicService) Divide(ctx context.Context, a int64, b int64) (int64, int64, error) {
	return 0, 0, ErrNotImplemented
}

// Negate returns -x.
func (s basicService) Negate(ctx context.Context, arg float64) (float64, error) {
	return 0, ErrNotImplemented
}
