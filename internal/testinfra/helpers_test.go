package testinfra

import (
	"net"
	"testing"
	"time"
)

// checkStops stops s and checks that nothing answers on its address any more.
func checkStops(t *testing.T, s *Server) {
	t.Helper()
	start := time.Now()
	s.Stop()
	t.Logf("%s stopped in %v", s.Name, time.Since(start).Round(time.Millisecond))
	if s.Running() {
		t.Fatalf("%s still running after Stop", s.Name)
	}
	if c, err := net.DialTimeout("tcp", s.Addr, time.Second); err == nil {
		c.Close()
		t.Fatalf("%s: %s still accepts connections after Stop", s.Name, s.Addr)
	}
	s.Stop() // a second Stop is harmless
}
