package config

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kitforge/kitforge/generator/model"
)

// Middlewares are the optional endpoint middlewares kitforge can generate,
// in the order the server wraps them around each endpoint (outermost
// first, after tracing): see MiddlewareDoc.
var Middlewares = []string{"tracing", "ratelimit", "jwt", "basicauth", "validate", "circuitbreaker"}

// MiddlewareDoc says in one line what each middleware does; it documents
// the middleware key of kitforge.yaml.
const MiddlewareDoc = "endpoint middlewares: tracing (OpenTelemetry), ratelimit, jwt or basicauth, validate (Validate() error on parameters), circuitbreaker"

// parseMiddleware reads the middleware key: a list of known names.
func parseMiddleware(v *yaml.Node, pos func(*yaml.Node) model.Pos) ([]string, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, model.Errorf(pos(v), "write a list, e.g. middleware: [ratelimit, tracing]", "%s: middleware must be a list", FileName)
	}
	out := make([]string, 0, len(v.Content))
	for _, m := range v.Content {
		if m.Kind != yaml.ScalarNode {
			return nil, model.Errorf(pos(m), "write middleware names, e.g. middleware: [ratelimit]", "%s: middleware: each entry must be a name", FileName)
		}
		if !slices.Contains(Middlewares, m.Value) {
			return nil, model.Errorf(pos(m), "known middlewares: "+strings.Join(Middlewares, ", "), "%s: unknown middleware %q", FileName, m.Value)
		}
		out = append(out, m.Value)
	}
	return out, nil
}

// validateMiddleware checks the middleware list: each name known and listed
// once, and at most one of jwt and basicauth (both read the Authorization
// header, which carries one scheme).
func (o Options) validateMiddleware(at func(string) model.Pos) error {
	seen := map[string]bool{}
	for _, m := range o.Middleware {
		if !slices.Contains(Middlewares, m) {
			return model.Errorf(at("middleware"), "known middlewares: "+strings.Join(Middlewares, ", "), "unknown middleware %q", m)
		}
		if seen[m] {
			return model.Errorf(at("middleware"), "list each middleware once", "middleware %q listed twice", m)
		}
		seen[m] = true
	}
	if seen["jwt"] && seen["basicauth"] {
		return model.Errorf(at("middleware"), "choose one of jwt and basicauth",
			"middleware: jwt and basicauth both read the Authorization header, which carries one scheme")
	}
	if (seen["jwt"] || seen["basicauth"]) && slices.Contains(o.Transports, "nats") {
		return model.Errorf(at("middleware"), "serve authenticated methods over HTTP and gRPC, or leave jwt and basicauth out",
			"middleware: jwt and basicauth are not carried over NATS yet: every NATS call would be refused")
	}
	if (seen["jwt"] || seen["basicauth"]) && slices.Contains(o.Transports, "amqp") {
		return model.Errorf(at("middleware"), "serve authenticated methods over HTTP and gRPC, or leave jwt and basicauth out",
			"middleware: jwt and basicauth are not carried over AMQP yet: every AMQP call would be refused")
	}
	return nil
}

// HasMiddleware reports whether middleware m is enabled.
func (o Options) HasMiddleware(m string) bool { return slices.Contains(o.Middleware, m) }
