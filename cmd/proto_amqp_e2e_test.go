package cmd

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kitforge/kitforge/internal/testinfra"
)

// protoAMQPClient calls every unary rpc of the shop services (protoNATSProto)
// through the generated AMQP clients: "unserved" calls before any instance
// has declared its queues, "calls" makes the ordinary calls and the error
// cases (protoShopCallsSource) and one that outlasts its timeout, "delete" deletes the Reserve queue (as an operator might),
// "inflight" makes 20 slow calls at once.
const protoAMQPClient = `package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	amqptransport "github.com/go-kit/kit/transport/amqp"
	amqp "github.com/rabbitmq/amqp091-go"
	"google.golang.org/grpc/status"

	"example.com/shop/pkg/inventoryendpoint"
	"example.com/shop/pkg/inventorytransport"
	"example.com/shop/pkg/ordersendpoint"
	shopv1 "example.com/shop/pkg/pb/shop/v1"
	"example.com/shop/pkg/orderstransport"
)

func main() {
	conn, err := amqp.Dial(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		panic(err)
	}
	timeout := amqptransport.PublisherTimeout(10 * time.Second)
	orders, err := orderstransport.NewAMQPClient(ch, "", timeout)
	if err != nil {
		panic(err)
	}
	inventory, err := inventorytransport.NewAMQPClient(ch, "", timeout)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	switch os.Args[2] {
	case "unserved":
		start := time.Now()
		_, err := inventory.Reserve(ctx, &shopv1.ReserveRequest{Sku: "A-1", Qty: 1})
		reportStatus("unserved", err)
		fmt.Printf("unserved fast=%v\n", time.Since(start) < 5*time.Second)
	case "calls":
		nobody, err := orderstransport.NewAMQPClient(ch, "nobody.", timeout)
		if err != nil {
			panic(err)
		}
		shopCalls(ctx, orders, inventory, nobody)
		impatient, err := orderstransport.NewAMQPClient(ch, "", amqptransport.PublisherTimeout(100*time.Millisecond))
		if err != nil {
			panic(err)
		}
		_, err = impatient.CreateOrder(ctx, &shopv1.CreateOrderRequest{Sku: "slow", Qty: 1000})
		reportStatus("timeout", err)
	case "reserve":
		served := map[string]int{}
		for i := 0; i < 10; i++ {
			r, err := inventory.Reserve(ctx, &shopv1.ReserveRequest{Sku: "A-1", Qty: 3})
			if err != nil {
				panic(err)
			}
			served[r.GetInstance()]++
		}
		fmt.Printf("inventory a=%d b=%d\n", served["a"], served["b"])
	case "delete":
		if _, err := ch.QueueDelete(inventorytransport.AMQPQueue("", "Reserve"), false, false, false); err != nil {
			panic(err)
		}
	case "inflight":
		shopInflight(ctx, orders)
	}
}
`

// TestProtoAMQPEndToEnd: kitforge new --proto (HTTP and gRPC), then
// generate --transport grpc,amqp (HTTP's files are deleted, kitforge.yaml
// records [grpc, amqp]); two instances of the service against a real
// RabbitMQ, called through the generated AMQP clients of both services:
// a call nobody serves fails at once with Unavailable, every unary rpc,
// both instances served (competing consumers), errors come back as gRPC
// statuses with their code and message, a call that outlasts its timeout is
// DeadlineExceeded, each call of the kitforge:async rpc is handled once,
// both instances consume again after a broker restart and after one
// service's queue is deleted, and SIGTERM during calls loses none. Dropping
// amqp then deletes the AMQP files and the server still builds.
func TestProtoAMQPEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated proto service against RabbitMQ; skipped with -short")
	}
	broker := testinfra.RabbitMQ(t)
	bin, work, mod := newProtoShop(t)

	out := run(t, mod, bin, "generate", "--transport", "grpc,amqp")
	amqpFiles := []string{"pkg/orderstransport/amqp_gen.go", "pkg/inventorytransport/amqp_gen.go"}
	for _, f := range amqpFiles {
		if !strings.Contains(out, "created    "+f) {
			t.Errorf("generate --transport grpc,amqp did not report creating %s:\n%s", f, out)
		}
	}
	if !strings.Contains(out, "deleted    pkg/orderstransport/http_gen.go") {
		t.Errorf("generate --transport grpc,amqp did not delete HTTP's files:\n%s", out)
	}
	if !strings.Contains(out, "streaming rpcs are not carried over AMQP (request/reply is unary): Orders.WatchOrders") {
		t.Errorf("generate did not note that AMQP does not carry the streaming rpc:\n%s", out)
	}
	cfg, err := os.ReadFile(filepath.Join(mod, "kitforge.yaml"))
	must(t, err)
	if !strings.Contains(string(cfg), "transports: [grpc, amqp]") {
		t.Errorf("kitforge.yaml does not record the transports generated:\n%s", cfg)
	}

	svcBin, clientBin := buildProtoShop(t, work, mod, "amqpclient", protoAMQPClient)
	help, _ := exec.Command(svcBin, "-help").CombinedOutput()
	for _, flag := range []string{"-amqp-url", "-amqp-queue-prefix", "-amqp-prefetch", "-grpc-addr"} {
		if !strings.Contains(string(help), flag) {
			t.Errorf("the server has no %s flag:\n%s", flag, help)
		}
	}

	// No instance has declared the queues yet: the broker returns the
	// request (mandatory) and the call fails at once instead of timing out.
	out = run(t, work, clientBin, broker.URL, "unserved")
	for _, want := range []string{"unserved: status=true code=Unavailable msg=no queue shop.v1.Inventory.Reserve (NO_ROUTE): is the service running?", "unserved fast=true"} {
		if !strings.Contains(out, want) {
			t.Errorf("a call nobody serves: output lacks %q:\n%s", want, out)
		}
	}

	events := map[string]string{"a": filepath.Join(work, "a.events"), "b": filepath.Join(work, "b.events")}
	grpcAddr := func() string { return "127.0.0.1:" + strconv.Itoa(freePort(t)) }
	a := startServiceWith(t, svcBin, []string{"INSTANCE=a", "EVENTS_FILE=" + events["a"]}, "-amqp-url", broker.URL, "-grpc-addr", grpcAddr())
	b := startServiceWith(t, svcBin, []string{"INSTANCE=b", "EVENTS_FILE=" + events["b"], "AMQP_URL=" + broker.URL}, "-grpc-addr", grpcAddr())
	waitLog(t, a, "msg=consuming")
	waitLog(t, b, "msg=consuming")
	if strings.Contains(a.log(), "guest:guest") {
		t.Errorf("the log shows the broker password:\n%s", a.log())
	}
	if !strings.Contains(a.log(), "queues=shop.v1.Orders.* queues=shop.v1.Inventory.*") {
		t.Errorf("instance a does not log the queues of both services:\n%s", a.log())
	}

	out = run(t, work, clientBin, broker.URL, "calls")
	checkShopCalls(t, out, "competing consumers",
		"nobody: status=true code=Unavailable msg=no queue nobody.shop.v1.Orders.GetOrder (NO_ROUTE): is the service running?",
		"timeout: status=true code=DeadlineExceeded msg=context deadline exceeded")
	eventsHandledOnce(t, events, 50)

	// A broker restart: both instances reconnect, with backoff, and serve again.
	restartRabbitMQ(t, broker, a, b)
	out = run(t, work, clientBin, broker.URL, "reserve")
	if servedA, servedB := protoAMQPServed(t, out, "inventory"); servedA == 0 || servedB == 0 {
		t.Errorf("after the broker restart: instance a served %d and b %d of 10 calls; want both > 0", servedA, servedB)
	}

	// A deleted queue cancels the consumers of one service: the instances
	// consume every service's queues again, declaring it anew.
	run(t, work, clientBin, broker.URL, "delete")
	waitLogCount(t, a, "msg=consuming", 3, 20*time.Second)
	waitLogCount(t, b, "msg=consuming", 3, 20*time.Second)
	out = run(t, work, clientBin, broker.URL, "reserve")
	if servedA, servedB := protoAMQPServed(t, out, "inventory"); servedA == 0 || servedB == 0 {
		t.Errorf("after the queue was deleted: instance a served %d and b %d of 10 calls; want both > 0", servedA, servedB)
	}

	// SIGTERM one instance while slow calls are in flight: none is lost, and
	// the instance did serve some of them (it finished them before exiting).
	sigtermShopInstance(t, a, clientBin, broker.URL)
	b.stop()

	// Dropping amqp deletes its files and takes it out of the server.
	out = run(t, mod, bin, "generate", "--transport", "grpc")
	for _, f := range amqpFiles {
		if !strings.Contains(out, "deleted    "+f) {
			t.Errorf("generate --transport grpc did not report deleting %s:\n%s", f, out)
		}
		if _, err := os.Stat(filepath.Join(mod, f)); !os.IsNotExist(err) {
			t.Errorf("%s is still there after dropping its transport", f)
		}
	}
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/shop")
	if help, _ := exec.Command(svcBin, "-help").CombinedOutput(); strings.Contains(string(help), "-amqp-url") {
		t.Errorf("the server still has -amqp-url without AMQP:\n%s", help)
	}
}

// buildProtoShop writes the e2e implementations of the shop services and a
// client command named client (source, with inflightSource and
// protoShopCallsSource), vets the module, and builds the server and the
// client into work.
func buildProtoShop(t *testing.T, work, mod, client, source string) (svcBin, clientBin string) {
	t.Helper()
	writeFile(t, filepath.Join(mod, "pkg", "ordersservice", "service_impl.go"), protoNATSOrders)
	writeFile(t, filepath.Join(mod, "pkg", "inventoryservice", "service_impl.go"), protoNATSInventory)
	writeFile(t, filepath.Join(mod, "cmd", client, "main.go"), source+inflightSource+protoShopCallsSource)
	run(t, mod, "go", "vet", "./...")
	svcBin, clientBin = filepath.Join(work, "shop-bin"), filepath.Join(work, client)
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/shop")
	run(t, mod, "go", "build", "-o", clientBin, "./cmd/"+client)
	return svcBin, clientBin
}

// checkShopCalls checks the output of shopCalls (protoShopCallsSource) and
// holds the lines want besides: both instances served each service (how
// names the sharing), every ordinary call answered, the error cases came
// back with their gRPC status.
func checkShopCalls(t *testing.T, out, how string, want ...string) {
	t.Helper()
	for _, svc := range []string{"orders", "inventory"} {
		if servedA, servedB := protoAMQPServed(t, out, svc); servedA == 0 || servedB == 0 || servedA+servedB != 40 {
			t.Errorf("%s of %s: instance a served %d and b %d of 40 calls; want both > 0\n%s", how, svc, servedA, servedB, out)
		}
	}
	for _, w := range append([]string{
		"create id=o-A-1 sku=A-1 qty=2 err=<nil>",
		"cancel err=<nil>",
		"tracked=50",
		`missing: status=true code=NotFound msg=no order "missing"`,
		"invalid: status=true code=InvalidArgument msg=qty must be positive, got 0",
	}, want...) {
		if !strings.Contains(out, w) {
			t.Errorf("client output lacks %q:\n%s", w, out)
		}
	}
}

// sigtermShopInstance sends SIGTERM to instance a while slow calls are in
// flight (sigtermDuringCalls: none is lost) and checks that a served some of
// them, finishing them before it exited cleanly.
func sigtermShopInstance(t *testing.T, a *service, clientBin, url string) {
	t.Helper()
	before := strings.Count(a.log(), "method=CreateOrder")
	sigtermDuringCalls(t, a, clientBin, url, "inflight")
	if strings.Count(a.log(), "method=CreateOrder") == before {
		t.Errorf("instance a served none of the in-flight calls, so its shutdown was not tested:\n%s", a.log())
	}
	if !strings.Contains(a.log(), "shut down") {
		t.Errorf("instance a did not log a clean shutdown:\n%s", a.log())
	}
}

// restartRabbitMQ stops the broker, waits until instance a has noticed,
// starts it again and waits until a and b, which had consumed once, consume
// again (they reconnect with backoff).
func restartRabbitMQ(t *testing.T, broker *testinfra.Server, a, b *service) {
	t.Helper()
	broker.Stop()
	waitLog(t, a, "msg=disconnected")
	must(t, broker.Start())
	waitLogCount(t, a, "msg=consuming", 2, 45*time.Second)
	waitLogCount(t, b, "msg=consuming", 2, 45*time.Second)
}

// protoAMQPServed reads the "<svc> a=N b=M" line of the client's output.
func protoAMQPServed(t *testing.T, out, svc string) (a, b int) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, svc+" "); ok {
			if _, err := fmt.Sscanf(rest, "a=%d b=%d", &a, &b); err != nil {
				t.Fatalf("client output %q: %v", line, err)
			}
		}
	}
	return a, b
}

// protoShopCallsSource is appended to the main.go of the proto e2e clients
// (NATS, AMQP): shopCalls calls every unary rpc of the shop services through
// their endpoint Sets, the typed clients the transports return, and prints
// what comes back: which instance served 40 calls of each service, the
// ordinary calls, 50 async calls, and the status of the error cases (nobody
// is an Orders client that no instance serves).
const protoShopCallsSource = `
// shopCalls makes the ordinary calls and the error cases.
func shopCalls(ctx context.Context, orders ordersendpoint.Set, inventory inventoryendpoint.Set, nobody ordersendpoint.Set) {
	served := map[string]int{}
	for i := 0; i < 40; i++ {
		o, err := orders.GetOrder(ctx, &shopv1.GetOrderRequest{Id: fmt.Sprint(i)})
		if err != nil || o.GetId() != fmt.Sprint(i) {
			panic(fmt.Sprint(o, err))
		}
		served[o.GetInstance()]++
		r, err := inventory.Reserve(ctx, &shopv1.ReserveRequest{Sku: "A-1", Qty: 3})
		if err != nil || !r.GetOk() {
			panic(fmt.Sprint(r, err))
		}
		served["inventory-"+r.GetInstance()]++
	}
	fmt.Printf("orders a=%d b=%d\n", served["a"], served["b"])
	fmt.Printf("inventory a=%d b=%d\n", served["inventory-a"], served["inventory-b"])
	o, err := orders.CreateOrder(ctx, &shopv1.CreateOrderRequest{Sku: "A-1", Qty: 2})
	fmt.Printf("create id=%s sku=%s qty=%d err=%v\n", o.GetId(), o.GetSku(), o.GetQty(), err)
	_, err = orders.CancelOrder(ctx, &shopv1.GetOrderRequest{Id: "o-A-1"})
	fmt.Printf("cancel err=%v\n", err)
	for i := 0; i < 50; i++ {
		if _, err := orders.TrackEvent(ctx, &shopv1.Event{Name: fmt.Sprintf("ev-%d", i)}); err != nil {
			panic(err)
		}
	}
	fmt.Println("tracked=50")
	_, err = orders.GetOrder(ctx, &shopv1.GetOrderRequest{Id: "missing"})
	reportStatus("missing", err)
	_, err = orders.CreateOrder(ctx, &shopv1.CreateOrderRequest{Sku: "A-1"})
	reportStatus("invalid", err)
	_, err = nobody.GetOrder(ctx, &shopv1.GetOrderRequest{Id: "1"})
	reportStatus("nobody", err)
}

// shopInflight makes 20 slow calls at once (see inflight).
func shopInflight(ctx context.Context, orders ordersendpoint.Set) {
	inflight(func(i int) error {
		_, err := orders.CreateOrder(ctx, &shopv1.CreateOrderRequest{Sku: fmt.Sprint(i), Qty: 1000})
		return err
	})
}

// reportStatus prints the gRPC status of err.
func reportStatus(name string, err error) {
	st, ok := status.FromError(err)
	fmt.Printf("%s: status=%v code=%s msg=%s\n", name, ok, st.Code(), st.Message())
}
`
