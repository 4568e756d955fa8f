// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package notesservice

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"
	"kitforge.test/golden/proto_crud/internal/notespb"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Notes implementation.
func New() Service {
	return basicService{}
}

// CreateNote stores a new note.
func (s basicService) CreateNote(ctx context.Context, in *notespb.CreateNoteRequest) (*notespb.Note, error) {
	return nil, ErrNotImplemented
}

// GetNote returns one note.
func (s basicService) GetNote(ctx context.Context, in *notespb.GetNoteRequest) (*notespb.Note, error) {
	return nil, ErrNotImplemented
}

// ListNotes lists notes, newest first.
func (s basicService) ListNotes(ctx context.Context, in *notespb.ListNotesRequest) (*notespb.ListNotesResponse, error) {
	return nil, ErrNotImplemented
}

// UpdateNote replaces a note.
func (s basicService) UpdateNote(ctx context.Context, in *notespb.Note) (*notespb.Note, error) {
	return nil, ErrNotImplemented
}

// DeleteNote removes a note.
func (s basicService) DeleteNote(ctx context.Context, in *notespb.DeleteNoteRequest) (*emptypb.Empty, error) {
	return nil, ErrNotImplemented
}

// Count has no HTTP annotation: it is served at POST /notes.v1.Notes/Count.
func (s basicService) Count(ctx context.Context, in *emptypb.Empty) (*notespb.CountResponse, error) {
	return nil, ErrNotImplemented
}
