package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-kit/log"
	"github.com/go-zookeeper/zk"
	"github.com/hashicorp/consul/api"
	"github.com/hudl/fargo"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/kitforge/kitforge/internal/testinfra"
)

// These tests run each registry against the real server (see
// internal/testinfra) and check what it holds the way clients read it.

// testRegistration describes an instance served by a local /healthz.
func testRegistration(t *testing.T) registration {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"status":"ok"}`)) }))
	t.Cleanup(srv.Close)
	reg, err := newRegistration("calc", "", srv.Listener.Addr().String(), "127.0.0.1:9001", 3)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), registryTimeout)
	t.Cleanup(cancel)
	return ctx
}

func TestConsulRegistry(t *testing.T) {
	t.Parallel()
	s := testinfra.Consul(t)
	reg := testRegistration(t)
	r, err := newConsulRegistry(s.Addr, reg, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.register(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	cfg := api.DefaultConfig()
	cfg.Address = s.Addr
	c, _ := api.NewClient(cfg)
	var entries []*api.ServiceEntry
	waitUntil(t, func() bool {
		entries, _, err = c.Health().Service("calc", "", true, nil)
		return err == nil && len(entries) == 1
	})
	e := entries[0].Service
	if e.ID != reg.ID || e.Address != "127.0.0.1" || e.Port != reg.Port || e.Meta["weight"] != "3" ||
		e.Meta["grpc_port"] != "9001" || e.Weights.Passing != 3 || fmt.Sprint(e.Tags) != "[http grpc]" {
		t.Errorf("registered %+v", e)
	}

	// A registration the agent lost (here: removed behind its back) is
	// noticed within an interval.
	lost := make(chan error, 1)
	go func() { lost <- r.maintain(context.Background()) }()
	if err := c.Agent().ServiceDeregister(reg.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-lost:
		if err != errRegistrationLost {
			t.Fatalf("maintain: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a lost registration went unnoticed")
	}

	if err := r.register(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := r.deregister(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if entries, _, _ := c.Health().Service("calc", "", false, nil); len(entries) != 0 {
		t.Errorf("still registered after deregister: %v", entries)
	}
}

// TestRegistrarWaitsForTheRegistry starts a registrar with its registry
// down: it keeps trying and registers once the registry is up.
func TestRegistrarWaitsForTheRegistry(t *testing.T) {
	t.Parallel()
	s := testinfra.Etcd(t)
	s.Stop()
	reg := testRegistration(t)
	r, err := newEtcdRegistry([]string{s.URL}, reg, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	rr := newRegistrar(r, log.NewNopLogger())
	rr.timeout = time.Second
	go rr.run()
	time.Sleep(1500 * time.Millisecond)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	cli := etcdClient(t, s.URL)
	waitUntil(t, func() bool {
		resp, err := cli.Get(context.Background(), "/services/calc/", clientv3.WithPrefix())
		return err == nil && len(resp.Kvs) == 1
	})
	start := time.Now()
	rr.stop(nil)
	t.Logf("deregistered in %v", time.Since(start))
	resp, err := cli.Get(context.Background(), "/services/calc/", clientv3.WithPrefix())
	if err != nil || len(resp.Kvs) != 0 {
		t.Fatalf("after stop: %v, %v", resp, err)
	}
}

func TestEtcdRegistry(t *testing.T) {
	t.Parallel()
	s := testinfra.Etcd(t)
	reg := testRegistration(t)
	r, err := newEtcdRegistry([]string{s.URL}, reg, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	if err := r.register(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	cli := etcdClient(t, s.URL)
	key := "/services/calc/" + reg.ID
	resp, err := cli.Get(context.Background(), key)
	if err != nil || len(resp.Kvs) != 1 || string(resp.Kvs[0].Value) != reg.value() || resp.Kvs[0].Lease == 0 {
		t.Fatalf("get %s: %v, %v", key, resp, err)
	}

	// The lease is kept alive past its TTL, and its loss is noticed.
	lost := make(chan error, 1)
	go func() { lost <- r.maintain(context.Background()) }()
	time.Sleep(3 * time.Second)
	if resp, _ := cli.Get(context.Background(), key); len(resp.Kvs) != 1 {
		t.Fatal("key gone while its lease was kept alive")
	}
	if _, err := cli.Revoke(context.Background(), clientv3.LeaseID(resp.Kvs[0].Lease)); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-lost:
		if err != errRegistrationLost {
			t.Fatalf("maintain: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a revoked lease went unnoticed")
	}

	if err := r.register(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := r.deregister(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if resp, _ := cli.Get(context.Background(), key); len(resp.Kvs) != 0 {
		t.Fatal("key left after deregister")
	}

	// An unreachable etcd fails within the request's bound.
	s.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := r.register(ctx); err == nil {
		t.Fatal("registered with etcd stopped")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("register with etcd stopped took %v", d)
	}
}

func TestEurekaRegistry(t *testing.T) {
	t.Parallel()
	s := testinfra.Eureka(t)
	reg := testRegistration(t)
	r, err := newEurekaRegistry([]string{s.URL}, reg, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.register(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	conn := fargo.NewConn(s.URL)
	var app *fargo.Application
	waitUntil(t, func() bool {
		app, err = conn.GetApp("CALC")
		return err == nil && len(app.Instances) == 1
	})
	in := app.Instances[0]
	md := in.Metadata.GetMap()
	if in.IPAddr != "127.0.0.1" || in.Port != reg.Port || in.Status != fargo.UP ||
		fmt.Sprint(md["weight"]) != "3" || fmt.Sprint(md["grpcPort"]) != "9001" {
		t.Errorf("registered %+v, metadata %v", in, md)
	}

	// Heartbeats keep it; once Eureka forgets it, the 404 is noticed.
	lost := make(chan error, 1)
	go func() { lost <- r.maintain(context.Background()) }()
	if err := conn.DeregisterInstance(r.instance); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-lost:
		if err != errRegistrationLost {
			t.Fatalf("maintain: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a lost registration went unnoticed")
	}
	if err := r.register(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := r.deregister(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool {
		app, err := conn.GetApp("CALC")
		return err != nil || len(app.Instances) == 0
	})
}

func TestZooKeeperRegistry(t *testing.T) {
	t.Parallel()
	s := testinfra.ZooKeeper(t)
	reg := testRegistration(t)
	r, err := newZKRegistry([]string{s.Addr}, reg, 2*time.Second, log.NewNopLogger())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.register(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	conn, _, err := zk.Connect([]string{s.Addr}, 2*time.Second, zk.WithLogInfo(false))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	node := "/services/calc/" + reg.ID
	data, stat, err := conn.Get(node)
	if err != nil || string(data) != reg.value() || stat.EphemeralOwner == 0 {
		t.Fatalf("get %s: %q, %+v, %v", node, data, stat, err)
	}
	// A second registration (a restart within the old session's timeout)
	// replaces the node.
	if err := r.register(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := r.deregister(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := conn.Exists(node); ok {
		t.Fatal("node left after deregister")
	}
	// The node goes with the session too.
	if err := r.register(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	r.close()
	waitUntil(t, func() bool { ok, _, _ := conn.Exists(node); return !ok })
}

func etcdClient(t *testing.T, url string) *clientv3.Client {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{url}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// TestConsulRegistrationSurvivesARestart restarts a Consul dev agent, which
// loses every service: the registrar notices as soon as the agent answers
// again and registers with its check passing, so the instance is a
// passing one again within seconds, not after a check interval (10 s
// here).
func TestConsulRegistrationSurvivesARestart(t *testing.T) {
	t.Parallel()
	s := testinfra.Consul(t)
	reg := testRegistration(t)
	r, err := newConsulRegistry(s.Addr, reg, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	rr := newRegistrar(r, log.NewNopLogger())
	go rr.run()
	defer rr.stop(nil)
	cfg := api.DefaultConfig()
	cfg.Address = s.Addr
	c, _ := api.NewClient(cfg)
	registered := func() bool {
		entries, _, err := c.Health().Service("calc", "", false, nil)
		return err == nil && len(entries) == 1
	}
	waitUntil(t, registered)

	s.Stop()
	// Its data dir would hold the services registered through the API:
	// without it, the agent comes back knowing none.
	if err := os.RemoveAll(filepath.Join(s.Dir, "data")); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	waitUntil(t, func() bool {
		entries, _, err := c.Health().Service("calc", "", true, nil)
		return err == nil && len(entries) == 1
	})
	gap := time.Since(back)
	t.Logf("passing again %v after the agent came back", gap.Round(time.Millisecond))
	if gap > 5*time.Second {
		t.Errorf("passing again %v after the agent came back, want within 5s", gap)
	}
}
