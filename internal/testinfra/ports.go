package testinfra

import (
	"fmt"
	"net"
	"strconv"
)

// freePorts returns n distinct ports on 127.0.0.1 that are free for both TCP
// and UDP at the time of the call (DNS and Serf use both). Another process
// may still take one before the server binds it; launch retries on that.
func freePorts(n int) ([]int, error) {
	var (
		ports []int
		held  []interface{ Close() error }
	)
	defer func() {
		for _, h := range held {
			h.Close()
		}
	}()
	for tries := 0; len(ports) < n; tries++ {
		if tries > 100*n {
			return nil, fmt.Errorf("no %d free ports on 127.0.0.1", n)
		}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		held = append(held, l)
		port := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue // UDP side taken: keep the TCP one held so it is not drawn again
		}
		held = append(held, u)
		ports = append(ports, port)
	}
	return ports, nil
}

// hostPort joins 127.0.0.1 and port.
func hostPort(port int) string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}
