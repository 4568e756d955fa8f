package cmd

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kitforge/kitforge/internal/testinfra"
)

// natsImpl implements the example service so that tests can see which
// instance served a call (Greet), slow calls down (Sum with a == 1000) and
// count fire-and-forget events (Notify appends to EVENTS_FILE).
const natsImpl = `// Scaffolded by kitforge: this file is yours to edit.

package calcservice

import (
	"context"
	"os"
	"time"
)

type basicService struct{}

// New returns the calc service implementation.
func New() Service { return basicService{} }

// Sum returns a + b; a == 1000 is slow, negative numbers are refused.
func (s basicService) Sum(ctx context.Context, a, b int) (int, error) {
	if a < 0 {
		return 0, Errorf(422, "negative numbers are not supported")
	}
	if a == 1000 {
		time.Sleep(700 * time.Millisecond)
	}
	return a + b, nil
}

// Greet says which instance served it.
func (s basicService) Greet(ctx context.Context, name string, excited bool) (string, error) {
	return name + "@" + os.Getenv("INSTANCE"), nil
}

// Notify appends the event to EVENTS_FILE.
func (s basicService) Notify(ctx context.Context, event string) error {
	f, err := os.OpenFile(os.Getenv("EVENTS_FILE"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString(event + "\n")
	return err
}
`

// natsClient drives the service through the generated NATS client:
// "calls" makes the ordinary calls, "inflight" makes 20 slow calls at once.
const natsClient = `package main

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
	natstransport "github.com/go-kit/kit/transport/nats"
	"github.com/nats-io/nats.go"
)

func main() {
	nc, err := nats.Connect(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer nc.Close()
	c := calctransport.NewNATSClient(nc, "", natstransport.PublisherTimeout(10*time.Second))
	ctx := context.Background()
	switch os.Args[2] {
	case "calls":
		served := map[string]int{}
		for i := 0; i < 40; i++ {
			g, err := c.Greet(ctx, "ann", false)
			if err != nil {
				panic(err)
			}
			served[g[strings.Index(g, "@")+1:]]++
		}
		fmt.Printf("served a=%d b=%d\n", served["a"], served["b"])
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
	case "inflight":
		inflight(func(i int) error {
			_, err := c.Sum(ctx, 1000, i)
			return err
		})
	}
}
`

// TestNATSEndToEnd runs two instances of a generated service against a real
// NATS server and calls them through the generated NATS client: both serve
// (queue group), errors come back with their status, a fire-and-forget
// method is handled exactly once, and SIGTERM during calls loses none
// (the connection is drained).
func TestNATSEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service against nats-server; skipped with -short")
	}
	broker := testinfra.NATS(t)
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "calc", "--module", "example.com/calc", "--transport", "http,nats")
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
	must(t, os.MkdirAll(filepath.Join(mod, "cmd", "natsclient"), 0o755))
	must(t, os.WriteFile(filepath.Join(mod, "cmd", "natsclient", "main.go"), []byte(natsClient+inflightSource), 0o644))
	run(t, mod, "go", "vet", "./...")
	svcBin := filepath.Join(work, "calc-bin")
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/calc")
	clientBin := filepath.Join(work, "natsclient")
	run(t, mod, "go", "build", "-o", clientBin, "./cmd/natsclient")

	events := map[string]string{"a": filepath.Join(work, "a.events"), "b": filepath.Join(work, "b.events")}
	a := startServiceWith(t, svcBin, []string{"INSTANCE=a", "EVENTS_FILE=" + events["a"]}, "-nats-url", broker.URL)
	b := startServiceWith(t, svcBin, []string{"INSTANCE=b", "EVENTS_FILE=" + events["b"]}, "-nats-url", broker.URL)
	// Connected (not just started: the connection is made in the background),
	// so both instances are in the queue group before the first call.
	waitLog(t, a, "msg=connected")
	waitLog(t, b, "msg=connected")

	out := run(t, work, clientBin, broker.URL, "calls")
	var servedA, servedB int
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "served ") {
			if _, err := fmt.Sscanf(line, "served a=%d b=%d", &servedA, &servedB); err != nil {
				t.Fatalf("client output %q: %v", line, err)
			}
		}
	}
	if servedA == 0 || servedB == 0 || servedA+servedB != 40 {
		t.Errorf("queue group: instance a served %d and b %d of 40 calls; want both > 0\n%s", servedA, servedB, out)
	}
	for _, want := range []string{"sum=5 err=<nil>", "negative: code=422 msg=negative numbers are not supported", "notified=50"} {
		if !strings.Contains(out, want) {
			t.Errorf("client output lacks %q:\n%s", want, out)
		}
	}

	// Each fire-and-forget event is handled by exactly one instance, once.
	eventsHandledOnce(t, events, 50)

	// SIGTERM one instance while slow calls are in flight: none is lost.
	sigtermDuringCalls(t, a, clientBin, broker.URL, "inflight")
	b.stop()
}

// waitLog waits until the service has logged want.
func waitLog(t *testing.T, s *service, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(s.log(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("service never logged %q:\n%s", want, s.log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sigtermDuringCalls runs the client binary with args, whose "inflight"
// mode makes 20 slow calls at once and prints "inflight ok=N failed=M", and
// sends SIGTERM to s while they are in flight: no call may fail, and s must
// exit cleanly (it finishes the calls it has before it exits).
func sigtermDuringCalls(t *testing.T, s *service, client string, args ...string) {
	t.Helper()
	inflight := exec.Command(client, args...)
	var buf strings.Builder
	inflight.Stdout, inflight.Stderr = &buf, &buf
	must(t, inflight.Start())
	time.Sleep(250 * time.Millisecond)
	must(t, s.cmd.Process.Signal(syscall.SIGTERM))
	if err := inflight.Wait(); err != nil {
		t.Fatalf("inflight client: %v\n%s", err, buf.String())
	}
	if !strings.Contains(buf.String(), "inflight ok=20 failed=0") {
		t.Errorf("calls were lost during SIGTERM:\n%s\ninstance logs:\n%s", buf.String(), s.log())
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("the instance exited with %v after SIGTERM", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the instance did not exit after SIGTERM")
	}
}

// inflightSource is appended to the main.go of the e2e clients: their
// "inflight" mode makes 20 calls at once and reports how many failed (see
// sigtermDuringCalls).
const inflightSource = `
// inflight makes 20 calls at once, call(0) to call(19), and prints how many
// succeeded and how many failed.
func inflight(call func(i int) error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, failed := 0, 0
	for i := 0; i < 20; i++ {
		wg.Go(func() {
			err := call(i)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
				fmt.Println("error:", err)
				return
			}
			ok++
		})
	}
	wg.Wait()
	fmt.Printf("inflight ok=%d failed=%d\n", ok, failed)
}
`
