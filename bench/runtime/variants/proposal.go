package variants

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchendpoint"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchserver"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchservice"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchtransport"
	"github.com/kitforge/kitforge/bench/runtime/proposal"
)

// Proposals are variants that are not in the default comparison: the
// generated service with the changes package proposal prototypes. Name them
// in cmd/load's -variants to measure them.
var Proposals = []Variant{
	{Name: "kitforge-proposed", Doc: "generated, default middleware, with package proposal's changes", Handler: KitforgeProposedHandler},
}

// KitforgeProposedHandler is KitforgeHandler with package proposal's
// changes: instrumenting with resolved Prometheus children, one mux, and the
// body limit only on requests with a body.
func KitforgeProposedHandler() http.Handler {
	logger := Logger()
	reg := prometheus.NewRegistry()
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "bench", Name: "requests_total", Help: "Calls of bench methods, by method and outcome."}, []string{"method", "outcome"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "bench", Name: "request_duration_seconds", Help: "Latency of bench methods, by method and outcome.", Buckets: prometheus.DefBuckets}, []string{"method", "outcome"})
	reg.MustRegister(requests, latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	svc := benchservice.New()
	svc = benchservice.LoggingMiddleware(logger)(svc)
	svc = proposal.InstrumentingMiddleware(requests, latency)(svc)
	endpoints := benchendpoint.New(svc, benchendpoint.RecoveringMiddleware(logger))
	mux := proposal.Mux(benchtransport.NewHTTPHandler(endpoints, logger), reg)
	return proposal.LimitBody(mux, benchserver.DefaultConfig().HTTPMaxBodyBytes)
}
