package userservice

import "errors"

// ErrNotFound is returned for an id no user has.
//
//kitforge:status 404
var ErrNotFound = errors.New("user not found")

var (
	// ErrExists is returned when a user with that id exists.
	//kitforge:status 409
	ErrExists = errors.New("user exists")

	// ErrStale is returned when a user changed since it was read.
	//kitforge:status 409
	ErrStale = errors.New("user changed meanwhile")
)
