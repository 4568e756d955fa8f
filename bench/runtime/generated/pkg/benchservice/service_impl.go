// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package benchservice

import "context"

// basicService implements Service. Replace each stub's body with your logic;
// after you change the interface, `kitforge generate` adds stubs for new methods here.
type basicService struct{}

// New returns the bench service implementation.
func New() Service {
	return basicService{}
}

// Sum returns a + b.
func (s basicService) Sum(ctx context.Context, a int, b int) (int, error) {
	return a + b, nil
}

// Concat returns a followed by b.
func (s basicService) Concat(ctx context.Context, a string, b string) (string, error) {
	return a + b, nil
}

// Greet returns a greeting for name.
func (s basicService) Greet(ctx context.Context, name string) (string, error) {
	return "hello, " + name, nil
}
