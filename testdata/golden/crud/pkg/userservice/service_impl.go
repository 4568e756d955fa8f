// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package userservice

import (
	"context"
	"time"
)

// basicService implements Service. Replace each stub's body with your logic;
// after you change the interface, `kitforge generate` adds stubs for new methods here.
type basicService struct{}

// New returns the user service implementation.
func New() Service {
	return basicService{}
}

// Create stores a new user.
func (s basicService) Create(ctx context.Context, user User, password string) (User, error) {
	return User{}, ErrNotImplemented
}

// Get returns one user.
func (s basicService) Get(ctx context.Context, id string) (User, error) {
	return User{}, ErrNotImplemented
}

// List returns users, newest first.
func (s basicService) List(ctx context.Context, limit int, tags []string, since *time.Time, role Role) ([]User, error) {
	return nil, ErrNotImplemented
}

// Update replaces a user of an organisation.
func (s basicService) Update(ctx context.Context, org string, id string, user User) (User, error) {
	return User{}, ErrNotImplemented
}

// Delete removes a user from an organisation.
func (s basicService) Delete(ctx context.Context, org string, id int64, hard bool) error {
	return ErrNotImplemented
}

// Import stores many users at once and returns their ids.
func (s basicService) Import(ctx context.Context, users []*User, labels map[string]string, scores [3]float32) ([]string, error) {
	return nil, ErrNotImplemented
}
