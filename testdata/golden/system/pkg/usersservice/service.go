// Package usersservice manages users.
package usersservice

import "context"

// Service manages users.
type Service interface {
	// Name returns the name of the user id.
	//
	// kitforge:http GET /users/{id}
	Name(ctx context.Context, id string) (string, error)
}
