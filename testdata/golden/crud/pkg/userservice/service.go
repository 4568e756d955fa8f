// Package userservice manages users.
package userservice

import (
	"context"
	"time"
)

// User is a person with an account.
type User struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Email     string    `json:"email,omitempty"`
	Tags      []string  `json:"tags"`
	CreatedAt time.Time `json:"createdAt"`
	internal  int
}

// Role names what a user may do.
type Role string

// Service manages the users of organisations.
//
//kitforge:service
type Service interface {
	// Create stores a new user.
	//
	// kitforge:http POST /users
	// kitforge:sensitive password
	Create(ctx context.Context, user User, password string) (User, error)

	// Get returns one user.
	//
	// kitforge:http GET /users/{id}
	Get(ctx context.Context, id string) (User, error)

	// List returns users, newest first.
	//
	// kitforge:http GET /users
	List(ctx context.Context, limit int, tags []string, since *time.Time, role Role) ([]User, error)

	// Update replaces a user of an organisation.
	//
	// kitforge:http PUT /orgs/{org}/users/{id}
	Update(ctx context.Context, org, id string, user User) (User, error)

	// Delete removes a user from an organisation.
	//
	// kitforge:http DELETE /orgs/{org}/users/{id}
	Delete(ctx context.Context, org string, id int64, hard bool) error

	// Import stores many users at once and returns their ids.
	Import(ctx context.Context, users []*User, labels map[string]string, scores [3]float32) (ids []string, err error)
}
