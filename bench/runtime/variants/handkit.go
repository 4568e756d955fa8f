package variants

import (
	"net/http"

	kitprometheus "github.com/go-kit/kit/metrics/prometheus"
	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchpb"
	"github.com/kitforge/kitforge/bench/runtime/handkit/hkendpoint"
	"github.com/kitforge/kitforge/bench/runtime/handkit/hkservice"
	"github.com/kitforge/kitforge/bench/runtime/handkit/hktransport"
)

// handkitEndpoints is the hand-written Go kit service wired as addsvc's main
// wires it: service logging, endpoint instrumentation (a Prometheus counter
// and histogram on a registry of its own) and recovery.
func handkitEndpoints(logger log.Logger) hkendpoint.Set {
	reg := prometheus.NewRegistry()
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "handkit", Name: "requests_total", Help: "Requests by method and success.",
	}, []string{"method", "success"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "handkit", Name: "request_duration_seconds", Help: "Request duration in seconds.",
		Buckets: prometheus.DefBuckets,
	}, []string{"method", "success"})
	reg.MustRegister(requests, duration)

	svc := hkservice.New(logger)
	return hkendpoint.New(svc, logger, kitprometheus.NewCounter(requests), kitprometheus.NewHistogram(duration))
}

// HandkitHandler is the hand-written Go kit service with its middleware,
// over HTTP.
func HandkitHandler() http.Handler {
	logger := GoKitLogger()
	return hktransport.NewHTTPHandler(handkitEndpoints(logger), logger)
}

// HandkitBareHandler is the hand-written Go kit service without any
// middleware, over HTTP: the basic service, bare endpoints, the transport.
func HandkitBareHandler() http.Handler {
	return hktransport.NewHTTPHandler(hkendpoint.NewBare(hkservice.NewBasicService()), log.NewNopLogger())
}

// HandkitGRPC is the hand-written Go kit service with its middleware, over
// gRPC.
func HandkitGRPC() benchpb.BenchServer {
	logger := GoKitLogger()
	return hktransport.NewGRPCServer(handkitEndpoints(logger), logger)
}

// HandkitBareGRPC is the hand-written Go kit service without any middleware,
// over gRPC.
func HandkitBareGRPC() benchpb.BenchServer {
	return hktransport.NewGRPCServer(hkendpoint.NewBare(hkservice.NewBasicService()), log.NewNopLogger())
}
