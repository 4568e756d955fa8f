// Command server serves one variant of the runtime benchmark on 127.0.0.1
// for cmd/load, which starts one such process per variant:
//
//	server -variant kitforge
//
// It prints "ready SERVICE_ADDR STATS_ADDR" once the service accepts
// connections; STATS_ADDR serves procstats (allocations, CPU time, pprof).
// It exits when its standard input closes, so it never outlives the driver.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/kitforge/kitforge/bench/runtime/procstats"
	"github.com/kitforge/kitforge/bench/runtime/variants"
)

func main() {
	name := flag.String("variant", "floor", "variant to serve")
	flag.Parse()
	if err := serve(*name); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

func serve(name string) error {
	v, err := variants.Find(name)
	if err != nil {
		return err
	}
	statsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	errc := make(chan error, 3)
	go func() { errc <- http.Serve(statsLn, procstats.Handler()) }()
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); errc <- nil }()

	var addr string
	switch {
	case v.Run != nil:
		httpAddr, err := freeAddr()
		if err != nil {
			return err
		}
		grpcAddr, err := freeAddr()
		if err != nil {
			return err
		}
		go func() { errc <- v.Run(httpAddr, grpcAddr) }()
		addr = httpAddr
		if v.Protocol == variants.GRPC {
			addr = grpcAddr
		}
		if err := waitListening(addr, 10*time.Second); err != nil {
			return err
		}
	default:
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		addr = ln.Addr().String()
		if v.Protocol == variants.GRPC {
			srv := variants.NewGRPCServer(v.GRPC())
			go func() { errc <- srv.Serve(ln) }()
		} else {
			go func() { errc <- variants.NewServer(v.Handler()).Serve(ln) }()
		}
	}
	fmt.Printf("ready %s %s\n", addr, statsLn.Addr())
	return <-errc
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment
// ago, for a server that opens its listener itself.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// waitListening waits until addr accepts TCP connections.
func waitListening(addr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s does not accept connections: %w", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
