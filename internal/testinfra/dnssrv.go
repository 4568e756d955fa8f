package testinfra

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// SRV is one DNS SRV record that DNSSRV serves.
type SRV struct {
	// Name is the record's owner name, "_service._proto.domain", e.g.
	// "_calc._tcp.kitforge.test" (what go-kit sd/dnssrv is given).
	Name string
	// Target is the host name the record points at; "localhost" if empty.
	// It must be a name, not an IP. dnsmasq also answers A 127.0.0.1 for a
	// target other than localhost, but only through this server, not the
	// system resolver a service dials with: keep "localhost" for those.
	Target string
	// Port is the instance's port.
	Port int
	// Priority and Weight are the SRV priority (lower first) and weight.
	Priority, Weight int
}

// readyName is a record every DNSSRV server answers, for its ready check.
const readyName = "ready.testinfra.test."

// DNS is a running dnsmasq serving SRV records on Addr (UDP and TCP).
type DNS struct {
	*Server

	mu      sync.Mutex
	records []SRV
}

// DNSSRV starts dnsmasq (Debian dnsmasq-base) on 127.0.0.1 serving the
// given SRV records and nothing else: no upstream server, no /etc/hosts, so
// a query for any other name is answered locally (REFUSED) and never
// forwarded. Addr is the DNS address; Resolver returns a net.Resolver that
// asks it. Ready when it answers an A query for its own ready record.
//
// dnsmasq reads SRV records only when it starts, so SetRecords restarts it
// on the same port: for a few milliseconds queries fail (connection refused
// at once, not a time-out).
func DNSSRV(t testing.TB, records ...SRV) *DNS {
	t.Helper()
	bin := lookPath("dnsmasq", "/usr/sbin/dnsmasq")
	if bin == "" {
		missing(t, "dnsmasq")
	}
	d := &DNS{records: append([]SRV(nil), records...)}
	d.Server = launch(t, spec{
		name:  "dnssrv",
		roles: []string{"dns"},
		setup: func(s *Server) error {
			s.Addr = hostPort(s.Ports["dns"])
			s.URL = s.Addr
			return writeDNSConfig(s.Dir, d.records)
		},
		command: func(s *Server) *exec.Cmd {
			args := []string{
				"--keep-in-foreground",
				"--log-facility=-",
				"--conf-file=" + filepath.Join(s.Dir, "dnsmasq.conf"),
				"--port=" + strconv.Itoa(s.Ports["dns"]),
				"--listen-address=127.0.0.1",
				"--bind-interfaces",
				"--no-resolv",
				"--no-hosts",
				"--no-poll",
				"--cache-size=0",
				"--pid-file=",
			}
			if os.Geteuid() == 0 {
				// Stay root: the temp dir is not readable by "nobody".
				args = append(args, "--user=root", "--group=root")
			}
			return exec.Command(bin, args...)
		},
		ready: func(ctx context.Context, s *Server) error {
			addrs, err := resolverFor(s.Addr).LookupHost(ctx, readyName)
			if err != nil {
				return err
			}
			if len(addrs) != 1 || addrs[0] != "127.0.0.1" {
				return fmt.Errorf("%s resolved to %v", readyName, addrs)
			}
			return nil
		},
	})
	return d
}

// Records returns the SRV records being served.
func (d *DNS) Records() []SRV {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]SRV(nil), d.records...)
}

// SetRecords replaces the SRV records being served: it rewrites dnsmasq's
// config and restarts it on the same port.
func (d *DNS) SetRecords(records ...SRV) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := writeDNSConfig(d.Dir, records); err != nil {
		return err
	}
	d.records = append([]SRV(nil), records...)
	d.Stop()
	return d.Start()
}

// Resolver returns a resolver that sends every query to this server.
func (d *DNS) Resolver() *net.Resolver { return resolverFor(d.Addr) }

// LookupSRV resolves name (an SRV owner name such as
// "_calc._tcp.kitforge.test") through this server.
func (d *DNS) LookupSRV(ctx context.Context, name string) ([]*net.SRV, error) {
	_, srvs, err := d.Resolver().LookupSRV(ctx, "", "", name)
	return srvs, err
}

// writeDNSConfig writes dnsmasq.conf serving records into dir; it writes
// nothing if a record is malformed.
func writeDNSConfig(dir string, records []SRV) error {
	var b strings.Builder
	b.WriteString("host-record=" + strings.TrimSuffix(readyName, ".") + ",127.0.0.1\n")
	hosts := map[string]bool{}
	for _, r := range records {
		if r.Name == "" || strings.ContainsAny(r.Name, ", \n") || strings.ContainsAny(r.Target, ", \n") ||
			!in16(r.Port) || !in16(r.Priority) || !in16(r.Weight) {
			return fmt.Errorf("bad SRV record %+v", r)
		}
		target := strings.TrimSuffix(r.Target, ".")
		if target == "" {
			target = "localhost"
		}
		if net.ParseIP(target) != nil {
			return fmt.Errorf("SRV record %s: target %s is an IP; it must be a host name", r.Name, target)
		}
		fmt.Fprintf(&b, "srv-host=%s,%s,%d,%d,%d\n",
			strings.TrimSuffix(r.Name, "."), target, r.Port, r.Priority, r.Weight)
		if target != "localhost" && !hosts[target] {
			hosts[target] = true
			fmt.Fprintf(&b, "host-record=%s,127.0.0.1\n", target)
		}
	}
	return os.WriteFile(filepath.Join(dir, "dnsmasq.conf"), []byte(b.String()), 0o644)
}

// in16 reports whether n fits an SRV record's 16-bit field.
func in16(n int) bool { return n >= 0 && n <= 65535 }

// resolverFor returns a pure-Go resolver that sends every query to addr.
func resolverFor(addr string) *net.Resolver {
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var dl net.Dialer
			return dl.DialContext(ctx, network, addr)
		},
	}
}
