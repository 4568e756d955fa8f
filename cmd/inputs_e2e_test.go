package cmd

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The inputs end-to-end test runs a generated Go-interface service as a real
// process and sends it raw HTTP requests, as a browser, a script or an
// attacker would: bodies with the wrong Content-Type, trailing data, unknown
// fields, unrouted paths and methods, a panic, a 1 MB parameter and request
// ids (issue 13, points 4, 5, 6 and 8).

// inputsService is the interface of the test service.
const inputsService = `// Package echoservice echoes.
package echoservice

import "context"

// Service echoes.
//
//kitforge:service
type Service interface {
	// Echo returns s.
	Echo(ctx context.Context, s string) (string, error)
	// Boom panics with a nil pointer dereference.
	//
	// kitforge:http GET /boom
	Boom(ctx context.Context) (string, error)
	// Login checks a password.
	//
	// kitforge:sensitive password
	Login(ctx context.Context, user string, password string) (string, error)
}
`

// inputsImpl implements inputsService.
const inputsImpl = `// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package echoservice

import (
	"context"
	"fmt"
)

type basicService struct{}

// New returns the echo service.
func New() Service { return basicService{} }

func (basicService) Echo(_ context.Context, s string) (string, error) { return s, nil }

func (basicService) Boom(_ context.Context) (string, error) {
	var p *int
	return fmt.Sprint(*p), nil
}

func (basicService) Login(_ context.Context, user, _ string) (string, error) { return "welcome " + user, nil }
`

// rawResponse is what a raw request got back.
type rawResponse struct {
	status int
	header http.Header
	body   string
	json   map[string]any
}

// rawClient gives up on a call that hangs (a server blocked on writing a
// huge log line would), so that the test fails instead.
var rawClient = &http.Client{Timeout: 20 * time.Second}

// rawRequest sends one request with the given Content-Type (none when
// empty) and extra headers, and returns the whole response.
func rawRequest(t *testing.T, method, url, contentType, body string, header map[string]string) rawResponse {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	must(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := rawClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	must(t, err)
	r := rawResponse{status: resp.StatusCode, header: resp.Header, body: string(data)}
	_ = json.Unmarshal(data, &r.json)
	return r
}

func TestInputsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service; skipped with -short")
	}
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "echo", "--module", "example.com/echo")
	mod := filepath.Join(work, "echo")
	writeFile(t, filepath.Join(mod, "pkg", "echoservice", "service.go"), inputsService)
	writeFile(t, filepath.Join(mod, "pkg", "echoservice", "service_impl.go"), inputsImpl)
	run(t, mod, bin, "generate")
	svcBin := filepath.Join(work, "echo-bin")
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/echo")
	s := startService(t, svcBin)
	const jsonType = "application/json"

	t.Run("content types", func(t *testing.T) {
		for _, tt := range []struct {
			contentType string
			status      int
		}{
			{jsonType, 200},
			{"application/json; charset=utf-8", 200},
			{"application/vnd.echo+json", 200},
			{"", 200}, // accepted: scripts often send none (README)
			{"text/plain", 415},
			{"text/plain;charset=UTF-8", 415},
			{"application/x-www-form-urlencoded", 415},
			{"multipart/form-data; boundary=x", 415},
			{"application/xml", 415},
		} {
			r := rawRequest(t, "POST", s.base+"/echo", tt.contentType, `{"s":"hi"}`, nil)
			if r.status != tt.status {
				t.Errorf("Content-Type %q: status %d, want %d (%s)", tt.contentType, r.status, tt.status, r.body)
				continue
			}
			if tt.status == 200 && r.json["v"] != "hi" {
				t.Errorf("Content-Type %q: body %s", tt.contentType, r.body)
			}
			if tt.status == 415 && !strings.Contains(errorText(r), "send application/json") {
				t.Errorf("Content-Type %q: the 415 does not say what to send: %s", tt.contentType, r.body)
			}
		}
	})

	t.Run("strict JSON", func(t *testing.T) {
		for _, tt := range []struct{ body, want string }{
			{`{"s":"hi"} garbage`, "data after the JSON value"},
			{`{"s":"hi"}{"s":"ho"}`, "data after the JSON value"},
			{`{"s":"hi"}}`, "data after the JSON value"},
			{`{"s":"hi","admin":true}`, `unknown field "admin"`},
			{`{"S":"hi"}`, ""}, // encoding/json matches names case-insensitively: not unknown
		} {
			r := rawRequest(t, "POST", s.base+"/echo", jsonType, tt.body, nil)
			if tt.want == "" {
				if r.status != 200 {
					t.Errorf("%s: status %d (%s)", tt.body, r.status, r.body)
				}
				continue
			}
			if r.status != 400 || !strings.Contains(errorText(r), tt.want) {
				t.Errorf("%s: status %d, body %s; want 400 saying %q", tt.body, r.status, r.body, tt.want)
			}
		}
		if r := rawRequest(t, "POST", s.base+"/echo", jsonType, "  \n", nil); r.status != 200 {
			t.Errorf("a blank body: status %d (%s)", r.status, r.body)
		}
	})

	t.Run("routing errors", func(t *testing.T) {
		for _, tt := range []struct {
			method, path string
			status       int
			allow        string
		}{
			{"GET", "/nowhere", 404, ""},
			{"POST", "/echo/extra", 404, ""},
			{"GET", "/echo", 405, "POST"},
			{"DELETE", "/boom", 405, "GET, HEAD"},
			{"POST", "/healthz", 405, "GET, HEAD"},
		} {
			r := rawRequest(t, tt.method, s.base+tt.path, "", "", nil)
			if r.status != tt.status || r.header.Get("Allow") != tt.allow {
				t.Errorf("%s %s: status %d, Allow %q; want %d, %q", tt.method, tt.path, r.status, r.header.Get("Allow"), tt.status, tt.allow)
			}
			if !strings.HasPrefix(r.header.Get("Content-Type"), jsonType) || !strings.Contains(errorText(r), tt.path) {
				t.Errorf("%s %s: not a JSON error naming the path: %s %s", tt.method, tt.path, r.header.Get("Content-Type"), r.body)
			}
			if r.header.Get("X-Request-Id") == "" {
				t.Errorf("%s %s: no X-Request-Id", tt.method, tt.path)
			}
		}
	})

	t.Run("panic", func(t *testing.T) {
		r := rawRequest(t, "GET", s.base+"/boom", "", "", map[string]string{"X-Request-Id": "boom-1"})
		if r.status != 500 || errorText(r) != "internal error (request id boom-1)" {
			t.Errorf("panic: status %d, body %s; want 500 with a generic message and the request id", r.status, r.body)
		}
		if strings.Contains(r.body, "runtime error") || strings.Contains(r.body, "nil pointer") {
			t.Errorf("the panic's message reached the client: %s", r.body)
		}
		if line := logLineWith(s, "panic="); !strings.Contains(line, "nil pointer dereference") || !strings.Contains(line, "request_id=boom-1") || !strings.Contains(line, "stack=") {
			t.Errorf("the panic's log line lacks its message, request id or stack: %.500s", line)
		}
	})

	t.Run("request ids", func(t *testing.T) {
		r := rawRequest(t, "POST", s.base+"/echo", jsonType, `{"s":"x"}`, map[string]string{"X-Request-Id": "req-42"})
		if got := r.header.Get("X-Request-Id"); got != "req-42" {
			t.Errorf("X-Request-Id %q, want the caller's req-42", got)
		}
		if !strings.Contains(logLineWith(s, "request_id=req-42"), "method=Echo") {
			t.Errorf("no log line of Echo with request_id=req-42:\n%s", s.log())
		}
		a := rawRequest(t, "POST", s.base+"/echo", jsonType, `{"s":"x"}`, nil).header.Get("X-Request-Id")
		b := rawRequest(t, "POST", s.base+"/echo", jsonType, `{"s":"x"}`, map[string]string{"X-Request-Id": strings.Repeat("x", 129)}).header.Get("X-Request-Id")
		if a == "" || b == "" || a == b || len(b) > 128 {
			t.Errorf("generated request ids %q and %q: want two different ones (an over-long id is replaced)", a, b)
		}
		if !strings.Contains(s.log(), "request_id="+a) {
			t.Errorf("the generated request id %s is not logged", a)
		}
	})

	t.Run("log values capped, sensitive kept out", func(t *testing.T) {
		big := strings.Repeat("a", 1_000_000)
		r := rawRequest(t, "POST", s.base+"/echo", jsonType, `{"s":"`+big+`"}`, map[string]string{"X-Request-Id": "big-1"})
		if r.status != 200 || r.json["v"] != big {
			t.Fatalf("1 MB parameter: status %d", r.status)
		}
		line := logLineWith(s, "request_id=big-1")
		if len(line) > 2048 || !strings.Contains(line, "…(1000000 bytes)") || !strings.Contains(line, "method=Echo") {
			t.Errorf("the log line of a 1 MB parameter is %d bytes (want < 2048, with the marker …(1000000 bytes)): %.300s", len(line), line)
		}
		r = rawRequest(t, "POST", s.base+"/login", jsonType, `{"user":"ann","password":"hunter2"}`, map[string]string{"X-Request-Id": "login-1"})
		if r.status != 200 {
			t.Fatalf("login: status %d (%s)", r.status, r.body)
		}
		if line := logLineWith(s, "request_id=login-1"); !strings.Contains(line, "user=ann") || strings.Contains(s.log(), "hunter2") {
			t.Errorf("login logged without the user or with the password: %s", line)
		}
	})
	s.stop()
}

// errorText is the "error" member of a JSON error body.
func errorText(r rawResponse) string {
	msg, _ := r.json["error"].(string)
	return msg
}

// logLineWith returns the first line of the service's log that contains
// substr, waiting a little for it (the log is read from a pipe), or "".
func logLineWith(s *service, substr string) string {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, line := range strings.Split(s.log(), "\n") {
			if strings.Contains(line, substr) {
				return line
			}
		}
	}
	return ""
}
