package client

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// maxWeight bounds an instance's weight, so that a typo cannot starve the
// other instances.
const maxWeight = 10000

// instance is one service instance as the instancers report it:
// "host:port" or "host:port?weight=3&grpc=8081". Every instancer of this
// client speaks this form: etcd and ZooKeeper hold it as the registered
// value, the Consul, Eureka and DNS SRV instancers build it from the
// registry's own metadata.
type instance struct {
	// addr is the host:port of the HTTP server (or of the only server).
	addr string
	// grpcAddr is the host:port of the gRPC server: the host with the
	// grpc port when one is given, addr otherwise.
	grpcAddr string
	// weight is at least 1.
	weight int
}

// parseInstance parses an instance string. A missing or malformed weight is
// 1; "http://" in front of the address is allowed.
func parseInstance(s string) (instance, error) {
	addr, query, _ := strings.Cut(strings.TrimPrefix(s, "http://"), "?")
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return instance{}, fmt.Errorf("instance %q: want host:port[?weight=N&grpc=PORT]", s)
	}
	in := instance{addr: addr, grpcAddr: addr, weight: 1}
	params, err := url.ParseQuery(query)
	if err != nil {
		return instance{}, fmt.Errorf("instance %q: %v", s, err)
	}
	if w, err := strconv.Atoi(params.Get("weight")); err == nil {
		in.weight = min(max(w, 1), maxWeight)
	}
	if p := params.Get("grpc"); p != "" {
		in.grpcAddr = net.JoinHostPort(host, p)
	}
	return in, nil
}
