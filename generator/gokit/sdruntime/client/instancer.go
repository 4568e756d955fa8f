package client

import (
	"context"
	"net"
	"strings"
	"time"
)

// defaultRefresh is how often a polled registry (Eureka, DNS SRV) is asked
// for the instances, and how long a failed registry query waits at most
// before it is retried.
const defaultRefresh = 5 * time.Second

// InstancerOption configures NewInstancer.
type InstancerOption func(*instancerOptions)

// instancerOptions are the settings of an instancer.
type instancerOptions struct {
	refresh  time.Duration
	resolver *net.Resolver
}

// newInstancerOptions applies opts to the defaults.
func newInstancerOptions(opts []InstancerOption) instancerOptions {
	o := instancerOptions{refresh: defaultRefresh, resolver: net.DefaultResolver}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithRefresh sets how often a registry that is polled (Eureka, DNS SRV) is
// asked for the instances (default 5 s); registries that push changes
// (Consul, etcd, ZooKeeper) use it only as the longest wait before retrying
// a failed query.
func WithRefresh(d time.Duration) InstancerOption {
	return func(o *instancerOptions) {
		if d > 0 {
			o.refresh = d
		}
	}
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// sleepCtx waits for d or until ctx is done; it reports whether d passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// nextBackoff doubles d, from 100 ms up to limit.
func nextBackoff(d, limit time.Duration) time.Duration {
	if d <= 0 {
		return 100 * time.Millisecond
	}
	return min(2*d, limit)
}
