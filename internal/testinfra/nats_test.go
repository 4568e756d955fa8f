package testinfra

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

func TestNATS(t *testing.T) {
	s := NATS(t)
	nc, err := nats.Connect(s.URL, nats.Timeout(5*time.Second), nats.MaxReconnects(0))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()

	// Request/reply, what go-kit transport/nats does.
	sub, err := nc.Subscribe("calc.sum", func(m *nats.Msg) { m.Respond(append([]byte("sum:"), m.Data...)) })
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	reply, err := nc.Request("calc.sum", []byte("1+2"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if string(reply.Data) != "sum:1+2" {
		t.Fatalf("reply %q", reply.Data)
	}

	checkStops(t, s)
}
