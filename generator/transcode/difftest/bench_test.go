package difftest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"

	"github.com/kitforge/kitforge/generator/protoparse"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// benchHandlers are kitforge's router and codec and grpc-gateway's
// runtime over the Bench service's 50 bindings, both calling the
// implementation in-process (no gRPC hop), both with protojson's defaults.
func benchHandlers(b *testing.B) map[string]http.Handler {
	impl := benchServer{}
	methods := benchMethods(impl)
	var services []*protoparse.Service
	for _, s := range loadServices(b) {
		if s.FullName == "kitforge.difftest.v1.Bench" {
			services = append(services, s)
		}
	}
	kf := kitforgeHandler(b, services, func(_, rpc string) unaryCaller {
		m := methods[rpc]
		return func(ctx context.Context, req proto.Message) (proto.Message, error) {
			return m(ctx, req.(*BenchRequest))
		}
	}, nil)
	gw := runtime.NewServeMux(runtime.WithMarshalerOption(runtime.MIMEWildcard, specJSON))
	if err := RegisterBenchHandlerServer(context.Background(), gw, impl); err != nil {
		b.Fatal(err)
	}
	return map[string]http.Handler{"kitforge": kf, "grpc-gateway": gw}
}

// benchBody is a JSON BenchRequest of about size bytes.
func benchBody(size int) []byte {
	req := &BenchRequest{Filter: "state=active"}
	for i := 0; ; i++ {
		req.Items = append(req.Items, &Item{Name: fmt.Sprintf("items/%06d", i), Number: int64(i) * 7919, Score: float64(i) / 3, Tags: []string{"alpha", "beta", "gamma"}})
		if b := must(protojson.Marshal(req)); len(b) >= size {
			return b
		}
	}
}

// discard is a ResponseWriter that keeps only the status.
type discard struct {
	h      http.Header
	status int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(s int)           { d.status = s }

// BenchmarkTranscode compares kitforge's transcoding router and codec with
// grpc-gateway's runtime on the same requests: a GET routed among 50
// bindings (path variables and query parameters), and POSTs of a 1 KB and a
// 64 KB JSON body (decoded, echoed, encoded).
func BenchmarkTranscode(b *testing.B) {
	handlers := benchHandlers(b)
	cases := []struct {
		name, method, target string
		body                 []byte
	}{
		{"route-get", "GET", "/v1/projects/p1/res24/r9?pageSize=10&filter=state%3Dactive", nil},
		{"body-1KB", "POST", "/v1/projects/p1/res24", benchBody(1 << 10)},
		{"body-64KB", "POST", "/v1/projects/p1/res24", benchBody(64 << 10)},
	}
	for _, c := range cases {
		for _, side := range []string{"kitforge", "grpc-gateway"} {
			b.Run(c.name+"/"+side, func(b *testing.B) {
				h := handlers[side]
				r := httptest.NewRequest(c.method, c.target, nil)
				if c.body != nil {
					r.Header.Set("Content-Type", "application/json")
				}
				body := bytes.NewReader(c.body)
				w := &discard{h: http.Header{}}
				b.SetBytes(int64(len(c.body)))
				b.ReportAllocs()
				for b.Loop() {
					body.Reset(c.body)
					r.Body = io.NopCloser(body)
					clear(w.h)
					w.status = 0
					h.ServeHTTP(w, r)
					if w.status != 0 && w.status != http.StatusOK {
						b.Fatalf("status %d", w.status)
					}
				}
			})
		}
	}
}
