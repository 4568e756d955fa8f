package client

import (
	"context"
	"net"
	"strings"
	"time"

	"github.com/go-kit/kit/sd"
	"github.com/go-kit/log"
)

// dnsTimeout bounds one SRV lookup.
const dnsTimeout = 5 * time.Second

// dnsInstancer reports the targets of a DNS SRV name, looked up every
// refresh interval. Go kit's sd/dnssrv Instancer does the same but reports
// "host:port" only; this one keeps each record's weight. Only the records
// of the lowest priority are used (RFC 2782: higher priorities are
// fallbacks); a record of weight 0 counts as weight 1. The records are
// managed outside the service (kitforge-generated servers do not register
// with DNS).
type dnsInstancer struct {
	instanceCache
	name     string
	resolver *net.Resolver
	refresh  time.Duration
	logger   log.Logger
	cancel   context.CancelFunc
	done     chan struct{}
}

var _ sd.Instancer = (*dnsInstancer)(nil)

// newDNSInstancer looks up the SRV records of name ("_calc._tcp.example.com")
// through the resolver of the options (net.DefaultResolver unless
// WithResolver). The first lookup is made before it returns.
func newDNSInstancer(name string, logger log.Logger, opts ...InstancerOption) (*dnsInstancer, error) {
	o := newInstancerOptions(opts)
	ctx, cancel := context.WithCancel(context.Background())
	d := &dnsInstancer{
		name:     name,
		resolver: o.resolver,
		refresh:  o.refresh,
		logger:   log.With(logger, "registry", "dnssrv", "name", name),
		cancel:   cancel,
		done:     make(chan struct{}),
	}
	d.lookup(ctx)
	go d.loop(ctx)
	return d, nil
}

// WithResolver sets the resolver SRV names are looked up with (default
// net.DefaultResolver, which reads /etc/resolv.conf).
func WithResolver(r *net.Resolver) InstancerOption {
	return func(o *instancerOptions) {
		if r != nil {
			o.resolver = r
		}
	}
}

// loop looks the name up every refresh interval until Stop.
func (d *dnsInstancer) loop(ctx context.Context) {
	defer close(d.done)
	for sleepCtx(ctx, d.refresh) {
		d.lookup(ctx)
	}
}

// lookup resolves the name once and publishes the result.
func (d *dnsInstancer) lookup(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, dnsTimeout)
	defer cancel()
	_, records, err := d.resolver.LookupSRV(ctx, "", "", d.name)
	if err != nil {
		if ctx.Err() == nil || errorsIsTimeout(err) {
			_ = d.logger.Log("msg", "lookup failed", "err", err)
			d.update(sd.Event{Err: err})
		}
		return
	}
	lowest := -1
	for _, r := range records {
		if lowest < 0 || int(r.Priority) < lowest {
			lowest = int(r.Priority)
		}
	}
	instances := make([]string, 0, len(records))
	for _, r := range records {
		if int(r.Priority) != lowest {
			continue
		}
		instances = append(instances, formatInstance(strings.TrimSuffix(r.Target, "."), int(r.Port), 0, int(r.Weight)))
	}
	d.update(sd.Event{Instances: instances})
}

// errorsIsTimeout reports whether err is a DNS time-out.
func errorsIsTimeout(err error) bool {
	de, ok := err.(*net.DNSError)
	return ok && de.IsTimeout
}

// Stop stops looking up; it implements sd.Instancer.
func (d *dnsInstancer) Stop() {
	d.cancel()
	<-d.done
}
