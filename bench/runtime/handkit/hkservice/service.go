// Package hkservice is the service layer of the hand-written Go kit service.
package hkservice

import (
	"context"

	"github.com/go-kit/log"
)

// Service is the benchmarked service.
type Service interface {
	Sum(ctx context.Context, a, b int) (int, error)
	Concat(ctx context.Context, a, b string) (string, error)
	Greet(ctx context.Context, name string) (string, error)
}

// New returns a basic Service wrapped with the logging middleware.
func New(logger log.Logger) Service {
	var svc Service
	{
		svc = NewBasicService()
		svc = LoggingMiddleware(logger)(svc)
	}
	return svc
}

// NewBasicService returns a naïve, stateless implementation of Service.
func NewBasicService() Service {
	return basicService{}
}

type basicService struct{}

// Sum implements Service.
func (basicService) Sum(_ context.Context, a, b int) (int, error) {
	return a + b, nil
}

// Concat implements Service.
func (basicService) Concat(_ context.Context, a, b string) (string, error) {
	return a + b, nil
}

// Greet implements Service.
func (basicService) Greet(_ context.Context, name string) (string, error) {
	return "hello, " + name, nil
}
