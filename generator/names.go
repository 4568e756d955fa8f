package generator

import "github.com/kitforge/kitforge/generator/gokit"

// serviceNames are the package-level names that kitforge's generated and
// scaffolded files declare in the service's own package. The user's code may
// use them before the files exist (a first run), so the loader does not
// report them as undefined. TestServiceNames keeps the list in step with
// the files.
func serviceNames() []string {
	return []string{
		"ErrNotImplemented", "StatusError", "Errorf", // errors_gen.go
		"Middleware", "LoggingMiddleware", "InstrumentingMiddleware", // middleware_gen.go
		"loggingMiddleware", "instrumentingMiddleware", "methodMetrics", "newMethodMetrics", "jsonLogValue",
		"stringLogValue", "logValueLimit", "capLog", "capLogBytes", "requestIDKey", "ContextWithRequestID", "RequestIDFromContext",
		"requestIDPrefix", "requestIDCount", "newRequestIDPrefix", "RequestIDOrNew",
		gokit.ImplType, "New", // service_impl.go, scaffolded
	}
}
