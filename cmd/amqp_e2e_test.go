package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kitforge/kitforge/internal/testinfra"
)

// amqpClient drives the service through the generated AMQP client:
// "unserved" calls before any instance has declared its queues, "calls"
// makes the ordinary calls, "greet" asks both instances to answer,
// "delete" deletes the Greet queue (as an operator might), "inflight" makes
// 20 slow calls at once.
const amqpClient = `package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"example.com/calc/pkg/calcservice"
	"example.com/calc/pkg/calctransport"
	amqptransport "github.com/go-kit/kit/transport/amqp"
	amqp "github.com/rabbitmq/amqp091-go"
)

func main() {
	conn, err := amqp.Dial(os.Args[1])
	if err != nil {
		panic(err)
	}
	ch, err := conn.Channel()
	if err != nil {
		panic(err)
	}
	c, err := calctransport.NewAMQPClient(ch, "", amqptransport.PublisherTimeout(10*time.Second))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	greet := func(n int) {
		served := map[string]int{}
		for i := 0; i < n; i++ {
			g, err := c.Greet(ctx, "ann", false)
			if err != nil {
				panic(err)
			}
			served[g[strings.Index(g, "@")+1:]]++
		}
		fmt.Printf("served a=%d b=%d\n", served["a"], served["b"])
	}
	switch os.Args[2] {
	case "unserved":
		start := time.Now()
		_, err := c.Sum(ctx, 2, 3)
		var se *calcservice.StatusError
		if errors.As(err, &se) {
			fmt.Printf("unserved: code=%d fast=%v\n", se.Code, time.Since(start) < 5*time.Second)
		} else {
			fmt.Printf("unserved: %v\n", err)
		}
	case "calls":
		greet(40)
		sum, err := c.Sum(ctx, 2, 3)
		fmt.Printf("sum=%d err=%v\n", sum, err)
		_, err = c.Sum(ctx, -1, 3)
		var se *calcservice.StatusError
		if errors.As(err, &se) {
			fmt.Printf("negative: code=%d msg=%s\n", se.Code, se.Message)
		}
		for i := 0; i < 50; i++ {
			if err := c.Notify(ctx, fmt.Sprintf("ev-%d", i)); err != nil {
				panic(err)
			}
		}
		fmt.Println("notified=50")
	case "greet":
		greet(10)
	case "delete":
		if _, err := ch.QueueDelete(calctransport.AMQPQueue("", "Greet"), false, false, false); err != nil {
			panic(err)
		}
	case "inflight":
		inflight(func(i int) error {
			_, err := c.Sum(ctx, 1000, i)
			return err
		})
	}
	// Closing the channel first makes sure the broker has routed every
	// message published on it (async ones included).
	if err := ch.Close(); err != nil {
		panic(err)
	}
	if err := conn.Close(); err != nil {
		panic(err)
	}
}
`

// TestAMQPEndToEnd runs two instances of a generated service against a real
// RabbitMQ and calls them through the generated AMQP client: a call nobody
// serves fails at once with 503, both instances serve (competing consumers),
// errors come back with their status, a fire-and-forget method is handled
// exactly once, both reconnect after a broker restart and consume again
// after their queue is deleted, and SIGTERM during calls loses none
// (consuming stops, deliveries in flight are finished).
// The service is natsImpl, NATS's end-to-end implementation.
func TestAMQPEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service against RabbitMQ; skipped with -short")
	}
	broker := testinfra.RabbitMQ(t)
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "calc", "--module", "example.com/calc", "--transport", "http,amqp")
	mod := filepath.Join(work, "calc")
	iface := filepath.Join(mod, "pkg", "calcservice", "service.go")
	src, err := os.ReadFile(iface)
	must(t, err)
	must(t, os.WriteFile(iface, []byte(strings.Replace(string(src), "\t// Greet returns", `	// Notify records an event; callers do not wait for it.
	//
	// kitforge:async
	Notify(ctx context.Context, event string) error

	// Greet returns`, 1)), 0o644))
	run(t, mod, bin, "generate")
	must(t, os.WriteFile(filepath.Join(mod, "pkg", "calcservice", "service_impl.go"), []byte(natsImpl), 0o644))
	must(t, os.MkdirAll(filepath.Join(mod, "cmd", "amqpclient"), 0o755))
	must(t, os.WriteFile(filepath.Join(mod, "cmd", "amqpclient", "main.go"), []byte(amqpClient+inflightSource), 0o644))
	run(t, mod, "go", "vet", "./...")
	svcBin := filepath.Join(work, "calc-bin")
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/calc")
	clientBin := filepath.Join(work, "amqpclient")
	run(t, mod, "go", "build", "-o", clientBin, "./cmd/amqpclient")

	// No instance has declared the queues yet: the broker returns the
	// request (mandatory) and the call fails at once instead of timing out.
	if out := run(t, work, clientBin, broker.URL, "unserved"); !strings.Contains(out, "unserved: code=503 fast=true") {
		t.Errorf("a call nobody serves: %s", out)
	}

	events := map[string]string{"a": filepath.Join(work, "a.events"), "b": filepath.Join(work, "b.events")}
	a := startServiceWith(t, svcBin, []string{"INSTANCE=a", "EVENTS_FILE=" + events["a"]}, "-amqp-url", broker.URL)
	b := startServiceWith(t, svcBin, []string{"INSTANCE=b", "EVENTS_FILE=" + events["b"], "AMQP_URL=" + broker.URL})
	waitLog(t, a, "msg=consuming")
	waitLog(t, b, "msg=consuming")
	if strings.Contains(a.log(), "guest:guest") {
		t.Errorf("the log shows the broker password:\n%s", a.log())
	}

	out := run(t, work, clientBin, broker.URL, "calls")
	if servedA, servedB := amqpServed(t, out); servedA == 0 || servedB == 0 || servedA+servedB != 40 {
		t.Errorf("competing consumers: instance a served %d and b %d of 40 calls; want both > 0\n%s", servedA, servedB, out)
	}
	for _, want := range []string{"sum=5 err=<nil>", "negative: code=422 msg=negative numbers are not supported", "notified=50"} {
		if !strings.Contains(out, want) {
			t.Errorf("client output lacks %q:\n%s", want, out)
		}
	}
	eventsHandledOnce(t, events, 50)

	// A broker restart: both instances reconnect, with backoff, and serve again.
	restartRabbitMQ(t, broker, a, b)
	out = run(t, work, clientBin, broker.URL, "greet")
	if servedA, servedB := amqpServed(t, out); servedA == 0 || servedB == 0 {
		t.Errorf("after the broker restart: instance a served %d and b %d of 10 calls; want both > 0", servedA, servedB)
	}

	// A deleted queue cancels its consumers: the instances consume again,
	// declaring it anew.
	run(t, work, clientBin, broker.URL, "delete")
	waitLogCount(t, a, "msg=consuming", 3, 20*time.Second)
	waitLogCount(t, b, "msg=consuming", 3, 20*time.Second)
	out = run(t, work, clientBin, broker.URL, "greet")
	if servedA, servedB := amqpServed(t, out); servedA == 0 || servedB == 0 {
		t.Errorf("after the queue was deleted: instance a served %d and b %d of 10 calls; want both > 0", servedA, servedB)
	}

	// SIGTERM one instance while slow calls are in flight: none is lost.
	sigtermDuringCalls(t, a, clientBin, broker.URL, "inflight")
	// a was handling some of the slow calls when it got SIGTERM, and finished them.
	if n := strings.Count(a.log(), "a=1000"); n == 0 {
		t.Errorf("instance a served none of the in-flight calls, so its shutdown was not tested:\n%s", a.log())
	}
	b.stop()
}

// amqpServed reads the "served a=N b=M" line of the client's output.
func amqpServed(t *testing.T, out string) (a, b int) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "served ") {
			if _, err := fmt.Sscanf(line, "served a=%d b=%d", &a, &b); err != nil {
				t.Fatalf("client output %q: %v", line, err)
			}
		}
	}
	return a, b
}

// eventsHandledOnce waits until n distinct events are in the instances' event
// files and checks that each was handled exactly once.
func eventsHandledOnce(t *testing.T, files map[string]string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var seen map[string]int
	for {
		seen = map[string]int{}
		for _, f := range files {
			data, _ := os.ReadFile(f)
			for _, ev := range strings.Fields(string(data)) {
				seen[ev]++
			}
		}
		if len(seen) == n || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(seen) != n {
		t.Errorf("%d of %d async events were handled", len(seen), n)
	}
	for ev, k := range seen {
		if k != 1 {
			t.Errorf("event %s handled %d times, want once", ev, k)
		}
	}
}

// waitLogCount waits until the service has logged want at least n times.
func waitLogCount(t *testing.T, s *service, want string, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for strings.Count(s.log(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("service logged %q %d times, want %d:\n%s", want, strings.Count(s.log(), want), n, s.log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
