package client

import (
	"context"
	"errors"
	"time"

	"github.com/go-kit/kit/endpoint"
	"github.com/go-kit/kit/sd/lb"
	"github.com/sony/gobreaker"
)

// noEndpointsWait is how long a call waits before its next attempt when no
// instance is known yet (the instancer's first answer may be on its way).
const noEndpointsWait = 100 * time.Millisecond

// unavailable reports whether err says that the instance could not serve
// the call, so another instance may: a transport error (refused, reset,
// timed out), an open circuit breaker, no instance at all, or a 502, 503 or
// 504 answer. Business errors, which carry any other status, and a caller
// that gave up are not.
func unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var status interface{ StatusCode() int }
	if errors.As(err, &status) {
		switch status.StatusCode() {
		case 502, 503, 504:
			return true
		}
		return false
	}
	return true
}

// retrying is Go kit's lb.RetryWithCallback over b: up to attempts tries
// within timeout, retrying only the failures that say an instance is
// unavailable. A cancellation the caller did not ask for (its context is
// still live) is one too: gRPC cancels the calls on a connection it closes,
// as happens when an instance leaves the registry mid-call. A business error
// comes back as the error the instance answered with, so errors.Is and
// errors.As work as with a direct client; when every attempt failed, the
// error names them all and unwraps to the last.
func retrying(b lb.Balancer, attempts int, timeout time.Duration) endpoint.Endpoint {
	return func(ctx context.Context, request any) (any, error) {
		// An instance whose breaker is open refuses at once, without a
		// call: that costs no attempt (a balancer may pick it again and
		// again), within a bound of open-breaker refusals per call.
		refused := 0
		retry := lb.RetryWithCallback(timeout, b, func(n int, err error) (bool, error) {
			if isOpen(err) && refused < maxRefusals*attempts {
				refused++
				return true, nil
			}
			if !(unavailable(err) || ctx.Err() == nil && canceled(err)) || n-refused >= attempts {
				return false, nil
			}
			if errors.Is(err, lb.ErrNoEndpoints) {
				time.Sleep(noEndpointsWait)
			}
			return true, nil
		})
		response, err := retry(ctx, request)
		var re lb.RetryError
		if errors.As(err, &re) {
			if len(re.RawErrors) == 1 || !unavailable(re.Final) {
				return nil, re.Final
			}
			return nil, retryError{re}
		}
		return response, err
	}
}

// maxRefusals bounds the open-breaker refusals a call skips, per attempt.
const maxRefusals = 4

// isOpen reports whether err is a circuit breaker refusing a call.
func isOpen(err error) bool {
	return errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests)
}

// canceled reports whether err is a cancellation: context.Canceled, or an
// answer with status 499 (what the generated clients make of gRPC's
// Canceled).
func canceled(err error) bool {
	var status interface{ StatusCode() int }
	return errors.Is(err, context.Canceled) || errors.As(err, &status) && status.StatusCode() == 499
}

// retryError is an lb.RetryError that unwraps to its final error.
type retryError struct{ lb.RetryError }

// Unwrap returns the error of the last attempt.
func (e retryError) Unwrap() error { return e.Final }
