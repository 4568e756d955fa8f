package server

import "context"

// dnsRegistry stands for DNS SRV discovery, where there is nothing to
// register: the SRV records of the service are managed outside it (in the
// DNS zone, by Kubernetes, by Consul's DNS interface, ...). It logs the
// name clients look up and does nothing else.
type dnsRegistry struct {
	name string
}

// register does nothing: the records are managed outside the service.
func (d *dnsRegistry) register(context.Context) error { return nil }

// maintain waits for ctx: there is nothing to keep alive.
func (d *dnsRegistry) maintain(ctx context.Context) error {
	<-ctx.Done()
	return nil
}

// deregister does nothing: the records are managed outside the service.
func (d *dnsRegistry) deregister(context.Context) error { return nil }

// close does nothing.
func (d *dnsRegistry) close() {}
