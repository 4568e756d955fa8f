package cmd

import (
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
// "calls" makes the ordinary calls and the error cases (protoShopCallsSource),
// "inflight" 20 slow calls at once.
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

	"example.com/shop/pkg/inventoryendpoint"
	"example.com/shop/pkg/inventorytransport"
	"example.com/shop/pkg/ordersendpoint"
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
		shopCalls(ctx, orders, inventory, orderstransport.NewNATSClient(nc, "nobody.", timeout))
	case "inflight":
		shopInflight(ctx, orders)
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
	dropped := []string{"pkg/orderstransport/http_gen.go", "pkg/internal/transcode/transcode_gen.go", "pkg/orderstransport/grpc_gen.go", "pkg/inventorytransport/grpc_gen.go"}
	for _, f := range dropped {
		if _, err := os.Stat(filepath.Join(mod, f)); err != nil {
			t.Fatalf("kitforge new did not generate %s: %v", f, err)
		}
	}

	// Drop HTTP and gRPC for NATS: a regenerate that deletes their files.
	out := run(t, mod, bin, "generate", "--transport", "nats")
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

	svcBin, clientBin := buildProtoShop(t, work, mod, "natsclient", protoNATSClient)
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
	checkShopCalls(t, out, "queue group", "nobody: status=true code=Unavailable msg=nats: no responders available for request: is the service running?")

	eventsHandledOnce(t, events, 50)

	// SIGTERM one instance while slow calls are in flight: none is lost, and
	// the instance did serve some of them (it finished them before exiting).
	sigtermShopInstance(t, a, clientBin, broker.URL)
	b.stop()
}
