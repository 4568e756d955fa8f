// Package endpoint emits <name>endpoint/endpoint_gen.go: the endpoint Set
// (also a typed client), a Go kit endpoint per unary method with its request
// and response, and the recovering endpoint middleware.
package endpoint
