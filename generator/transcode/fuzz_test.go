package transcode

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzTemplate parses mutated google.api.http path templates and matches
// mutated request paths against them, as protoparse does at generation and
// the copied router does for every request a generated server gets: no
// template or path may panic, a template that parses has a shape that parses
// again to the same shape, and a matched path binds every variable. The
// router serves the path too. To fuzz:
//
//	go test ./generator/transcode -run '^$' -fuzz FuzzTemplate -fuzztime 2m
func FuzzTemplate(f *testing.F) {
	for _, s := range [][2]string{
		{"/v1/shelves/{shelf}", "/v1/shelves/1"},
		{"/v1/{name=shelves/*/books/*}", "/v1/shelves/1/books/2"},
		{"/v1/{book.name=shelves/*/books/*}", "/v1/shelves/a%2Fb/books/2"},
		{"/v1/{name=shelves/*}:merge", "/v1/shelves/1:merge"},
		{"/v1/{name=shelves/*}:merge", "/v1/shelves/1%3Amerge"}, // an escaped colon is data: no match
		{"/v1/files/{path=**}:download", "/v1/files/a/b/c:download"},
		{"/v1/{name=**}", "/v1"},
		{"/v1/{parent=projects/*/locations/*}/books/{book_id}", "/v1/projects/p/locations/l/books/b"},
		{"/v1/a:b/c", "/v1/a:b/c"},
		{"/v1/*/things", "/v1/%zz/things"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, template, path string) {
		tmpl, err := parsePathTemplate(template)
		if err != nil {
			return
		}
		again, err := parsePathTemplate(tmpl.shape())
		if err != nil {
			t.Fatalf("shape %q of %q does not parse: %v", tmpl.shape(), template, err)
		}
		if again.shape() != tmpl.shape() {
			t.Fatalf("shape %q of %q parses to shape %q", tmpl.shape(), template, again.shape())
		}
		_ = tmpl.moreSpecificThan(again)
		if vars, ok := tmpl.match(path); ok && len(vars) != len(tmpl.vars) {
			t.Fatalf("%q matched %q with %d variables, want %d", path, template, len(vars), len(tmpl.vars))
		}
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \t\r\n#?") {
			return
		}
		if _, err := url.Parse("http://x" + path); err != nil {
			return // no server hands such a request to a handler
		}
		rt := NewRouter()
		rt.Handle(http.MethodGet, template, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = pathVarsFrom(r.Context())
		}))
		req := httptest.NewRequest(http.MethodGet, "http://x"+path, nil)
		rt.ServeHTTP(httptest.NewRecorder(), req)
	})
}
