// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package chatservice

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"
	chatv1 "kitforge.test/golden/proto_streaming/pkg/pb/chat/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Chat implementation.
func New() Service {
	return basicService{}
}

// Ping is unary.
func (s basicService) Ping(ctx context.Context, in *emptypb.Empty) (*chatv1.Pong, error) {
	return nil, ErrNotImplemented
}

// Subscribe streams the messages of a room to the client.
func (s basicService) Subscribe(in *chatv1.SubscribeRequest, stream SubscribeStream) error {
	return ErrNotImplemented
}

// Upload streams messages from the client and answers once.
func (s basicService) Upload(stream UploadStream) error {
	return ErrNotImplemented
}

// Converse streams both ways.
func (s basicService) Converse(stream ConverseStream) error {
	return ErrNotImplemented
}
