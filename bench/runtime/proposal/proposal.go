// Package proposal prototypes changes to kitforge's generated code that the
// runtime benchmark found worth making, applied by hand to the generated
// bench service so that their effect can be measured before the generator
// (generator/gokit) is changed:
//
//   - InstrumentingMiddleware resolves its Prometheus children once per
//     method and outcome, instead of calling go-kit's With on every call
//     (which builds two label maps and looks the children up by hashing them);
//   - Mux serves the transport's routes and the server's own routes from one
//     ServeMux, instead of nesting the transport's mux under "/";
//   - LimitBody applies the request body limit only to requests that have a
//     body, instead of http.MaxBytesHandler's copy of every request.
package proposal

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchservice"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchtransport"
)

// outcomes are one method's request counters and latency observers, by
// outcome, resolved once.
type outcomes struct {
	ok, failed           prometheus.Counter
	okLatency, failedLat prometheus.Observer
}

func newOutcomes(requests *prometheus.CounterVec, latency *prometheus.HistogramVec, method string) outcomes {
	return outcomes{
		ok:        requests.WithLabelValues(method, "success"),
		failed:    requests.WithLabelValues(method, "error"),
		okLatency: latency.WithLabelValues(method, "success"),
		failedLat: latency.WithLabelValues(method, "error"),
	}
}

// observe records one call that started at begin.
func (o outcomes) observe(begin time.Time, err error) {
	if err != nil {
		o.failed.Inc()
		o.failedLat.Observe(time.Since(begin).Seconds())
		return
	}
	o.ok.Inc()
	o.okLatency.Observe(time.Since(begin).Seconds())
}

// InstrumentingMiddleware counts calls by method and outcome and records
// their latency, like the generated one, with the children of the vectors
// resolved when the middleware is built.
func InstrumentingMiddleware(requests *prometheus.CounterVec, latency *prometheus.HistogramVec) benchservice.Middleware {
	return func(next benchservice.Service) benchservice.Service {
		return instrumentingMiddleware{
			sum:    newOutcomes(requests, latency, "Sum"),
			concat: newOutcomes(requests, latency, "Concat"),
			greet:  newOutcomes(requests, latency, "Greet"),
			next:   next,
		}
	}
}

type instrumentingMiddleware struct {
	sum, concat, greet outcomes
	next               benchservice.Service
}

// Sum records the call's outcome and latency.
func (mw instrumentingMiddleware) Sum(ctx context.Context, a, b int) (v int, err error) {
	defer func(begin time.Time) { mw.sum.observe(begin, err) }(time.Now())
	return mw.next.Sum(ctx, a, b)
}

// Concat records the call's outcome and latency.
func (mw instrumentingMiddleware) Concat(ctx context.Context, a, b string) (v string, err error) {
	defer func(begin time.Time) { mw.concat.observe(begin, err) }(time.Now())
	return mw.next.Concat(ctx, a, b)
}

// Greet records the call's outcome and latency.
func (mw instrumentingMiddleware) Greet(ctx context.Context, name string) (v string, err error) {
	defer func(begin time.Time) { mw.greet.observe(begin, err) }(time.Now())
	return mw.next.Greet(ctx, name)
}

// Mux adds the server's own routes (those of benchserver.Run) to the mux
// that benchtransport.NewHTTPHandler returns, so a request is routed once.
// The generated code would do it with a function that registers the
// transport's routes on a given mux.
func Mux(service http.Handler, reg *prometheus.Registry) http.Handler {
	mux := service.(*http.ServeMux)
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
	return mux
}

// LimitBody is http.MaxBytesHandler for requests that have a body: one
// without (Content-Length 0, as every GET the benchmark sends) is served as
// is, without the copy of the request MaxBytesHandler makes.
func LimitBody(h http.Handler, n int64) http.Handler {
	limited := http.MaxBytesHandler(h, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength == 0 {
			h.ServeHTTP(w, r)
			return
		}
		limited.ServeHTTP(w, r)
	})
}
