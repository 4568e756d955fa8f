package generator

import "github.com/kitforge/kitforge/generator/gokit"

// withMiddleware adds the files of the optional middlewares when any is
// enabled (kitforge.yaml middleware): the endpoint middlewares, the
// transport options they need, and the server's wiring of both.
func withMiddleware(l gokit.Layout, emitters []emitter) []emitter {
	if len(l.Middleware) == 0 {
		return emitters
	}
	emitters = append(emitters,
		emitter{l.Endpoint.Dir, "middleware_gen.go", gokit.EndpointMiddleware},
		emitter{l.Server.Dir, "middleware_gen.go", gokit.ServerMiddleware},
	)
	if gokit.NeedsTransportMiddleware(l) {
		emitters = append(emitters, emitter{l.Transport.Dir, "middleware_gen.go", gokit.TransportMiddleware})
	}
	return emitters
}
