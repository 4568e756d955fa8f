package transcode

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRouter(t *testing.T) {
	rt := NewRouter()
	route := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var vars []string
			for _, v := range pathVarsFrom(r.Context()) {
				vars = append(vars, v.field+"="+v.value)
			}
			w.Header().Set("X-Route", name)
			w.Write([]byte(strings.Join(vars, ",")))
		})
	}
	rt.Handle("GET", "/v1/{name=shelves/*}", route("GetShelf"))
	rt.Handle("GET", "/v1/shelves/special", route("Special"))
	rt.Handle("POST", "/v1/{name=shelves/*}:merge", route("MergeShelves"))
	rt.Handle("POST", "/v1/{name=shelves/*}", route("ReplaceShelf"))
	rt.Handle("DELETE", "/v1/{name=shelves/*}", route("DeleteShelf"))
	rt.Handle("PATCH", "/v1/{book.name=shelves/*/books/*}", route("UpdateBook"))
	rt.Handle("BORROW", "/v1/{name=shelves/*/books/*}:borrow", route("BorrowBook"))
	rt.Handle("GET", "/v1/files/{path=**}", route("GetFile"))
	rt.Handle("*", "/v1/any/{x}", route("Any"))
	rt.Handle("POST", "/test.library.v1.Library/Ping", route("Ping"))

	tests := []struct {
		method, path string
		status       int
		route, vars  string
		allow        string
	}{
		{"GET", "/v1/shelves/1", 200, "GetShelf", "name=shelves/1", ""},
		{"GET", "/v1/shelves/special", 200, "Special", "", ""},
		{"POST", "/v1/shelves/1:merge", 200, "MergeShelves", "name=shelves/1", ""},
		{"POST", "/v1/shelves/1", 200, "ReplaceShelf", "name=shelves/1", ""},
		{"DELETE", "/v1/shelves/1", 200, "DeleteShelf", "name=shelves/1", ""},
		{"PATCH", "/v1/shelves/1/books/2", 200, "UpdateBook", "book.name=shelves/1/books/2", ""},
		{"BORROW", "/v1/shelves/1/books/2:borrow", 200, "BorrowBook", "name=shelves/1/books/2", ""},
		{"GET", "/v1/files/a/b/c.txt", 200, "GetFile", "path=a/b/c.txt", ""},
		{"PUT", "/v1/any/1", 200, "Any", "x=1", ""},
		{"POST", "/test.library.v1.Library/Ping", 200, "Ping", "", ""},
		{"GET", "/v1/nothing", 404, "", "", ""},
		{"GET", "/v1/shelves/1/books/2/pages", 404, "", "", ""},
		{"PUT", "/v1/shelves/1", 405, "", "", "GET, POST, DELETE"},
		{"GET", "/v1/shelves/1:merge", 200, "GetShelf", "name=shelves/1:merge", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := serve(rt, tt.method, tt.path, "")
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.status != 200 {
				var body httpErrorBody
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Code != tt.status {
					t.Errorf("error body %q (%v)", w.Body, err)
				}
				if got := w.Header().Get("Allow"); got != tt.allow {
					t.Errorf("Allow = %q, want %q", got, tt.allow)
				}
				return
			}
			if got := w.Header().Get("X-Route"); got != tt.route {
				t.Errorf("route %s, want %s", got, tt.route)
			}
			if w.Body.String() != tt.vars {
				t.Errorf("vars %q, want %q", w.Body, tt.vars)
			}
		})
	}
}

func TestRouterPanics(t *testing.T) {
	for _, tt := range []struct{ first, second string }{
		{"/v1/{name=shelves/*}", "/v1/{parent=shelves/*}"},
		{"/v1/{x}", "/v1/{y=*}"},
		{"/v1/{a", ""},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s then %s: no panic", tt.first, tt.second)
				}
			}()
			rt := NewRouter()
			rt.Handle("GET", tt.first, http.NotFoundHandler())
			rt.Handle("GET", tt.second, http.NotFoundHandler())
		}()
	}
}

func TestRouterNext(t *testing.T) {
	a, b := NewRouter(), NewRouter()
	a.Handle("GET", "/v1/a/{x}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("a")) }))
	b.Handle("POST", "/v1/b", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("b")) }))
	h := WithNext(a, b)
	for _, tt := range []struct {
		method, path, body string
		code               int
	}{
		{"GET", "/v1/a/1", "a", 200},
		{"POST", "/v1/b", "b", 200},
		{"GET", "/v1/c", "", 404},
		{"POST", "/v1/a/1", "", 405}, // a allows GET there; b has no route: 405 with a's methods
	} {
		w := serve(h, tt.method, tt.path, "")
		if w.Code != tt.code || tt.code == 200 && w.Body.String() != tt.body {
			t.Errorf("%s %s: %d %q", tt.method, tt.path, w.Code, w.Body)
		}
	}
	if w := serve(h, "DELETE", "/v1/a/1", ""); w.Header().Get("Allow") != "GET" {
		t.Errorf("Allow %q after the chain", w.Header().Get("Allow"))
	}
	if len(a.routes) != 1 || a.next != nil {
		t.Error("WithNext changed the original router")
	}
	// A chain gets its next at its end: a → b → c.
	c := NewRouter()
	c.Handle("PUT", "/v1/c", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("c")) }))
	abc := WithNext(h, c)
	for _, req := range [][3]string{{"GET", "/v1/a/1", "a"}, {"POST", "/v1/b", "b"}, {"PUT", "/v1/c", "c"}} {
		if w := serve(abc, req[0], req[1], ""); w.Code != 200 || w.Body.String() != req[2] {
			t.Errorf("chain a → b → c: %s %s: %d %q", req[0], req[1], w.Code, w.Body)
		}
	}
	if w := serve(h, "PUT", "/v1/c", ""); w.Code != 404 {
		t.Errorf("WithNext changed the chain it extended: PUT /v1/c on a → b answered %d", w.Code)
	}
	if WithNext(http.NotFoundHandler(), b) == nil {
		t.Error("WithNext dropped a handler that is not a router")
	}
}

// TestRouterSplitsThePathOnce checks that routing among many templates
// costs the same few allocations as among one: the path is split once,
// not once per template.
func TestRouterSplitsThePathOnce(t *testing.T) {
	rt := NewRouter()
	for i := range 50 {
		rt.Handle("GET", fmt.Sprintf("/v1/projects/{project}/res%02d/{id}", i), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	}
	r := httptest.NewRequest("GET", "/v1/projects/p/res49/x", nil)
	w := httptest.NewRecorder()
	if n := testing.AllocsPerRun(100, func() { rt.ServeHTTP(w, r) }); n > 8 {
		t.Errorf("routing among 50 templates allocates %v times, want at most 8", n)
	}
}
