package variants

import (
	"net/http"
	"testing"

	"github.com/go-kit/kit/endpoint"
	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchendpoint"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchservice"
	"github.com/kitforge/kitforge/bench/runtime/proposal"
)

// BenchmarkMiddleware attributes the cost of the generated default
// middleware: the generated handler (under Run's mux) with each middleware
// alone, as BenchmarkHandler measures it; logging-gokit is the logging
// middleware over go-kit's logfmt logger instead of the generated NewLogger.
//
//	go test ./variants -run '^$' -bench Middleware -benchmem -count 5
func BenchmarkMiddleware(b *testing.B) {
	logger := Logger()
	newMetrics := func() (*prometheus.CounterVec, *prometheus.HistogramVec) {
		requests := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "requests_total", Help: "h"}, []string{"method", "outcome"})
		latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "latency", Help: "h", Buckets: prometheus.DefBuckets}, []string{"method", "outcome"})
		return requests, latency
	}
	build := func(svcMW []benchservice.Middleware, epMW ...endpoint.Middleware) func() http.Handler {
		return func() http.Handler {
			svc := benchservice.New()
			for _, mw := range svcMW {
				svc = mw(svc)
			}
			return kitforgeMux(benchendpoint.New(svc, epMW...), log.NewNopLogger(), prometheus.NewRegistry())
		}
	}
	requests, latency := newMetrics()
	instrumenting := benchservice.InstrumentingMiddleware(requests, latency)
	requests2, latency2 := newMetrics()
	proposed := proposal.InstrumentingMiddleware(requests2, latency2)
	cases := []struct {
		name    string
		handler func() http.Handler
	}{
		{"none", build(nil)},
		{"logging", build([]benchservice.Middleware{benchservice.LoggingMiddleware(logger)})},
		{"logging-gokit", build([]benchservice.Middleware{benchservice.LoggingMiddleware(GoKitLogger())})},
		{"instrumenting", build([]benchservice.Middleware{instrumenting})},
		{"instrumenting-proposed", build([]benchservice.Middleware{proposed})},
		{"recovering", build(nil, benchendpoint.RecoveringMiddleware(logger))},
		{"all", build([]benchservice.Middleware{benchservice.LoggingMiddleware(logger), instrumenting}, benchendpoint.RecoveringMiddleware(logger))},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) { benchHandler(b, c.handler()) })
	}
}
