// Package testinfra starts real registry and messaging servers for tests:
// Consul, etcd, Polaris (serving the Eureka REST API), ZooKeeper, dnsmasq (DNS
// SRV), NATS and RabbitMQ, and a kube-apiserver over its own etcd.
//
// Each server runs as its own process on 127.0.0.1, on free ports, with its
// data in a temp dir. The starting function waits until the server answers
// (not merely until its port is open) and registers a t.Cleanup that stops
// it. Server.Stop simulates a registry outage; Server.Start brings it back on
// the same address.
//
// The binaries come from scripts/services install. When one is missing the
// test is skipped with the reason, except under CI=true, where a skip would
// hide a gap, so the test fails instead.
//
// Nothing here sends traffic anywhere but 127.0.0.1: every server listens on
// loopback only and none is given an upstream or a peer elsewhere.
package testinfra
