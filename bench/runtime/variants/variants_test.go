package variants

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// call is one of the benchmark's requests and the body every variant answers.
type call struct {
	method, path, body, want string
}

var calls = []call{
	{"POST", "/sum", `{"a":1,"b":2}`, "{\"v\":3}\n"},
	{"POST", "/concat", `{"a":"foo","b":"bar"}`, "{\"v\":\"foobar\"}\n"},
	{"GET", "/greet/ann", "", "{\"v\":\"hello, ann\"}\n"},
}

// TestVariantsAgree checks that every variant answers the benchmark's
// requests with the same status, content type and bytes.
func TestVariantsAgree(t *testing.T) {
	for _, v := range ofProtocol(HTTP) {
		h := v.Handler()
		for _, c := range calls {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, strings.NewReader(c.body)))
			if rec.Code != http.StatusOK || rec.Body.String() != c.want || rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("%s %s %s: %d %q (%s), want 200 %q", v.Name, c.method, c.path, rec.Code, rec.Body, rec.Header().Get("Content-Type"), c.want)
			}
		}
	}
}

// BenchmarkHandler serves the benchmark's three requests in turn to each
// variant's handler, in-process, with a reused request and response writer,
// so that ns/op and allocs/op are the handler's own cost (the net/http server
// around it, the same for every variant, is not included; cmd/load measures
// it). Use it for exact allocations and for profiles:
//
//	go test ./variants -run '^$' -bench Handler -benchmem -count 5
//	go test ./variants -run '^$' -bench 'Handler/kitforge$' -cpuprofile cpu.out -memprofile mem.out
func BenchmarkHandler(b *testing.B) {
	for _, v := range ofProtocol(HTTP) {
		b.Run(v.Name, func(b *testing.B) { benchHandler(b, v.Handler()) })
	}
}

// ofProtocol returns the variants of All and Proposals that speak protocol.
func ofProtocol(protocol string) []Variant {
	var out []Variant
	for _, v := range append(All[:len(All):len(All)], Proposals...) {
		if v.Protocol == protocol {
			out = append(out, v)
		}
	}
	return out
}

// benchHandler serves the three requests in turn to h with a reused request
// and response writer.
func benchHandler(b *testing.B, h http.Handler) {
	reqs := make([]*http.Request, len(calls))
	bodies := make([]*rewindBody, len(calls))
	for i, c := range calls {
		bodies[i] = &rewindBody{data: []byte(c.body)}
		reqs[i] = httptest.NewRequest(c.method, c.path, nil)
		reqs[i].Body, reqs[i].ContentLength = bodies[i], int64(len(c.body))
	}
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i % len(calls)
		i++
		bodies[k].Reset()
		reqs[k].Body = bodies[k] // the handler's body limit wrapped the last one
		w.reset()
		h.ServeHTTP(w, reqs[k])
		if w.code != http.StatusOK {
			b.Fatalf("%s: status %d: %s", calls[k].path, w.code, w.body.String())
		}
	}
}

// rewindBody is a request body that can be read again after Reset.
type rewindBody struct {
	data []byte
	r    bytes.Reader
}

func (b *rewindBody) Reset()                     { b.r.Reset(b.data) }
func (b *rewindBody) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *rewindBody) Close() error               { return nil }

// discardWriter is a reusable http.ResponseWriter that keeps the status and
// the body.
type discardWriter struct {
	h    http.Header
	code int
	body bytes.Buffer
}

func (w *discardWriter) reset() {
	clear(w.h)
	w.code = 0
	w.body.Reset()
}

func (w *discardWriter) Header() http.Header { return w.h }

func (w *discardWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}
