package generator

import (
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/middleware"
)

// withMiddleware adds the files of the optional middlewares when any is
// enabled (kitforge.yaml middleware): the endpoint middlewares, the
// transport options they need, and the server's wiring of both.
func withMiddleware(l gokit.Layout, emitters []emitter) []emitter {
	if len(l.Middleware) == 0 {
		return emitters
	}
	emitters = append(emitters,
		emitter{l.Endpoint.Dir, "middleware_gen.go", middleware.EndpointMiddleware},
		emitter{l.Server.Dir, "middleware_gen.go", middleware.ServerMiddleware},
	)
	if middleware.NeedsTransportMiddleware(l) {
		emitters = append(emitters, emitter{l.Transport.Dir, "middleware_gen.go", middleware.TransportMiddleware})
	}
	return emitters
}
