package client

import (
	"context"
	"strconv"
	"time"

	"github.com/go-kit/kit/sd"
	"github.com/go-kit/log"
	"github.com/hashicorp/consul/api"
)

// consulWait is how long one blocking query to Consul waits for a change.
const consulWait = 30 * time.Second

// consulInstancer reports the instances of a service that pass their
// health checks in Consul, from blocking queries on /v1/health/service. Go
// kit's sd/consul Instancer does the same but reports "host:port" only; this
// one keeps the weight (the service's Meta "weight", else its
// Weights.Passing) and the gRPC port (Meta "grpc_port").
type consulInstancer struct {
	instanceCache
	client  *api.Client
	service string
	logger  log.Logger
	refresh time.Duration
	cancel  context.CancelFunc
	done    chan struct{}
}

var _ sd.Instancer = (*consulInstancer)(nil)

// newConsulInstancer watches service in the Consul agent at addr (host:port
// or URL; "" means CONSUL_HTTP_ADDR, else 127.0.0.1:8500). consul/api's
// environment variables (CONSUL_HTTP_TOKEN, CONSUL_CACERT, ...) apply. The
// first query is made before it returns, so the instances are known at once
// when Consul answers; when it does not, the error is the first event and
// the query is retried in the background.
func newConsulInstancer(addr, service string, logger log.Logger, opts ...InstancerOption) (*consulInstancer, error) {
	cfg := api.DefaultConfig()
	if addr != "" {
		cfg.Address = addr
	}
	client, err := api.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &consulInstancer{
		client:  client,
		service: service,
		logger:  log.With(logger, "registry", "consul", "service", service),
		refresh: newInstancerOptions(opts).refresh,
		cancel:  cancel,
		done:    make(chan struct{}),
	}
	index := c.query(ctx, 0)
	go c.loop(ctx, index)
	return c, nil
}

// loop runs blocking queries until Stop.
func (c *consulInstancer) loop(ctx context.Context, index uint64) {
	defer close(c.done)
	var backoff time.Duration
	for ctx.Err() == nil {
		next := c.query(ctx, index)
		if next == 0 && ctx.Err() == nil { // failed: back off, then ask afresh
			backoff = nextBackoff(backoff, c.refresh)
			sleepCtx(ctx, backoff)
			index = 0
			continue
		}
		backoff = 0
		index = next
	}
}

// query runs one query that returns when the passing instances change
// after index (at once for index 0) and publishes the result. It returns
// the index to wait on next, or 0 after a failure.
func (c *consulInstancer) query(ctx context.Context, index uint64) uint64 {
	q := (&api.QueryOptions{WaitIndex: index, WaitTime: consulWait}).WithContext(ctx)
	entries, meta, err := c.client.Health().Service(c.service, "", true, q)
	if err != nil {
		if ctx.Err() == nil {
			_ = c.logger.Log("msg", "query failed", "err", err)
			c.update(sd.Event{Err: err})
		}
		return 0
	}
	instances := make([]string, 0, len(entries))
	for _, e := range entries {
		host := e.Service.Address
		if host == "" {
			host = e.Node.Address
		}
		weight := e.Service.Weights.Passing
		if w, err := strconv.Atoi(e.Service.Meta["weight"]); err == nil {
			weight = w
		}
		grpcPort, _ := strconv.Atoi(e.Service.Meta["grpc_port"])
		instances = append(instances, formatInstance(host, e.Service.Port, grpcPort, weight))
	}
	c.update(sd.Event{Instances: instances})
	if meta.LastIndex < index || meta.LastIndex == 0 {
		return 1 // the index went backwards (a restarted agent): start over
	}
	return meta.LastIndex
}

// Stop stops watching; it implements sd.Instancer.
func (c *consulInstancer) Stop() {
	c.cancel()
	<-c.done
}
