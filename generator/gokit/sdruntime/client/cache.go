package client

import (
	"net"
	"strconv"
	"strings"
)

// This file serves the instancers kitforge writes itself (Consul, Eureka,
// DNS SRV), where Go kit's would drop the weight; their subscriber list is
// instanceCache (grace.go).

// formatInstance writes an instance string: "host:port", with "?weight=N"
// when the weight is not 1 and "grpc=PORT" when a gRPC port is known.
func formatInstance(host string, port, grpcPort, weight int) string {
	s := net.JoinHostPort(host, strconv.Itoa(port))
	var q []string
	if weight > 1 {
		q = append(q, "weight="+strconv.Itoa(weight))
	}
	if grpcPort > 0 {
		q = append(q, "grpc="+strconv.Itoa(grpcPort))
	}
	if len(q) > 0 {
		s += "?" + strings.Join(q, "&")
	}
	return s
}
