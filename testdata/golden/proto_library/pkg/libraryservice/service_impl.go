// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package libraryservice

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"
	library "kitforge.test/golden/proto_library/pkg/pb/google/example/library/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the LibraryService implementation.
func New() Service {
	return basicService{}
}

// Creates a shelf, and returns the new Shelf.
func (s basicService) CreateShelf(ctx context.Context, in *library.CreateShelfRequest) (*library.Shelf, error) {
	return nil, ErrNotImplemented
}

// Gets a shelf. Returns NOT_FOUND if the shelf does not exist.
func (s basicService) GetShelf(ctx context.Context, in *library.GetShelfRequest) (*library.Shelf, error) {
	return nil, ErrNotImplemented
}

// Lists shelves.
func (s basicService) ListShelves(ctx context.Context, in *library.ListShelvesRequest) (*library.ListShelvesResponse, error) {
	return nil, ErrNotImplemented
}

// Deletes a shelf. Returns NOT_FOUND if the shelf does not exist.
func (s basicService) DeleteShelf(ctx context.Context, in *library.DeleteShelfRequest) (*emptypb.Empty, error) {
	return nil, ErrNotImplemented
}

// Merges two shelves by adding all books from the shelf named
// `other_shelf_name` to shelf `name`, and deletes `other_shelf_name`.
func (s basicService) MergeShelves(ctx context.Context, in *library.MergeShelvesRequest) (*library.Shelf, error) {
	return nil, ErrNotImplemented
}

// Creates a book, and returns the new Book.
func (s basicService) CreateBook(ctx context.Context, in *library.CreateBookRequest) (*library.Book, error) {
	return nil, ErrNotImplemented
}

// Gets a book. Returns NOT_FOUND if the book does not exist.
func (s basicService) GetBook(ctx context.Context, in *library.GetBookRequest) (*library.Book, error) {
	return nil, ErrNotImplemented
}

// Lists books in a shelf, filtered by genre.
func (s basicService) ListBooks(ctx context.Context, in *library.ListBooksRequest) (*library.ListBooksResponse, error) {
	return nil, ErrNotImplemented
}

// Updates a book: the fields of update_mask, taken from the body.
func (s basicService) UpdateBook(ctx context.Context, in *library.UpdateBookRequest) (*library.Book, error) {
	return nil, ErrNotImplemented
}

// Moves a book to another shelf, and returns the Book with its new name.
func (s basicService) MoveBook(ctx context.Context, in *library.MoveBookRequest) (*library.Book, error) {
	return nil, ErrNotImplemented
}

// Borrows a book for a while, with a custom HTTP method.
func (s basicService) BorrowBook(ctx context.Context, in *library.BorrowBookRequest) (*library.BorrowBookResponse, error) {
	return nil, ErrNotImplemented
}
