package testinfra

import (
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
)

func TestZooKeeper(t *testing.T) {
	s := ZooKeeper(t)
	conn, events, err := zk.Connect([]string{s.Addr}, 2*time.Second, zk.WithLogInfo(false))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	waitZKSession(t, events)

	// What go-kit sd/zk does: a persistent parent and an ephemeral
	// sequential node per instance under it.
	if _, err := conn.Create("/services", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Create("/services/calc", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	path, err := conn.Create("/services/calc/instance-", []byte("127.0.0.1:8080"),
		zk.FlagEphemeral|zk.FlagSequence, zk.WorldACL(zk.PermAll))
	if err != nil {
		t.Fatal(err)
	}
	children, _, err := conn.Children("/services/calc")
	if err != nil {
		t.Fatal(err)
	}
	if len(children) != 1 || "/services/calc/"+children[0] != path {
		t.Fatalf("children %v, created %s", children, path)
	}
	data, _, err := conn.Get(path)
	if err != nil || string(data) != "127.0.0.1:8080" {
		t.Fatalf("get %s: %q, %v", path, data, err)
	}

	// The ephemeral node goes with its session.
	conn.Close()
	conn2, events2, err := zk.Connect([]string{s.Addr}, 2*time.Second, zk.WithLogInfo(false))
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	waitZKSession(t, events2)
	children, _, err = conn2.Children("/services/calc")
	if err != nil || len(children) != 0 {
		t.Fatalf("after its session closed: %v, %v", children, err)
	}
	conn2.Close()

	checkStops(t, s)
}

// waitZKSession waits until a ZooKeeper connection has its session.
func waitZKSession(t *testing.T, events <-chan zk.Event) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.State == zk.StateHasSession {
				return
			}
		case <-timeout:
			t.Fatal("no ZooKeeper session after 10s")
		}
	}
}
