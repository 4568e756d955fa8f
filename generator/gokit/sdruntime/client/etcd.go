package client

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/go-kit/kit/sd"
	"github.com/go-kit/kit/sd/etcdv3"
	"github.com/go-kit/log"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// etcdTimeout bounds one etcd request of the instancer.
const etcdTimeout = 5 * time.Second

// etcdPrefix is the key prefix under which the instances of service are
// registered: one key per instance, its value the instance string.
func etcdPrefix(service string) string { return "/services/" + service + "/" }

// etcdInstancer is Go kit's sd/etcdv3 Instancer over the keys under
// /services/<name>/, whose values are the instance strings the servers
// register (weight included, so nothing is lost). It runs on its own
// etcdv3.Client, which bounds every request (Go kit's waits for as long as
// etcd is away), asks again while etcd is unreachable (Go kit's waits for
// the next change), and closes its connection on Stop.
type etcdInstancer struct {
	*etcdv3.Instancer
	client *etcdClient
}

var _ sd.Instancer = (*etcdInstancer)(nil)

// newEtcdInstancer watches the instances of service in the etcd cluster at
// endpoints (comma-separated URLs, e.g. "http://127.0.0.1:2379").
func newEtcdInstancer(endpoints, service string, logger log.Logger, opts ...InstancerOption) (*etcdInstancer, error) {
	list := splitList(endpoints)
	if len(list) == 0 {
		return nil, errors.New("etcd: no endpoints")
	}
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   list,
		DialTimeout: etcdTimeout,
		Logger:      zap.NewNop(),
	})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &etcdClient{cli: cli, ctx: ctx, cancel: cancel, retry: newInstancerOptions(opts).refresh}
	inst, err := etcdv3.NewInstancer(c, etcdPrefix(service), log.With(logger, "registry", "etcd", "service", service))
	if err != nil {
		c.close()
		return nil, err
	}
	return &etcdInstancer{Instancer: inst, client: c}, nil
}

// Stop stops watching and closes the connection; it implements
// sd.Instancer.
func (e *etcdInstancer) Stop() {
	e.Instancer.Stop()
	e.client.close()
}

// etcdClient is the part of Go kit's etcdv3.Client that its Instancer uses,
// over a clientv3 connection.
type etcdClient struct {
	cli    *clientv3.Client
	ctx    context.Context
	cancel context.CancelFunc
	retry  time.Duration

	mu     sync.Mutex
	failed bool
}

var _ etcdv3.Client = (*etcdClient)(nil)

// GetEntries returns the values of the keys under prefix.
func (c *etcdClient) GetEntries(prefix string) ([]string, error) {
	ctx, cancel := context.WithTimeout(c.ctx, etcdTimeout)
	defer cancel()
	resp, err := c.cli.Get(ctx, prefix, clientv3.WithPrefix())
	c.mu.Lock()
	c.failed = err != nil
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	entries := make([]string, len(resp.Kvs))
	for i, kv := range resp.Kvs {
		entries[i] = string(kv.Value)
	}
	return entries, nil
}

// WatchPrefix signals ch once at the start, at every change under prefix,
// and every retry interval while the last GetEntries failed, until the
// client is closed.
func (c *etcdClient) WatchPrefix(prefix string, ch chan struct{}) {
	wch := c.cli.Watch(clientv3.WithRequireLeader(c.ctx), prefix, clientv3.WithPrefix())
	signal := func() bool {
		select {
		case ch <- struct{}{}:
			return true
		case <-c.ctx.Done():
			return false
		}
	}
	if !signal() {
		return
	}
	tick := time.NewTicker(c.retry)
	defer tick.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case _, ok := <-wch:
			if !ok { // the watch ended (no leader): watch again, after a pause
				if !sleepCtx(c.ctx, time.Second) {
					return
				}
				wch = c.cli.Watch(clientv3.WithRequireLeader(c.ctx), prefix, clientv3.WithPrefix())
			}
			if !signal() {
				return
			}
		case <-tick.C:
			c.mu.Lock()
			failed := c.failed
			c.mu.Unlock()
			if failed && !signal() {
				return
			}
		}
	}
}

// errInstancerOnly says that this client only watches.
var errInstancerOnly = errors.New("etcd: this client only watches; servers register themselves")

// Register is not supported: servers register themselves.
func (c *etcdClient) Register(etcdv3.Service) error { return errInstancerOnly }

// Deregister is not supported: servers deregister themselves.
func (c *etcdClient) Deregister(etcdv3.Service) error { return errInstancerOnly }

// LeaseID is 0: this client holds no lease.
func (c *etcdClient) LeaseID() int64 { return 0 }

// close cancels every request and watch and closes the connection.
func (c *etcdClient) close() {
	c.cancel()
	_ = c.cli.Close()
}
