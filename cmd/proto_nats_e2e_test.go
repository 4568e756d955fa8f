package cmd

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/internal/testinfra"
)

// protoNATSProto declares two services: Orders (unary rpcs, an Empty
// response, a streaming rpc NATS does not carry) and Inventory.
const protoNATSProto = `syntax = "proto3";

package shop.v1;

import "google/api/annotations.proto";
import "google/protobuf/empty.proto";

// Orders takes and tracks orders.
service Orders {
  // CreateOrder places an order.
  rpc CreateOrder(CreateOrderRequest) returns (Order) {
    option (google.api.http) = {
      post: "/v1/orders"
      body: "*"
    };
  }
  // GetOrder returns one order.
  rpc GetOrder(GetOrderRequest) returns (Order) {
    option (google.api.http) = {get: "/v1/orders/{id}"};
  }
  // CancelOrder cancels an order.
  rpc CancelOrder(GetOrderRequest) returns (google.protobuf.Empty) {
    option (google.api.http) = {delete: "/v1/orders/{id}"};
  }
  // TrackEvent records an event; callers do not wait for it.
  //
  // kitforge:async
  rpc TrackEvent(Event) returns (google.protobuf.Empty);
  // WatchOrders streams the orders as they change.
  rpc WatchOrders(google.protobuf.Empty) returns (stream Order);
}

// Inventory reserves stock.
service Inventory {
  // Reserve holds qty items of a sku.
  rpc Reserve(ReserveRequest) returns (ReserveResponse);
}

message CreateOrderRequest {
  string sku = 1;
  int32 qty = 2;
}

message GetOrderRequest {
  string id = 1;
}

message Order {
  string id = 1;
  string sku = 2;
  int32 qty = 3;
  // instance is the instance that served the call.
  string instance = 4;
}

message Event {
  string name = 1;
}

message ReserveRequest {
  string sku = 1;
  int32 qty = 2;
}

message ReserveResponse {
  bool ok = 1;
  string instance = 2;
}
`

// protoNATSOrders implements Orders: each reply names its instance,
// qty 1000 is slow, id "missing" is NotFound, events are appended to
// EVENTS_FILE.
const protoNATSOrders = `package ordersservice

import (
	"context"
	"os"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	shopv1 "example.com/shop/pkg/pb/shop/v1"
)

type basicService struct{}

// New returns the Orders implementation.
func New() Service { return basicService{} }

func (basicService) CreateOrder(_ context.Context, in *shopv1.CreateOrderRequest) (*shopv1.Order, error) {
	if in.GetQty() <= 0 {
		return nil, status.Errorf(codes.InvalidArgument, "qty must be positive, got %d", in.GetQty())
	}
	if in.GetQty() == 1000 {
		time.Sleep(700 * time.Millisecond)
	}
	return &shopv1.Order{Id: "o-" + in.GetSku(), Sku: in.GetSku(), Qty: in.GetQty(), Instance: os.Getenv("INSTANCE")}, nil
}

func (basicService) GetOrder(_ context.Context, in *shopv1.GetOrderRequest) (*shopv1.Order, error) {
	if in.GetId() == "missing" {
		return nil, status.Errorf(codes.NotFound, "no order %q", in.GetId())
	}
	return &shopv1.Order{Id: in.GetId(), Instance: os.Getenv("INSTANCE")}, nil
}

func (basicService) CancelOrder(_ context.Context, in *shopv1.GetOrderRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (basicService) TrackEvent(_ context.Context, in *shopv1.Event) (*emptypb.Empty, error) {
	f, err := os.OpenFile(os.Getenv("EVENTS_FILE"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	_, err = f.WriteString(in.GetName() + "\n")
	return &emptypb.Empty{}, err
}

func (basicService) WatchOrders(in *emptypb.Empty, stream WatchOrdersStream) error {
	return ErrNotImplemented
}
`

// protoNATSInventory implements Inventory.
const protoNATSInventory = `package inventoryservice

import (
	"context"
	"os"

	shopv1 "example.com/shop/pkg/pb/shop/v1"
)

type basicService struct{}

// New returns the Inventory implementation.
func New() Service { return basicService{} }

func (basicService) Reserve(_ context.Context, in *shopv1.ReserveRequest) (*shopv1.ReserveResponse, error) {
	return &shopv1.ReserveResponse{Ok: in.GetQty() < 10, Instance: os.Getenv("INSTANCE")}, nil
}
`

// protoNATSClient calls every unary rpc through the generated NATS clients:
// "calls" makes the ordinary calls and the error cases, "inflight" 20 slow
// calls at once.
const protoNATSClient = `package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	natstransport "github.com/go-kit/kit/transport/nats"
	"github.com/nats-io/nats.go"
	"google.golang.org/grpc/status"

	"example.com/shop/pkg/inventorytransport"
	shopv1 "example.com/shop/pkg/pb/shop/v1"
	"example.com/shop/pkg/orderstransport"
)

func main() {
	nc, err := nats.Connect(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer nc.Close()
	timeout := natstransport.PublisherTimeout(10 * time.Second)
	orders := orderstransport.NewNATSClient(nc, "", timeout)
	inventory := inventorytransport.NewNATSClient(nc, "", timeout)
	ctx := context.Background()
	switch os.Args[2] {
	case "calls":
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
		for _, call := range []struct {
			name string
			err  error
		}{
			{"missing", func() error { _, err := orders.GetOrder(ctx, &shopv1.GetOrderRequest{Id: "missing"}); return err }()},
			{"invalid", func() error { _, err := orders.CreateOrder(ctx, &shopv1.CreateOrderRequest{Sku: "A-1"}); return err }()},
			{"nobody", func() error {
				_, err := orderstransport.NewNATSClient(nc, "nobody.", timeout).GetOrder(ctx, &shopv1.GetOrderRequest{Id: "1"})
				return err
			}()},
		} {
			st, ok := status.FromError(call.err)
			fmt.Printf("%s: status=%v code=%s msg=%s\n", call.name, ok, st.Code(), st.Message())
		}
	case "inflight":
		inflight(func(i int) error {
			_, err := orders.CreateOrder(ctx, &shopv1.CreateOrderRequest{Sku: fmt.Sprint(i), Qty: 1000})
			return err
		})
	}
}
`

// TestProtoNATSEndToEnd: kitforge new --proto (HTTP and gRPC), then
// generate --transport nats, which drops both (their files are deleted,
// kitforge.yaml records [nats]); two instances of the service against a real
// NATS server, called through the generated NATS clients of both services:
// every unary rpc, both instances served (queue groups), errors come back as
// gRPC statuses with their code and message (the service's, and Unavailable
// when nobody subscribes), each call of the kitforge:async rpc is handled
// once, and SIGTERM during calls loses none (drain).
func TestProtoNATSEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated proto service against nats-server; skipped with -short")
	}
	broker := testinfra.NATS(t)
	bin, work, mod := newProtoShop(t)
	dropped := []string{"pkg/orderstransport/http_gen.go", "pkg/orderstransport/transcode_gen.go", "pkg/orderstransport/grpc_gen.go", "pkg/inventorytransport/grpc_gen.go"}
	for _, f := range dropped {
		if _, err := os.Stat(filepath.Join(mod, f)); err != nil {
			t.Fatalf("kitforge new did not generate %s: %v", f, err)
		}
	}

	// Drop HTTP and gRPC for NATS: a regenerate that deletes their files.
	cmd := exec.Command(bin, "generate", "--transport", "nats")
	cmd.Dir = mod
	outb, err := cmd.CombinedOutput()
	out := string(outb)
	if err != nil {
		t.Fatalf("kitforge generate --transport nats: %v\n%s", err, out)
	}
	for _, f := range dropped {
		if !strings.Contains(out, "deleted    "+f) {
			t.Errorf("generate --transport nats did not report deleting %s:\n%s", f, out)
		}
		if _, err := os.Stat(filepath.Join(mod, f)); !os.IsNotExist(err) {
			t.Errorf("%s is still there after dropping its transport", f)
		}
	}
	if !strings.Contains(out, "streaming rpcs are not carried over NATS (request/reply is unary): Orders.WatchOrders") {
		t.Errorf("generate did not note that NATS does not carry the streaming rpc:\n%s", out)
	}
	cfg, err := os.ReadFile(filepath.Join(mod, "kitforge.yaml"))
	must(t, err)
	if !strings.Contains(string(cfg), "transports: [nats]") {
		t.Errorf("kitforge.yaml does not record the transports generated:\n%s", cfg)
	}

	writeFile(t, filepath.Join(mod, "pkg", "ordersservice", "service_impl.go"), protoNATSOrders)
	writeFile(t, filepath.Join(mod, "pkg", "inventoryservice", "service_impl.go"), protoNATSInventory)
	writeFile(t, filepath.Join(mod, "cmd", "natsclient", "main.go"), protoNATSClient+inflightSource)
	run(t, mod, "go", "vet", "./...")
	svcBin := filepath.Join(work, "shop-bin")
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/shop")
	clientBin := filepath.Join(work, "natsclient")
	run(t, mod, "go", "build", "-o", clientBin, "./cmd/natsclient")
	help, _ := exec.Command(svcBin, "-help").CombinedOutput()
	for _, flag := range []string{"-nats-url", "-nats-subject-prefix"} {
		if !strings.Contains(string(help), flag) {
			t.Errorf("the server has no %s flag:\n%s", flag, help)
		}
	}
	if strings.Contains(string(help), "-grpc-addr") {
		t.Errorf("the server still has -grpc-addr without gRPC:\n%s", help)
	}

	events := map[string]string{"a": filepath.Join(work, "a.events"), "b": filepath.Join(work, "b.events")}
	a := startServiceWith(t, svcBin, []string{"INSTANCE=a", "EVENTS_FILE=" + events["a"]}, "-nats-url", broker.URL)
	b := startServiceWith(t, svcBin, []string{"INSTANCE=b", "EVENTS_FILE=" + events["b"]}, "-nats-url", broker.URL)
	waitLog(t, a, "msg=connected")
	waitLog(t, b, "msg=connected")

	out = run(t, work, clientBin, broker.URL, "calls")
	for _, svc := range []string{"orders", "inventory"} {
		var servedA, servedB int
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, svc+" ") {
				if _, err := fmt.Sscanf(line, svc+" a=%d b=%d", &servedA, &servedB); err != nil {
					t.Fatalf("client output %q: %v", line, err)
				}
			}
		}
		if servedA == 0 || servedB == 0 || servedA+servedB != 40 {
			t.Errorf("queue group of %s: instance a served %d and b %d of 40 calls; want both > 0\n%s", svc, servedA, servedB, out)
		}
	}
	for _, want := range []string{
		"create id=o-A-1 sku=A-1 qty=2 err=<nil>",
		"cancel err=<nil>",
		"tracked=50",
		`missing: status=true code=NotFound msg=no order "missing"`,
		"invalid: status=true code=InvalidArgument msg=qty must be positive, got 0",
		"nobody: status=true code=Unavailable msg=nats: no responders available for request: is the service running?",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("client output lacks %q:\n%s", want, out)
		}
	}

	eventsHandledOnce(t, events, 50)

	// SIGTERM one instance while slow calls are in flight: none is lost, and
	// the instance did serve some of them (it finished them before exiting).
	before := strings.Count(a.log(), "method=CreateOrder")
	sigtermDuringCalls(t, a, clientBin, broker.URL, "inflight")
	if strings.Count(a.log(), "method=CreateOrder") == before {
		t.Errorf("instance a served none of the in-flight calls, so its drain was not tested:\n%s", a.log())
	}
	if !strings.Contains(a.log(), "shut down") {
		t.Errorf("instance a did not log a clean shutdown:\n%s", a.log())
	}
	b.stop()
}
