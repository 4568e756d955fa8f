package config

import (
	"strings"
	"testing"
)

func TestDiscoveryKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"consul", "consul"}, {"etcd", "etcd"}, {"eureka", "eureka"},
		{"zookeeper", "zookeeper"}, {"dnssrv", "dnssrv"}, {"none", ""},
	} {
		o, err := Parse([]byte("name: calc\ndiscovery: "+tc.in+"\n"), FileName)
		if err != nil || o.Discovery != tc.want {
			t.Errorf("discovery: %s: got %q, %v; want %q", tc.in, o.Discovery, err, tc.want)
			continue
		}
		// Marshal writes a registry back and leaves "none" out, so that a
		// file without discovery stays as it was.
		out := string(o.Marshal())
		if has := strings.Contains(out, "\ndiscovery: "+tc.want+"\n"); has != (tc.want != "") {
			t.Errorf("Marshal of discovery %q:\n%s", tc.in, out)
		}
		again, err := Parse(o.Marshal(), FileName)
		if err != nil || again.Discovery != o.Discovery {
			t.Errorf("round trip of discovery %q: %q, %v", tc.in, again.Discovery, err)
		}
	}
	if _, ok := ParseDiscovery("redis"); ok {
		t.Error("ParseDiscovery accepted redis")
	}
}
