// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package tallyservice

import "context"

// basicService implements Service. Replace each stub's body with your logic;
// after you change the interface, `kitforge generate` adds stubs for new methods here.
type basicService struct{}

// New returns the tally service implementation.
func New() Service {
	return basicService{}
}

// Add adds n to the count of name and returns the new count.
func (s basicService) Add(ctx context.Context, name string, n int) (int, error) {
	return 0, ErrNotImplemented
}
