// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package adminservice

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"
	usersv1 "kitforge.test/golden/proto_versioned/pkg/pb/acme/users/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Admin implementation.
func New() Service {
	return basicService{}
}

// Purge deletes every user of a role.
func (s basicService) Purge(ctx context.Context, in *usersv1.PurgeRequest) (*emptypb.Empty, error) {
	return nil, ErrNotImplemented
}
