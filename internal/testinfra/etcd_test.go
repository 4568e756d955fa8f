package testinfra

import (
	"context"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

func TestEtcd(t *testing.T) {
	s := Etcd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   []string{s.URL},
		DialTimeout: 5 * time.Second,
		Logger:      zap.NewNop(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()

	// What go-kit sd/etcdv3 does: a key under a prefix, held by a lease.
	lease, err := cli.Grant(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Put(ctx, "/services/calc/127.0.0.1:8080", "127.0.0.1:8080", clientv3.WithLease(lease.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Put(ctx, "/config/plain", "kept"); err != nil {
		t.Fatal(err)
	}
	resp, err := cli.Get(ctx, "/services/calc/", clientv3.WithPrefix())
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Kvs) != 1 || string(resp.Kvs[0].Value) != "127.0.0.1:8080" {
		t.Fatalf("get: %v", resp.Kvs)
	}

	checkStops(t, s)

	// Start brings it back on the same address with the same data.
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Logf("etcd restarted in %v", s.ReadyIn.Round(time.Millisecond))
	got, err := cli.Get(ctx, "/config/plain")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Kvs) != 1 || string(got.Kvs[0].Value) != "kept" {
		t.Fatalf("after restart: %v", got.Kvs)
	}
}
