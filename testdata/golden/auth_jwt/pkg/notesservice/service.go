// Package notesservice keeps notes.
package notesservice

import "context"

// Service keeps notes.
//
//kitforge:service
type Service interface {
	// Add adds a note and returns its id.
	Add(ctx context.Context, text string) (string, error)
	// Count counts the notes.
	Count(ctx context.Context) (int, error)
}
