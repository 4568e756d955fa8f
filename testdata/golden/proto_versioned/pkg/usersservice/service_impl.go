// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package usersservice

import (
	"context"

	usersv1 "kitforge.test/golden/proto_versioned/pkg/pb/acme/users/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Users implementation.
func New() Service {
	return basicService{}
}

// GetUser returns one user.
func (s basicService) GetUser(ctx context.Context, in *usersv1.GetUserRequest) (*usersv1.User, error) {
	return nil, ErrNotImplemented
}

// CreateUser adds a user.
func (s basicService) CreateUser(ctx context.Context, in *usersv1.User) (*usersv1.User, error) {
	return nil, ErrNotImplemented
}
