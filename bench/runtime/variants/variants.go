// Package variants lists the servers the runtime benchmark compares, all
// answering the same three requests with the same bytes, and builds their
// handlers.
package variants

import (
	"fmt"
	"io"
	"net/http"

	"github.com/go-kit/log"

	"github.com/kitforge/kitforge/bench/runtime/floor"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchserver"
)

// Variant is one server of the comparison.
type Variant struct {
	// Name identifies the variant on the command line and in tables.
	Name string
	// Doc says in a few words what the variant is.
	Doc string
	// Handler builds the variant's HTTP handler.
	Handler func() http.Handler
	// Run, when set, serves the variant on addr until it fails, instead of
	// serving Handler with NewServer: the generated server's own wiring.
	Run func(addr string) error
}

// Floor is the name of the variant every other one is compared with.
const Floor = "floor"

// All are the variants in the order of the tables.
var All = []Variant{
	{Name: Floor, Doc: "net/http + encoding/json", Handler: floor.NewHandler},
	{Name: "handkit", Doc: "hand-written Go kit, logging + Prometheus + recovery", Handler: HandkitHandler},
	{Name: "handkit-bare", Doc: "hand-written Go kit, no middleware", Handler: HandkitBareHandler},
	{Name: "kitforge", Doc: "generated, default middleware (benchserver.Run)", Handler: KitforgeHandler, Run: KitforgeRun},
	{Name: "kitforge-bare", Doc: "generated packages, no middleware", Handler: KitforgeBareHandler},
}

// Find returns the variant called name, in All or Proposals.
func Find(name string) (Variant, error) {
	for _, v := range append(All[:len(All):len(All)], Proposals...) {
		if v.Name == name {
			return v, nil
		}
	}
	return Variant{}, fmt.Errorf("unknown variant %q", name)
}

// Logger is the logger of every variant that logs: the one the generated
// main.go builds, writing to io.Discard instead of stderr, so log lines are
// formatted (their cost counts) but not written.
func Logger() log.Logger {
	logger := log.NewLogfmtLogger(io.Discard)
	return log.With(logger, "ts", log.DefaultTimestampUTC, "service", "bench")
}

// NewServer returns the http.Server a variant's handler is served with: the
// timeouts of the generated server's defaults, so every variant pays the same
// per-connection deadlines.
func NewServer(h http.Handler) *http.Server {
	cfg := benchserver.DefaultConfig()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.HTTPReadHeaderTimeout,
		ReadTimeout:       cfg.HTTPReadTimeout,
		WriteTimeout:      cfg.HTTPWriteTimeout,
		IdleTimeout:       cfg.HTTPIdleTimeout,
	}
}
