package hkservice

import (
	"context"
	"time"

	"github.com/go-kit/log"
)

// Middleware describes a service (as opposed to endpoint) middleware.
type Middleware func(Service) Service

// LoggingMiddleware takes a logger as a dependency and returns a service
// Middleware that logs every call with its parameters, duration and error.
func LoggingMiddleware(logger log.Logger) Middleware {
	return func(next Service) Service {
		return loggingMiddleware{logger, next}
	}
}

type loggingMiddleware struct {
	logger log.Logger
	next   Service
}

// Sum logs the call.
func (mw loggingMiddleware) Sum(ctx context.Context, a, b int) (v int, err error) {
	defer func(begin time.Time) {
		mw.logger.Log("method", "Sum", "a", a, "b", b, "took", time.Since(begin), "err", err)
	}(time.Now())
	return mw.next.Sum(ctx, a, b)
}

// Concat logs the call.
func (mw loggingMiddleware) Concat(ctx context.Context, a, b string) (v string, err error) {
	defer func(begin time.Time) {
		mw.logger.Log("method", "Concat", "a", a, "b", b, "took", time.Since(begin), "err", err)
	}(time.Now())
	return mw.next.Concat(ctx, a, b)
}

// Greet logs the call.
func (mw loggingMiddleware) Greet(ctx context.Context, name string) (v string, err error) {
	defer func(begin time.Time) {
		mw.logger.Log("method", "Greet", "name", name, "took", time.Since(begin), "err", err)
	}(time.Now())
	return mw.next.Greet(ctx, name)
}
