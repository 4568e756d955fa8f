package client

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/go-kit/kit/sd"
	"github.com/go-kit/log"
	"github.com/go-zookeeper/zk"
	"github.com/hashicorp/consul/api"
	"github.com/hudl/fargo"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/kitforge/kitforge/internal/testinfra"
)

// These tests run each instancer against the real registry (see
// internal/testinfra), writing entries the way the generated servers do.

// watch subscribes to inst and returns a function that waits until it
// reports want (sorted instance strings).
func watch(t *testing.T, inst sd.Instancer) func(want ...string) {
	t.Helper()
	ch := make(chan sd.Event, 16)
	inst.Register(ch)
	t.Cleanup(func() { inst.Deregister(ch) })
	var last sd.Event
	seen := false
	return func(want ...string) {
		t.Helper()
		slices.Sort(want)
		timeout := time.After(20 * time.Second)
		for {
			got := slices.Clone(last.Instances)
			slices.Sort(got)
			if seen && last.Err == nil && slices.Equal(got, want) {
				return
			}
			select {
			case last = <-ch:
				seen = true
			case <-timeout:
				t.Fatalf("instances %q (err %v), want %q", last.Instances, last.Err, want)
			}
		}
	}
}

// waitErr waits until inst reports an error.
func waitErr(t *testing.T, inst sd.Instancer) {
	t.Helper()
	ch := make(chan sd.Event, 16)
	inst.Register(ch)
	defer inst.Deregister(ch)
	timeout := time.After(20 * time.Second)
	for {
		select {
		case ev := <-ch:
			if ev.Err != nil {
				return
			}
		case <-timeout:
			t.Fatal("no error reported after the registry stopped")
		}
	}
}

func TestConsulInstancer(t *testing.T) {
	t.Parallel()
	s := testinfra.Consul(t)
	cfg := api.DefaultConfig()
	cfg.Address = s.Addr
	c, err := api.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	healthy := listen(t)
	register := func(id string, port int, meta map[string]string, check string) {
		t.Helper()
		err := c.Agent().ServiceRegister(&api.AgentServiceRegistration{
			ID: id, Name: "calc", Address: "127.0.0.1", Port: port, Meta: meta,
			Weights: &api.AgentWeights{Passing: 2, Warning: 1},
			Check:   &api.AgentServiceCheck{HTTP: check, Interval: "1s", DeregisterCriticalServiceAfter: "1m"},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	register("calc-1", healthy.port, map[string]string{"weight": "3", "grpc_port": "9001"}, healthy.url)
	register("calc-2", healthy.port+1, nil, healthy.url) // weight from Weights.Passing
	register("calc-3", 1, nil, "http://127.0.0.1:1/healthz")
	inst, err := newConsulInstancer(s.Addr, "calc", log.NewNopLogger(), WithRefresh(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Stop()
	wait := watch(t, inst)
	p := healthy.port
	wait(fmt.Sprintf("127.0.0.1:%d?weight=3&grpc=9001", p), fmt.Sprintf("127.0.0.1:%d?weight=2", p+1))

	if err := c.Agent().ServiceDeregister("calc-1"); err != nil {
		t.Fatal(err)
	}
	wait(fmt.Sprintf("127.0.0.1:%d?weight=2", p+1))

	// An outage is an error event; the instancer comes back with Consul.
	// The agent may or may not restore calc-2 from its data dir (and its
	// check starts critical when it does), so register it again: either
	// way the instancer must end on calc-2 alone, passing.
	s.Stop()
	waitErr(t, inst)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	register("calc-2", healthy.port+1, nil, healthy.url)
	wait(fmt.Sprintf("127.0.0.1:%d?weight=2", p+1))
}

func TestEtcdInstancer(t *testing.T) {
	t.Parallel()
	s := testinfra.Etcd(t)
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{s.URL}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ctx := context.Background()
	put := func(k, v string) {
		t.Helper()
		if _, err := cli.Put(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	put("/services/calc/calc-1", "127.0.0.1:8001?weight=3")
	put("/services/calculator/x", "127.0.0.1:9999") // another service with a longer name
	inst, err := newEtcdInstancer(s.URL, "calc", log.NewNopLogger(), WithRefresh(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Stop()
	wait := watch(t, inst)
	wait("127.0.0.1:8001?weight=3")
	put("/services/calc/calc-2", "127.0.0.1:8002?weight=1&grpc=9002")
	wait("127.0.0.1:8001?weight=3", "127.0.0.1:8002?weight=1&grpc=9002")
	if _, err := cli.Delete(ctx, "/services/calc/calc-1"); err != nil {
		t.Fatal(err)
	}
	wait("127.0.0.1:8002?weight=1&grpc=9002")

	// Through an outage, and back (with a change made while it was away
	// seen without a new change after it).
	s.Stop()
	if _, err := inst.client.GetEntries("/services/calc/"); err == nil {
		t.Fatal("GetEntries with etcd stopped succeeded")
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	put("/services/calc/calc-3", "127.0.0.1:8003")
	wait("127.0.0.1:8002?weight=1&grpc=9002", "127.0.0.1:8003")
}

func TestEurekaInstancer(t *testing.T) {
	t.Parallel()
	s := testinfra.Eureka(t)
	conn := fargo.NewConn(s.URL)
	register := func(id string, port int, weight string) *fargo.Instance {
		t.Helper()
		in := &fargo.Instance{
			InstanceId: id, HostName: "127.0.0.1", App: "CALC", IPAddr: "127.0.0.1", VipAddress: "calc",
			Port: port, PortEnabled: true, Status: fargo.UP, DataCenterInfo: fargo.DataCenterInfo{Name: fargo.MyOwn},
			LeaseInfo: fargo.LeaseInfo{RenewalIntervalInSecs: 30, DurationInSecs: 90},
		}
		if weight != "" {
			in.SetMetadataString("weight", weight)
			in.SetMetadataString("grpcPort", "9001")
		}
		if err := conn.RegisterInstance(in); err != nil {
			t.Fatal(err)
		}
		return in
	}
	inst, err := newEurekaInstancer(s.URL, "calc", log.NewNopLogger(), WithRefresh(500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Stop()
	wait := watch(t, inst)
	wait() // no application yet: no instances, not an error
	one := register("calc-1", 8001, "3")
	register("calc-2", 8002, "")
	wait("127.0.0.1:8001?weight=3&grpc=9001", "127.0.0.1:8002")
	if err := conn.DeregisterInstance(one); err != nil {
		t.Fatal(err)
	}
	wait("127.0.0.1:8002")
}

func TestZooKeeperInstancer(t *testing.T) {
	t.Parallel()
	s := testinfra.ZooKeeper(t)
	conn, _, err := zk.Connect([]string{s.Addr}, 5*time.Second, zk.WithLogInfo(false))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	acl := zk.WorldACL(zk.PermAll)
	for _, p := range []string{"/services", "/services/calc"} {
		if _, err := conn.Create(p, nil, 0, acl); err != nil && err != zk.ErrNodeExists {
			t.Fatal(err)
		}
	}
	if _, err := conn.Create("/services/calc/calc-1", []byte("127.0.0.1:8001?weight=3"), zk.FlagEphemeral, acl); err != nil {
		t.Fatal(err)
	}
	inst, err := newZKInstancer(s.Addr, "calc", log.NewNopLogger(), WithRefresh(500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Stop()
	wait := watch(t, inst)
	wait("127.0.0.1:8001?weight=3")
	if _, err := conn.Create("/services/calc/calc-2", []byte("127.0.0.1:8002"), zk.FlagEphemeral, acl); err != nil {
		t.Fatal(err)
	}
	wait("127.0.0.1:8001?weight=3", "127.0.0.1:8002")

	// The ephemeral nodes go with the session; after an outage (which
	// ZooKeeper clients only notice when they are back: their session has
	// expired) the instancer watches again.
	conn.Close()
	wait()
	s.Stop()
	time.Sleep(time.Second)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	conn2, _, err := zk.Connect([]string{s.Addr}, 5*time.Second, zk.WithLogInfo(false))
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	if _, err := conn2.Create("/services/calc/calc-3", []byte("127.0.0.1:8003"), zk.FlagEphemeral, acl); err != nil {
		t.Fatal(err)
	}
	wait("127.0.0.1:8003")
}

func TestDNSSRVInstancer(t *testing.T) {
	t.Parallel()
	const name = "_calc._tcp.kitforge.test"
	d := testinfra.DNSSRV(t,
		testinfra.SRV{Name: name, Port: 8001, Weight: 30},
		testinfra.SRV{Name: name, Port: 8002, Weight: 0},
		testinfra.SRV{Name: name, Port: 8009, Priority: 10, Weight: 5}, // a fallback
	)
	inst, err := newDNSInstancer(name, log.NewNopLogger(), WithResolver(d.Resolver()), WithRefresh(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Stop()
	wait := watch(t, inst)
	wait("localhost:8001?weight=30", "localhost:8002")
	if err := d.SetRecords(testinfra.SRV{Name: name, Port: 8003, Weight: 2}); err != nil {
		t.Fatal(err)
	}
	wait("localhost:8003?weight=2")
}

// server is a local HTTP server that answers 200 on /healthz.
type server struct {
	port int
	url  string
}

func listen(t *testing.T) server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 4096)
				_, _ = c.Read(buf)
				_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"))
			}()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	port := ln.Addr().(*net.TCPAddr).Port
	return server{port: port, url: "http://127.0.0.1:" + strconv.Itoa(port) + "/healthz"}
}
