package gokit

// Callee is a service of the module that another service calls through
// its generated client (kitforge.yaml calls:).
type Callee struct {
	// Name is the callee's name in kitforge.yaml ("users").
	Name string
	// Discovery is the callee's registry (kitforge.yaml discovery), "" for
	// none: its instances are then listed statically.
	Discovery string
	// Clients are the callee's client packages: one for a Go-interface
	// service, one per service of a .proto entry.
	Clients []CalleeClient
}

// CalleeClient is one client package of a callee.
type CalleeClient struct {
	// Field names the client in Calls and the parameter of the caller's New
	// ("Users" and "users").
	Field, Param string
	// Client is the <name>client package; Service the package of the
	// interface the client implements, named Iface.
	Client, Service Pkg
	Iface           string
	// Constructor is the callee's constructor in Service ("New"), and
	// ConstructorArgs the number of clients it takes itself: the generated
	// tests of a caller serve it with the callee's implementation in-process
	// (its own callees nil).
	Constructor     string
	ConstructorArgs int
}
