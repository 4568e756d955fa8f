// Package sdruntime holds, as real Go packages that kitforge compiles and
// tests, the service discovery code that kitforge copies into generated
// services: client (the load-balancing client's instancers, balancers,
// retry and circuit breaking, copied into <name>client/sd_gen.go) and server
// (registration with a registry, copied into <name>server/registry_gen.go).
//
// Generated code must not import kitforge, which is a tool, not a library,
// so the sources are embedded (see Files) and copied with their package
// clause rewritten, like generator/transcode. Each file holds one registry
// or one concern, so that a service gets the common files plus those of the
// registry it was generated for. A name the generated glue defines is
// declared in a glue.go here for the compiler; glue.go is never copied.
package sdruntime

import "embed"

// Files are the sources of both packages; sdruntime/client/consul.go is
// "client/consul.go". Test files are embedded too and never copied.
//
//go:embed client/*.go server/*.go
var Files embed.FS
