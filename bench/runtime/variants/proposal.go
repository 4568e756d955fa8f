package variants

import (
	"net/http"

	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchendpoint"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchpb"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchserver"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchservice"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchtransport"
	"github.com/kitforge/kitforge/bench/runtime/proposal"
)

// Proposals are variants that are not in the default comparison: the
// generated service with the changes package proposal prototypes. Name them
// in cmd/load's -variants to measure them.
var Proposals = []Variant{
	{Name: "kitforge-proposed", Protocol: HTTP, Doc: "generated, default middleware, with package proposal's changes", Handler: KitforgeProposedHandler},
	{Name: "grpc-kitforge-proposed", Protocol: GRPC, Doc: "generated, default middleware, with package proposal's instrumenting", GRPC: KitforgeProposedGRPC},
}

// KitforgeProposedHandler is KitforgeHandler with package proposal's
// changes: instrumenting with resolved Prometheus children, one mux, and the
// body limit only on requests with a body.
func KitforgeProposedHandler() http.Handler {
	logger := Logger()
	reg, requests, latency := kitforgeMetrics()
	mux := proposal.Mux(benchtransport.NewHTTPHandler(proposedEndpoints(logger, requests, latency), logger), reg)
	return proposal.LimitBody(mux, benchserver.DefaultConfig().HTTPMaxBodyBytes)
}

// KitforgeProposedGRPC is KitforgeGRPC with package proposal's
// instrumenting middleware.
func KitforgeProposedGRPC() benchpb.BenchServer {
	logger := Logger()
	_, requests, latency := kitforgeMetrics()
	return benchtransport.NewGRPCServer(proposedEndpoints(logger, requests, latency), logger)
}

// proposedEndpoints is kitforgeEndpoints with package proposal's
// instrumenting middleware.
func proposedEndpoints(logger log.Logger, requests *prometheus.CounterVec, latency *prometheus.HistogramVec) benchendpoint.Set {
	svc := benchservice.New()
	svc = benchservice.LoggingMiddleware(logger)(svc)
	svc = proposal.InstrumentingMiddleware(requests, latency)(svc)
	return benchendpoint.New(svc, benchendpoint.RecoveringMiddleware(logger))
}
