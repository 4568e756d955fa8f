package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/consul/api"
)

// consulDeregisterAfter is how long an instance may fail its health check
// before the Consul agent removes it (Consul's minimum is one minute); until
// then it is only left out of the passing instances that clients see.
const consulDeregisterAfter = time.Minute

// consulRegistry registers the instance as an agent service with an HTTP
// health check of GET /healthz every interval, its weight in Meta
// ("weight") and Weights.Passing (which Consul's DNS interface serves as the
// SRV weight), its gRPC port in Meta ("grpc_port") and its transports as
// tags. A killed instance fails its check and drops out of the passing
// instances within an interval.
type consulRegistry struct {
	client   *api.Client
	reg      registration
	interval time.Duration
}

// newConsulRegistry returns the registry of the Consul agent at addr
// (host:port or URL; "" means 127.0.0.1:8500). consul/api's environment
// variables (CONSUL_HTTP_TOKEN, CONSUL_CACERT, ...) apply.
func newConsulRegistry(addr string, reg registration, interval time.Duration) (*consulRegistry, error) {
	cfg := api.DefaultConfig()
	if addr != "" {
		cfg.Address = addr
	}
	client, err := api.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	if interval <= 0 {
		interval = 10 * time.Second
	}
	return &consulRegistry{client: client, reg: reg, interval: interval}, nil
}

// register registers the service with its check.
func (c *consulRegistry) register(ctx context.Context) error {
	r := c.reg
	meta := map[string]string{"weight": strconv.Itoa(r.Weight)}
	if r.GRPCPort > 0 {
		meta["grpc_port"] = strconv.Itoa(r.GRPCPort)
	}
	svc := &api.AgentServiceRegistration{
		ID:      r.ID,
		Name:    r.Service,
		Tags:    r.Tags,
		Address: r.Host,
		Port:    r.Port,
		Meta:    meta,
		Weights: &api.AgentWeights{Passing: r.Weight, Warning: 1},
		Check: &api.AgentServiceCheck{
			CheckID:                        r.ID + ":healthz",
			Name:                           "GET /healthz",
			HTTP:                           "http://" + net.JoinHostPort(r.Host, strconv.Itoa(r.Port)) + "/healthz",
			Interval:                       c.interval.String(),
			Timeout:                        min(c.interval, 5*time.Second).String(),
			DeregisterCriticalServiceAfter: consulDeregisterAfter.String(),
		},
	}
	return c.client.Agent().ServiceRegisterOpts(svc, api.ServiceRegisterOpts{ReplaceExistingChecks: true}.WithContext(ctx))
}

// maintain asks the agent every interval whether it still has the service,
// and reports the registration lost when it does not (a restarted agent).
func (c *consulRegistry) maintain(ctx context.Context) error {
	for {
		sleep(ctx, c.interval)
		if ctx.Err() != nil {
			return nil
		}
		qctx, cancel := context.WithTimeout(ctx, registryTimeout)
		_, _, err := c.client.Agent().Service(c.reg.ID, (&api.QueryOptions{}).WithContext(qctx))
		cancel()
		var se api.StatusError
		if errors.As(err, &se) && se.Code == http.StatusNotFound {
			return errRegistrationLost
		}
	}
}

// deregister removes the service (and its check) from the agent.
func (c *consulRegistry) deregister(ctx context.Context) error {
	return c.client.Agent().ServiceDeregisterOpts(c.reg.ID, (&api.QueryOptions{}).WithContext(ctx))
}

// close does nothing: the client holds no connection that needs closing.
func (c *consulRegistry) close() {}
