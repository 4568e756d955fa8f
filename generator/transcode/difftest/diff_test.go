package difftest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
)

// outcome is a response reduced to what both sides must agree on: the
// HTTP status, and the JSON body of a success (keys sorted) or the gRPC
// code of an error (messages are each side's own words).
type outcome struct {
	status int
	body   string
}

func (o outcome) String() string { return fmt.Sprintf("%d %s", o.status, o.body) }

// send sends r to the server at base, its target byte for byte.
func send(t testing.TB, base string, r request) outcome {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	path, query, _ := strings.Cut(r.target, "?")
	req, err := http.NewRequest(r.method, base, strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	req.URL = &url.URL{Scheme: u.Scheme, Host: u.Host, Opaque: path, RawQuery: query}
	if r.body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	if r.ctype != "" {
		req.Header.Set("Content-Type", r.ctype)
	}
	if r.accept != "" {
		req.Header.Set("Accept", r.accept)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
	return outcome{status: resp.StatusCode, body: normalize(resp.StatusCode, body)}
}

// normalize reduces a body to what is compared: for an error status, the
// gRPC code name of the error; otherwise every JSON value of the body
// (one, or one per line of a stream) re-encoded with sorted keys, a
// stream's error element reduced to its code.
func normalize(status int, body []byte) string {
	if status >= 400 {
		return "error " + errorCode(body)
	}
	var parts []string
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Sprintf("not JSON: %q", body)
		}
		if obj, ok := v.(map[string]any); ok && len(obj) == 1 && obj["error"] != nil {
			v = "error " + errorCode(must(json.Marshal(obj["error"])))
		}
		parts = append(parts, string(must(json.Marshal(v))))
	}
	return strings.Join(parts, "\n")
}

// errorCode is the gRPC code an error body names: kitforge's
// {"error": {"status": "NOT_FOUND"}} or a google.rpc.Status {"code": 5},
// which grpc-gateway writes.
func errorCode(body []byte) string {
	var e struct {
		Error *struct {
			Status string `json:"status"`
			Code   int    `json:"code"`
		} `json:"error"`
		Status string          `json:"status"`
		Code   json.RawMessage `json:"code"`
	}
	if json.Unmarshal(body, &e) != nil {
		return fmt.Sprintf("(not JSON: %q)", body)
	}
	switch {
	case e.Error != nil && e.Error.Status != "":
		return e.Error.Status
	case e.Error != nil: // grpc-gateway's stream error: a google.rpc.Status
		return codeName(codes.Code(e.Error.Code))
	case e.Status != "":
		return e.Status
	}
	var n int
	if json.Unmarshal(e.Code, &n) != nil {
		return fmt.Sprintf("(no code: %s)", body)
	}
	return codeName(codes.Code(n))
}

// codeName is the google.rpc.Code name of c ("NOT_FOUND"); a number
// outside google.rpc.Code is UNKNOWN, as kitforge names it.
func codeName(c codes.Code) string {
	if c > codes.Unauthenticated {
		return "UNKNOWN"
	}
	var b strings.Builder
	for i, r := range c.String() {
		if r >= 'A' && r <= 'Z' && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	s := strings.ToUpper(b.String())
	if s == "CANCELED" {
		return "CANCELLED"
	}
	return s
}

// corpus is every request of the differential test.
func corpus(t testing.TB) []request {
	return append(generatedCorpus(t), handwrittenCorpus()...)
}

// TestDifferential sends every request of the corpus to kitforge's
// transcoding (the runtime of generated code, on the bindings kitforge's
// loader reads from the test protos) and to grpc-gateway's reverse proxy
// (its generated .pb.gw.go, in front of the same implementation served
// over gRPC on 127.0.0.1), and asserts they agree on the HTTP status and
// the JSON body, except for the requests that show a deliberate
// difference; every listed difference must show in the corpus.
func TestDifferential(t *testing.T) {
	impl := echoServer{}
	descs := methodDescs(&Echo_ServiceDesc)
	kf := httptest.NewServer(kitforgeHandler(t, loadServices(t), func(service, rpc string) unaryCaller {
		return descCaller(impl, descs[service+"/"+rpc])
	}, echoStreams(impl)))
	defer kf.Close()
	addr := startGRPC(t, impl)
	gw := httptest.NewServer(gatewayHandler(t, addr, runtime.WithMarshalerOption(runtime.MIMEWildcard, specJSON)))
	defer gw.Close()
	gwDefault := httptest.NewServer(gatewayHandler(t, addr))
	defer gwDefault.Close()

	reqs := corpus(t)
	if len(reqs) < 300 {
		t.Errorf("the corpus has %d requests, want at least 300", len(reqs))
	}
	agree, deliberate, agreeDefault := 0, map[string]int{}, 0
	for _, r := range reqs {
		k, g := send(t, kf.URL, r), send(t, gw.URL, r)
		if k == send(t, gwDefault.URL, r) {
			agreeDefault++
		}
		if k == g {
			agree++
			continue
		}
		if d := deliberateDifference(r, k, g); d != nil {
			deliberate[d.name]++
			continue
		}
		t.Errorf("%s: %s %s\n  kitforge: %v\n  gateway:  %v", r.name, r.method, r.target, k, g)
	}
	for _, d := range differences {
		if deliberate[d.name] == 0 {
			t.Errorf("deliberate difference %q: no request of the corpus shows it: take it off the list", d.name)
		}
	}
	t.Logf("%d requests: %d agree, %d deliberate differences %v; %d agree with grpc-gateway's default marshaler",
		len(reqs), agree, len(reqs)-agree, deliberate, agreeDefault)
}
