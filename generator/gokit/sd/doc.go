// Package sd (Go kit's name for service discovery) emits <name>client
// (client_gen.go, and sd_gen.go copied from sdruntime/client), the server's
// registry_gen.go (copied from sdruntime/server) and calls_gen.go, the
// clients of the services a service calls.
package sd
