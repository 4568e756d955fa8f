package testinfra

import (
	"context"
	"net"
	"sort"
	"testing"
	"time"
)

func TestDNSSRV(t *testing.T) {
	const name = "_calc._tcp.kitforge.test"
	d := DNSSRV(t,
		SRV{Name: name, Port: 8081, Weight: 10},
		SRV{Name: name, Port: 8082, Weight: 30},
	)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	if got := srvPorts(t, ctx, d, name); !equalInts(got, []int{8081, 8082}) {
		t.Fatalf("SRV ports %v, want [8081 8082]", got)
	}
	srvs, _ := d.LookupSRV(ctx, name)
	for _, s := range srvs {
		if s.Target != "localhost." {
			t.Errorf("target %q, want localhost.", s.Target)
		}
	}
	// Nothing else is answered, and nothing is forwarded.
	if _, err := d.Resolver().LookupHost(ctx, "example.com."); err == nil {
		t.Error("example.com resolved through a server with no upstream")
	}

	// New records: one instance gone, one added, one with its own host name.
	start := time.Now()
	if err := d.SetRecords(
		SRV{Name: name, Port: 8082},
		SRV{Name: name, Port: 8083},
		SRV{Name: "_other._tcp.kitforge.test", Target: "box1.kitforge.test", Port: 9000},
	); err != nil {
		t.Fatal(err)
	}
	t.Logf("SetRecords (restart) took %v", time.Since(start).Round(time.Millisecond))
	if got := srvPorts(t, ctx, d, name); !equalInts(got, []int{8082, 8083}) {
		t.Fatalf("after SetRecords: SRV ports %v, want [8082 8083]", got)
	}
	addrs, err := d.Resolver().LookupHost(ctx, "box1.kitforge.test.")
	if err != nil || len(addrs) != 1 || addrs[0] != "127.0.0.1" {
		t.Fatalf("box1.kitforge.test: %v, %v", addrs, err)
	}
	if err := d.SetRecords(SRV{Name: name, Target: "127.0.0.1", Port: 1}); err == nil {
		t.Error("an IP target was accepted")
	}
	if got := srvPorts(t, ctx, d, name); !equalInts(got, []int{8082, 8083}) || len(d.Records()) != 3 {
		t.Fatalf("a rejected SetRecords changed the records: %v, %v", got, d.Records())
	}

	d.Stop()
	if _, err := d.LookupSRV(ctx, name); err == nil {
		t.Fatal("resolved after Stop")
	}
	if c, err := net.DialTimeout("tcp", d.Addr, time.Second); err == nil {
		c.Close()
		t.Fatal("still accepting after Stop")
	}
}

func srvPorts(t *testing.T, ctx context.Context, d *DNS, name string) []int {
	t.Helper()
	srvs, err := d.LookupSRV(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	var ports []int
	for _, s := range srvs {
		ports = append(ports, int(s.Port))
	}
	sort.Ints(ports)
	return ports
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
