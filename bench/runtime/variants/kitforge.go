package variants

import (
	"context"
	"io"
	"net/http"

	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchendpoint"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchpb"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchserver"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchservice"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchtransport"
)

// KitforgeRun serves the generated service exactly as its generated main.go
// does, with benchserver.Run and the default configuration, on the given
// addresses and with the Logger of the benchmark.
func KitforgeRun(httpAddr, grpcAddr string) error {
	cfg := benchserver.DefaultConfig()
	cfg.HTTPAddr, cfg.GRPCAddr = httpAddr, grpcAddr
	return benchserver.Run(context.Background(), cfg, benchservice.New(), Logger())
}

// KitforgeHandler is the handler benchserver.Run serves, rebuilt from the
// generated packages for in-process benchmarks (Run does not return it): the
// onion of Run — logging and instrumenting service middlewares, endpoints
// with recovery, the HTTP transport under the body limit — and Run's mux.
// Keep it in step with the generated server_gen.go.
func KitforgeHandler() http.Handler {
	logger := Logger()
	reg, requests, latency := kitforgeMetrics()
	return kitforgeMux(kitforgeEndpoints(logger, requests, latency), logger, reg)
}

// KitforgeGRPC is the gRPC service benchserver.Run serves, rebuilt from the
// generated packages for in-process benchmarks: the onion of Run and the
// generated gRPC transport.
func KitforgeGRPC() benchpb.BenchServer {
	logger := Logger()
	_, requests, latency := kitforgeMetrics()
	return benchtransport.NewGRPCServer(kitforgeEndpoints(logger, requests, latency), logger)
}

// KitforgeBareGRPC is the generated gRPC service without its middlewares.
func KitforgeBareGRPC() benchpb.BenchServer {
	return benchtransport.NewGRPCServer(benchendpoint.New(benchservice.New()), log.NewNopLogger())
}

// kitforgeMetrics are the registry and metrics of benchserver.Run.
func kitforgeMetrics() (*prometheus.Registry, *prometheus.CounterVec, *prometheus.HistogramVec) {
	reg := prometheus.NewRegistry()
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "bench", Name: "requests_total", Help: "Calls of bench methods, by method and outcome."}, []string{"method", "outcome"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "bench", Name: "request_duration_seconds", Help: "Latency of bench methods, by method and outcome.", Buckets: prometheus.DefBuckets}, []string{"method", "outcome"})
	reg.MustRegister(requests, latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg, requests, latency
}

// kitforgeEndpoints is the onion of benchserver.Run, innermost first: the
// service, its logging and instrumenting middlewares, the endpoints with
// panic recovery.
func kitforgeEndpoints(logger log.Logger, requests *prometheus.CounterVec, latency *prometheus.HistogramVec) benchendpoint.Set {
	svc := benchservice.New()
	svc = benchservice.LoggingMiddleware(logger)(svc)
	svc = benchservice.InstrumentingMiddleware(requests, latency)(svc)
	return benchendpoint.New(svc, benchendpoint.RecoveringMiddleware(logger))
}

// KitforgeBareHandler is the generated service without its middlewares: the
// implementation, endpoints with no middleware and the HTTP transport, under
// Run's mux and body limit, so that it differs from the kitforge variant only
// by the middlewares.
func KitforgeBareHandler() http.Handler {
	endpoints := benchendpoint.New(benchservice.New())
	return kitforgeMux(endpoints, log.NewNopLogger(), prometheus.NewRegistry())
}

// kitforgeMux is the mux of benchserver.Run: the transport's routes
// registered on it beside Run's own, under Run's body limit.
func kitforgeMux(endpoints benchendpoint.Set, logger log.Logger, reg *prometheus.Registry) http.Handler {
	cfg := benchserver.DefaultConfig()
	mux := http.NewServeMux()
	benchtransport.RegisterHTTPRoutes(mux, endpoints, logger)
	status := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			_, _ = io.WriteString(w, body)
		}
	}
	mux.HandleFunc("GET /healthz", status("{\"status\":\"ok\"}\n"))
	mux.HandleFunc("GET /readyz", status("{\"status\":\"ready\"}\n"))
	mux.Handle("GET /openapi.json", benchtransport.OpenAPIHandler())
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return limitBody(mux, cfg.HTTPMaxBodyBytes)
}

// limitBody is benchserver's (unexported there): it caps request bodies,
// and lets requests without one through untouched.
func limitBody(h http.Handler, n int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength != 0 {
			r.Body = http.MaxBytesReader(w, r.Body, n)
		}
		h.ServeHTTP(w, r)
	})
}
