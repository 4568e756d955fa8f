package transcode

import (
	"slices"
	"strings"
	"testing"
)

func TestParsePathTemplate(t *testing.T) {
	tests := []struct {
		template string
		fields   []string
		verb     string
		shape    string
		err      string
	}{
		{template: "/v1/shelves", shape: "/v1/shelves"},
		{template: "/v1/shelves/{shelf}", fields: []string{"shelf"}, shape: "/v1/shelves/*"},
		{template: "/v1/{name=shelves/*}", fields: []string{"name"}, shape: "/v1/shelves/*"},
		{template: "/v1/{name=shelves/*/books/*}", fields: []string{"name"}, shape: "/v1/shelves/*/books/*"},
		{template: "/v1/{book.name=shelves/*/books/*}", fields: []string{"book.name"}, shape: "/v1/shelves/*/books/*"},
		{template: "/v1/{name=shelves/*}:merge", fields: []string{"name"}, verb: "merge", shape: "/v1/shelves/*:merge"},
		{template: "/v1/{name=**}", fields: []string{"name"}, shape: "/v1/**"},
		{template: "/v1/files/{path=**}:download", fields: []string{"path"}, verb: "download", shape: "/v1/files/**:download"},
		{template: "/v1/{parent=projects/*/locations/*}/books/{book_id}", fields: []string{"parent", "book_id"}, shape: "/v1/projects/*/locations/*/books/*"},
		{template: "/v1/*/things", shape: "/v1/*/things"},
		{template: "/v1/things:batchGet", verb: "batchGet", shape: "/v1/things:batchGet"},
		{template: "/acme.users.v1.Users/GetUser", shape: "/acme.users.v1.Users/GetUser"},
		{template: "/v1/a:b/c", shape: "/v1/a:b/c"},

		{template: "v1/shelves", err: "must start with /"},
		{template: "/", err: "empty segment"},
		{template: "/v1//shelves", err: "empty segment"},
		{template: "/v1/shelves/", err: "empty segment"},
		{template: "/v1/{name", err: "unclosed {"},
		{template: "/v1/name}", err: "unbalanced }"},
		{template: "/v1/x{name}", err: "whole segment"},
		{template: "/v1/{name}x", err: "whole segment"},
		{template: "/v1/{a={b}}", err: "must not nest"},
		{template: "/v1/{a.}", err: "not a field path"},
		{template: "/v1/{1a}", err: "not a field path"},
		{template: "/v1/{a}/{a}", err: "bound twice"},
		{template: "/v1/{name=}", err: "empty pattern"},
		{template: "/v1/**/books", err: "** must be the last"},
		{template: "/v1/{name=**}/books", err: "** must be the last"},
		{template: "/v1/things:", err: "bad custom verb"},
		{template: "/v1/a*b", err: "bad literal"},
		{template: "/{A=:}", err: "would read as a custom verb"},
		{template: "/v1/{name=things/a:b}", err: "would read as a custom verb"},
		{template: "/v1/a%3Ab", err: "would read as a custom verb"},
		{template: "/v1/{name=things/a:b}:cancel", err: "would read as a custom verb"},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			got, err := ParseTemplate(tt.template)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Fields, tt.fields) || got.Verb != tt.verb || got.Shape != tt.shape {
				t.Errorf("got fields %q verb %q shape %q, want %q %q %q", got.Fields, got.Verb, got.Shape, tt.fields, tt.verb, tt.shape)
			}
		})
	}
}

func TestTemplateMatch(t *testing.T) {
	tests := []struct {
		template, path string
		want           []pathVar // nil: no match
	}{
		{"/v1/shelves", "/v1/shelves", []pathVar{}},
		{"/v1/shelves", "/v1/shelves/", nil},
		{"/v1/shelves", "/v1/shelf", nil},
		{"/v1/shelves/{shelf}", "/v1/shelves/1", []pathVar{{"shelf", "1"}}},
		{"/v1/shelves/{shelf}", "/v1/shelves/", nil},
		{"/v1/shelves/{shelf}", "/v1/shelves/1/books", nil},
		// Single-segment variables are fully decoded, %2F included.
		{"/v1/shelves/{shelf}", "/v1/shelves/a%2Fb%20c", []pathVar{{"shelf", "a/b c"}}},
		// Resource names with slashes.
		{"/v1/{name=shelves/*}", "/v1/shelves/7", []pathVar{{"name", "shelves/7"}}},
		{"/v1/{name=shelves/*}", "/v1/books/7", nil},
		{"/v1/{name=shelves/*/books/*}", "/v1/shelves/7/books/9", []pathVar{{"name", "shelves/7/books/9"}}},
		{"/v1/{book.name=shelves/*/books/*}", "/v1/shelves/7/books/9", []pathVar{{"book.name", "shelves/7/books/9"}}},
		// Multi-segment variables keep %2F but decode the rest.
		{"/v1/{name=shelves/*}", "/v1/shelves/a%2Fb%20c", []pathVar{{"name", "shelves/a%2Fb c"}}},
		// ** takes the rest of the path, slashes included.
		{"/v1/{name=**}", "/v1/a/b/c", []pathVar{{"name", "a/b/c"}}},
		{"/v1/files/{path=**}", "/v1/files/", nil},
		{"/v1/files/{path=**}", "/v1/files", []pathVar{{"path", ""}}},
		{"/v1/{name=shelves/**}", "/v1/shelves/1/books/2", []pathVar{{"name", "shelves/1/books/2"}}},
		// Custom verbs.
		{"/v1/{name=shelves/*}:merge", "/v1/shelves/1:merge", []pathVar{{"name", "shelves/1"}}},
		// An escaped colon is data, not the verb's separator.
		{"/v1/{name=shelves/*}:merge", "/v1/shelves/1%3Amerge", nil},
		{"/v1/{name=shelves/*}", "/v1/shelves/1%3Amerge", []pathVar{{"name", "shelves/1:merge"}}},
		{"/v1/{name=shelves/*}:merge", "/v1/shelves/1", nil},
		{"/v1/{name=shelves/*}:merge", "/v1/shelves/1:split", nil},
		{"/v1/{path=**}:download", "/v1/a/b:download", []pathVar{{"path", "a/b"}}},
		{"/v1/things:batchGet", "/v1/things:batchGet", []pathVar{}},
		// A colon in a template without a verb is plain text.
		{"/v1/{name=shelves/*}", "/v1/shelves/1:merge", []pathVar{{"name", "shelves/1:merge"}}},
		// Several variables, nested fields.
		{"/v1/{parent=projects/*/locations/*}/books/{book.id}", "/v1/projects/p/locations/l/books/b1",
			[]pathVar{{"parent", "projects/p/locations/l"}, {"book.id", "b1"}}},
		// Escaped literals match their decoded form.
		{"/v1/caf%C3%A9", "/v1/caf%C3%A9", []pathVar{}},
		{"/v1/{x}", "/v1/%zz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.template+" "+tt.path, func(t *testing.T) {
			tmpl, err := parsePathTemplate(tt.template)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := tmpl.match(tt.path)
			if tt.want == nil {
				if ok {
					t.Fatalf("matched with %v, want no match", got)
				}
				return
			}
			if !ok {
				t.Fatal("no match")
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("vars = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMoreSpecific(t *testing.T) {
	tests := []struct{ a, b string }{
		{"/v1/{name=shelves/*}:merge", "/v1/{name=shelves/*}"},
		{"/v1/shelves/special", "/v1/shelves/{id}"},
		{"/v1/shelves/{id}", "/v1/{name=**}"},
		{"/v1/shelves/{id}/books", "/v1/shelves/{id}/{x=**}"},
	}
	for _, tt := range tests {
		a, _ := parsePathTemplate(tt.a)
		b, _ := parsePathTemplate(tt.b)
		if !a.moreSpecificThan(b) || b.moreSpecificThan(a) {
			t.Errorf("%s should be more specific than %s", tt.a, tt.b)
		}
	}
}

func TestUnescapeKeepSlash(t *testing.T) {
	for in, want := range map[string]string{
		"a/b":         "a/b",
		"a%2Fb%2fc":   "a%2Fb%2fc",
		"a%20b%2F%41": "a b%2FA",
	} {
		if got, err := unescapeKeepSlash(in); err != nil || got != want {
			t.Errorf("unescapeKeepSlash(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := unescapeKeepSlash("%zz"); err == nil {
		t.Error("bad escape accepted")
	}
}
