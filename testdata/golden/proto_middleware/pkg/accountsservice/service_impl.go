// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package accountsservice

import (
	"context"

	bankv1 "kitforge.test/golden/proto_middleware/pkg/pb/bank/v1"
)

// basicService implements Service. Replace each stub's body with your logic; after
// you change the .proto, `kitforge generate` adds stubs for new rpcs here.
type basicService struct{}

// New returns the Accounts implementation.
func New() Service {
	return basicService{}
}

// GetBalance returns the balance of an account.
func (s basicService) GetBalance(ctx context.Context, in *bankv1.GetBalanceRequest) (*bankv1.Balance, error) {
	return nil, ErrNotImplemented
}

// Transfer moves an amount between two accounts.
func (s basicService) Transfer(ctx context.Context, in *bankv1.TransferRequest) (*bankv1.Balance, error) {
	return nil, ErrNotImplemented
}
