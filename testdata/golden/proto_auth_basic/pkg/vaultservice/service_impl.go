// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package vaultservice

import (
	"context"

	vaultv1 "kitforge.test/golden/proto_auth_basic/pkg/pb/vault/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Vault implementation.
func New() Service {
	return basicService{}
}

// GetSecret returns a secret by name.
func (s basicService) GetSecret(ctx context.Context, in *vaultv1.GetSecretRequest) (*vaultv1.Secret, error) {
	return nil, ErrNotImplemented
}
