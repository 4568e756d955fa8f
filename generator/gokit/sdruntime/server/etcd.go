package server

import (
	"context"
	"errors"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// etcdRegistry registers the instance as the key
// /services/<name>/<id>, its value the instance string (weight and gRPC
// port included), held by a lease of ttl that the client keeps alive. A
// killed instance's key goes when its lease expires, within ttl.
type etcdRegistry struct {
	cli   *clientv3.Client
	reg   registration
	ttl   time.Duration
	lease clientv3.LeaseID
}

// newEtcdRegistry returns the registry of the etcd cluster at endpoints.
// Connecting does not wait for etcd: requests do, each bounded.
func newEtcdRegistry(endpoints []string, reg registration, ttl time.Duration) (*etcdRegistry, error) {
	if len(endpoints) == 0 {
		return nil, errors.New("etcd: no endpoints")
	}
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   endpoints,
		DialTimeout: registryTimeout,
		Logger:      zap.NewNop(),
	})
	if err != nil {
		return nil, err
	}
	if ttl < 2*time.Second {
		ttl = 2 * time.Second
	}
	return &etcdRegistry{cli: cli, reg: reg, ttl: ttl}, nil
}

// key is the instance's key.
func (e *etcdRegistry) key() string { return "/services/" + e.reg.Service + "/" + e.reg.ID }

// register grants a lease, puts the key under it and starts the lease's
// keepalive (which lasts until the registrar stops).
func (e *etcdRegistry) register(ctx context.Context) error {
	grant, err := e.cli.Grant(ctx, int64(e.ttl/time.Second))
	if err != nil {
		return err
	}
	if _, err := e.cli.Put(ctx, e.key(), e.reg.value(), clientv3.WithLease(grant.ID)); err != nil {
		return err
	}
	e.lease = grant.ID
	return nil
}

// maintain keeps the lease alive until ctx is done or the lease is lost.
func (e *etcdRegistry) maintain(ctx context.Context) error {
	alive, err := e.cli.KeepAlive(ctx, e.lease)
	if err != nil {
		return err
	}
	for range alive {
	}
	if ctx.Err() != nil {
		return nil
	}
	return errRegistrationLost
}

// deregister revokes the lease, which deletes the key.
func (e *etcdRegistry) deregister(ctx context.Context) error {
	if e.lease == 0 {
		_, err := e.cli.Delete(ctx, e.key())
		return err
	}
	_, err := e.cli.Revoke(ctx, e.lease)
	return err
}

// close closes the connection.
func (e *etcdRegistry) close() { _ = e.cli.Close() }
