package difftest

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-kit/kit/endpoint"
	httptransport "github.com/go-kit/kit/transport/http"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/protoparse"
	"github.com/kitforge/kitforge/generator/transcode"
)

// protoFiles are the test protos, relative to testdata/proto.
var protoFiles = []string{"difftest/v1/echo.proto", "difftest/v1/bench.proto"}

// loaded is what kitforge's own proto loader makes of the test protos,
// loaded once per test binary.
var loaded = sync.OnceValues(func() (*protoparse.Result, error) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs("testdata/proto")
	if err != nil {
		return nil, err
	}
	return protoparse.Load(context.Background(), protoparse.Config{
		Dir: dir, Files: protoFiles, ModuleRoot: root, Module: "github.com/kitforge/kitforge", PBDir: "pkg/pb",
		ServicePackage: func(name string) (string, string, string) {
			return "github.com/kitforge/kitforge/pkg/" + name + "service", name + "service", "pkg/" + name + "service"
		},
	})
})

// loadServices returns the services kitforge's loader found, which checks
// every binding as `kitforge generate` does.
func loadServices(t testing.TB) []*protoparse.Service {
	t.Helper()
	res, err := loaded()
	if err != nil {
		t.Fatalf("kitforge refuses the test protos: %v", err)
	}
	return res.Services
}

// unaryCaller calls one unary rpc of an implementation in-process.
type unaryCaller func(ctx context.Context, req proto.Message) (proto.Message, error)

// descCaller calls an rpc through its grpc.MethodDesc handler, as a gRPC
// server would, the request through its binary encoding as over the wire
// (proto.Merge would lose a -0 double, which the wire keeps).
func descCaller(impl any, md grpc.MethodDesc) unaryCaller {
	return func(ctx context.Context, req proto.Message) (proto.Message, error) {
		out, err := md.Handler(impl, ctx, func(in any) error {
			b, err := proto.Marshal(req)
			if err != nil {
				return err
			}
			return proto.Unmarshal(b, in.(proto.Message))
		}, nil)
		if err != nil {
			return nil, err
		}
		return out.(proto.Message), nil
	}
}

// kitforgeHandler serves services as kitforge's generated http_gen.go
// does: a transcode.Router with one Go kit HTTP server per binding, in the
// order kitforge generates them, decoding with DecodeRequest, encoding
// with EncodeResponse and EncodeError. caller finds an rpc's
// implementation by service and rpc name. Streaming rpcs with a
// google.api.http rule are served with transcode.ServeServerStream and
// ServeClientStream, as generated code's NewHTTPStreamHandler does.
func kitforgeHandler(t testing.TB, services []*protoparse.Service, caller func(service, rpc string) unaryCaller, streams map[string]http.HandlerFunc) http.Handler {
	t.Helper()
	r := transcode.NewRouter()
	for _, s := range services {
		for _, m := range s.Methods {
			if m.Model.Kind != model.Unary {
				continue
			}
			call := caller(s.FullName, m.ProtoName)
			ep := endpoint.Endpoint(func(ctx context.Context, req any) (any, error) { return call(ctx, req.(proto.Message)) })
			mt, err := protoregistry.GlobalTypes.FindMessageByName(m.Desc.Input().FullName())
			if err != nil {
				t.Fatal(err)
			}
			newMessage := func() proto.Message { return mt.New().Interface() }
			for _, b := range m.Model.HTTP {
				r.Handle(b.Verb, b.Path, httptransport.NewServer(ep,
					transcode.DecodeRequest(newMessage, b.Body),
					transcode.EncodeResponse(b.ResponseBody),
					httptransport.ServerErrorEncoder(transcode.EncodeError)))
			}
		}
		// Streams with a binding, as generated code serves them
		// (NewHTTPStreamHandler): server and client streams.
		for _, m := range s.Methods {
			h := streams[string(m.Desc.FullName())]
			if m.Model.Kind == model.Unary || h == nil {
				continue
			}
			for _, b := range m.Model.HTTP {
				r.Handle(b.Verb, b.Path, h)
			}
		}
	}
	return r
}

// compiledRule is the google.api.http rule of an rpc, read from the
// compiled-in descriptor (kitforge's loader reads options dynamically).
func compiledRule(t testing.TB, name protoreflect.FullName) *annotations.HttpRule {
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(name)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := proto.GetExtension(d.Options(), annotations.E_Http).(*annotations.HttpRule)
	return r
}

// echoStreams are kitforge's handlers of the Echo service's server streams.
func echoStreams(impl EchoServer) map[string]http.HandlerFunc {
	decode := transcode.DecodeRequest(func() proto.Message { return new(EchoRequest) }, "")
	return map[string]http.HandlerFunc{
		"kitforge.difftest.v1.Echo.Watch": func(w http.ResponseWriter, r *http.Request) {
			transcode.ServeServerStream(w, r, decode, impl.Watch)
		},
		"kitforge.difftest.v1.Echo.Collect": func(w http.ResponseWriter, r *http.Request) {
			transcode.ServeClientStream(w, r, func() proto.Message { return new(EchoRequest) }, impl.Collect)
		},
	}
}

// methodDescs indexes the unary rpcs of gRPC service descriptions by
// service and rpc name.
func methodDescs(descs ...*grpc.ServiceDesc) map[string]grpc.MethodDesc {
	out := map[string]grpc.MethodDesc{}
	for _, d := range descs {
		for _, m := range d.Methods {
			out[d.ServiceName+"/"+m.MethodName] = m
		}
	}
	return out
}

// specJSON is the gateway's marshaler set to protojson's defaults, which
// are the proto3 JSON mapping's: unset fields left out, unknown fields
// refused. grpc-gateway's own default emits unset fields and discards
// unknown ones.
var specJSON = &runtime.JSONPb{MarshalOptions: protojson.MarshalOptions{}, UnmarshalOptions: protojson.UnmarshalOptions{}}

// startGRPC serves the echo implementation on 127.0.0.1 and returns its
// address.
func startGRPC(t testing.TB, impl EchoServer) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	RegisterEchoServer(s, impl)
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	return lis.Addr().String()
}

// gatewayHandler is grpc-gateway's reverse proxy of the Echo service at
// addr, with the generated RegisterEchoHandlerFromEndpoint.
func gatewayHandler(t testing.TB, addr string, opts ...runtime.ServeMuxOption) http.Handler {
	t.Helper()
	mux := runtime.NewServeMux(opts...)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := RegisterEchoHandlerFromEndpoint(ctx, mux, addr, []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}); err != nil {
		t.Fatal(err)
	}
	return mux
}

// committedGoFile reads a committed generated file of this package.
func committedGoFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fullName is a method's full proto name.
func fullName(md protoreflect.MethodDescriptor) string { return string(md.FullName()) }

// trimGenerated drops the header lines in which generators name their
// versions, which differ between protoc and kitforge's in-process compiler.
func trimGenerated(b []byte) string {
	var keep []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "// \tprotoc ") || strings.HasPrefix(line, "// - protoc ") ||
			strings.HasPrefix(line, "// \tprotoc-gen-go ") || strings.HasPrefix(line, "// - protoc-gen-go") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}
