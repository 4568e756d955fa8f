package hkendpoint

import (
	"context"
	"fmt"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/go-kit/kit/endpoint"
	"github.com/go-kit/kit/metrics"
	"github.com/go-kit/log"
)

// InstrumentingMiddleware returns an endpoint middleware that counts the
// requests and records the duration of each invocation to the passed
// histogram, both labeled by success.
func InstrumentingMiddleware(requests metrics.Counter, duration metrics.Histogram) endpoint.Middleware {
	return func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, request any) (response any, err error) {
			defer func(begin time.Time) {
				success := err == nil
				if f, ok := response.(endpoint.Failer); ok && f.Failed() != nil {
					success = false
				}
				label := strconv.FormatBool(success)
				requests.With("success", label).Add(1)
				duration.With("success", label).Observe(time.Since(begin).Seconds())
			}(time.Now())
			return next(ctx, request)
		}
	}
}

// RecoveringMiddleware returns an endpoint middleware that turns a panic
// into an error, logged with its stack.
func RecoveringMiddleware(logger log.Logger) endpoint.Middleware {
	return func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, request any) (response any, err error) {
			defer func() {
				if p := recover(); p != nil {
					logger.Log("panic", p, "stack", string(debug.Stack()))
					response, err = nil, fmt.Errorf("internal error: %v", p)
				}
			}()
			return next(ctx, request)
		}
	}
}
