package variants

import (
	"net/http"

	kitprometheus "github.com/go-kit/kit/metrics/prometheus"
	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kitforge/kitforge/bench/runtime/handkit/hkendpoint"
	"github.com/kitforge/kitforge/bench/runtime/handkit/hkservice"
	"github.com/kitforge/kitforge/bench/runtime/handkit/hktransport"
)

// HandkitHandler is the hand-written Go kit service wired as addsvc's main
// wires it: service logging, endpoint instrumentation (a Prometheus counter
// and histogram on a registry of its own) and recovery, then the transport.
func HandkitHandler() http.Handler {
	logger := Logger()
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
	endpoints := hkendpoint.New(svc, logger, kitprometheus.NewCounter(requests), kitprometheus.NewHistogram(duration))
	return hktransport.NewHTTPHandler(endpoints, logger)
}

// HandkitBareHandler is the hand-written Go kit service without any
// middleware: the basic service, bare endpoints, the transport.
func HandkitBareHandler() http.Handler {
	return hktransport.NewHTTPHandler(hkendpoint.NewBare(hkservice.NewBasicService()), log.NewNopLogger())
}
