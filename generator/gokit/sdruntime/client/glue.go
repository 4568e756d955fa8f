package client

import httptransport "github.com/go-kit/kit/transport/http"

// This file stands in for what kitforge generates around the copied
// runtime (client_gen.go); it is never copied.

// transportOptions are the transport settings of a client; the generated
// client_gen.go declares the real ones (HTTP options, gRPC).
type transportOptions struct {
	http []httptransport.ClientOption
}
