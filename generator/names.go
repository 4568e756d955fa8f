package generator

// serviceNames are the package-level names that kitforge's generated files
// declare in the service's own package. The user's code may use them before
// the files exist, so the loader does not report them as undefined.
// TestServiceNames keeps the list in step with the generated files.
func serviceNames() []string {
	return []string{
		"ErrNotImplemented", "StatusError", "Errorf", // errors_gen.go
		"Middleware", "LoggingMiddleware", "InstrumentingMiddleware", // middleware_gen.go
		"loggingMiddleware", "instrumentingMiddleware",
	}
}
