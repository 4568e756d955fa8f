// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package usersservice

import "context"

// basicService implements Service. Replace each stub's body with your logic;
// after you change the interface, `kitforge generate` adds stubs for new methods here.
type basicService struct{}

// New returns the users service implementation.
func New() Service {
	return basicService{}
}

// Name returns the name of the user id.
func (s basicService) Name(ctx context.Context, id string) (string, error) {
	return "", ErrNotImplemented
}
