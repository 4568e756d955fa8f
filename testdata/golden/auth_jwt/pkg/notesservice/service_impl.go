// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package notesservice

import "context"

// basicService implements Service. Replace each stub's body with your logic;
// after you change the interface, `kitforge generate` adds stubs for new methods here.
type basicService struct{}

// New returns the notes service implementation.
func New() Service {
	return basicService{}
}

// Add adds a note and returns its id.
func (s basicService) Add(ctx context.Context, text string) (string, error) {
	return "", ErrNotImplemented
}

// Count counts the notes.
func (s basicService) Count(ctx context.Context) (int, error) {
	return 0, ErrNotImplemented
}
