// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package ordersservice

import (
	"context"

	"kitforge.test/golden/system/pkg/catalogservice"
	"kitforge.test/golden/system/pkg/usersservice"
)

// basicService implements Service. Replace each stub's body with your logic;
// after you change the interface, `kitforge generate` adds stubs for new methods here.
type basicService struct {
	users   usersservice.Service
	catalog catalogservice.Service
}

// New returns the orders service implementation, which calls users and catalog through the parameters (main.go passes their generated clients).
func New(users usersservice.Service, catalog catalogservice.Service) Service {
	return basicService{users: users, catalog: catalog}
}

// Place orders item for user and returns a summary.
func (s basicService) Place(ctx context.Context, user string, item string) (string, error) {
	return "", ErrNotImplemented
}
