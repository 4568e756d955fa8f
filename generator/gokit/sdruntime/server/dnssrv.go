package server

import "github.com/go-kit/log"

// dnsActor is the run.Group actor of DNS SRV discovery. There is nothing
// to register: the SRV records of the service are managed outside it (in
// the DNS zone, by Kubernetes for a headless Service, by Consul's DNS
// interface, ...). It logs the name clients look up and the record that
// should point at this instance, and waits.
func dnsActor(name string, reg registration, err error, logger log.Logger) (execute func() error, interrupt func(error)) {
	if err != nil {
		_ = logger.Log("msg", "SRV records are managed outside this service", "name", name, "err", err)
		return idleActor()
	}
	_ = logger.Log("msg", "SRV records are managed outside this service; clients look up name", "name", name,
		"target", reg.Host, "port", reg.Port, "weight", reg.Weight)
	return idleActor()
}
