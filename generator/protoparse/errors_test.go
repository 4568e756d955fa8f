package protoparse

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/model"
)

// header starts every bad file: what follows is on line 4.
const header = `syntax = "proto3";
package bad.v1;
import "google/api/annotations.proto";
`

// TestErrors: every bad input is a *model.Error naming file:line:col.
func TestErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		cfg   func(*Config)
		want  string
	}{
		{name: "syntax error",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns M;\n}\n"},
			want:  "x.proto:5:20: syntax error: unexpected identifier, expecting '('"},
		{name: "rpc options cut off by the end of the file (emicklei/proto never returned: FuzzProto)",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) { x"},
			want:  `x.proto:5:26: syntax error: unexpected identifier, expecting "option" or '}'`},
		{name: "unknown message",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(Nope) returns (Nope);\n}\n"},
			want:  `x.proto:5:9: method bad.v1.S.A: unknown request type Nope`},
		{name: "import not found",
			files: map[string]string{"x.proto": header + "import \"missing/thing.proto\";\n"},
			want:  `x.proto:4:8:`},
		{name: "file outside the import paths",
			files: map[string]string{"a/x.proto": header, "b/y.proto": header},
			cfg:   func(c *Config) { c.ImportPaths = []string{"b"}; c.Files = []string{"a/x.proto"} },
			want:  "a/x.proto: a/x.proto is not inside any import path (-I b)"},
		{name: "import path that is not a directory",
			files: map[string]string{"x.proto": header},
			cfg:   func(c *Config) { c.ImportPaths = []string{"nope"} },
			want:  "nope: import path nope is not a directory"},
		{name: "no such file",
			files: map[string]string{"x.proto": header},
			cfg:   func(c *Config) { c.Files = []string{"y.proto"} },
			want:  "y.proto: y.proto does not exist"},
		{name: "a directory given as the file (FuzzProto)",
			files: map[string]string{"api/x.proto": header},
			cfg:   func(c *Config) { c.Files = []string{"api"} },
			want:  "api: api is a directory"},
		{name: "a Go package derived from a file name that is no import path (FuzzProto)",
			files: map[string]string{"api 0.proto": "syntax = \"proto3\";\nservice S { rpc A(M) returns (M); }\nmessage M {}\n"},
			cfg:   func(c *Config) { c.Files = []string{"api 0.proto"} },
			want:  `api 0.proto: the Go package of api 0.proto, "example.com/lib/pkg/pb/api 0", is not a valid import path`},
		{name: "no service",
			files: map[string]string{"x.proto": header + "message M {}\n"},
			want:  "x.proto: no service declared in x.proto"},
		{name: "bad template",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) {\n    option (google.api.http) = {get: \"/v1/{name\"};\n  }\n}\nmessage M { string name = 1; }\n"},
			want:  `x.proto:6:38: rpc A: google.api.http GET "/v1/{name": path template "/v1/{name": unclosed {`},
		{name: "path variable names no field",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) {\n    option (google.api.http) = {get: \"/v1/{title}\"};\n  }\n}\nmessage M { string name = 1; }\n"},
			want:  `x.proto:6:38: rpc A: google.api.http GET "/v1/{title}": {title}: bad.v1.M has no field "title" (variables name fields by their proto names)`},
		{name: "nested path variable through a scalar",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) {\n    option (google.api.http) = {get: \"/v1/{name.x}\"};\n  }\n}\nmessage M { string name = 1; }\n"},
			want:  `{name.x}: field name is not a message, so it has no field "x"`},
		{name: "repeated path variable",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) {\n    option (google.api.http) = {get: \"/v1/{tags}\"};\n  }\n}\nmessage M { repeated string tags = 1; }\n"},
			want:  `{tags}: field tags is repeated, which a path variable cannot bind`},
		{name: "message path variable",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) {\n    option (google.api.http) = {get: \"/v1/{m}\"};\n  }\n}\nmessage M { M m = 1; }\n"},
			want:  `{m}: field m is a message (bad.v1.M); bind one of its fields, e.g. {m.name}`},
		{name: "body names no field",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) {\n    option (google.api.http) = {\n      post: \"/v1/a\"\n      body: \"nope\"\n    };\n  }\n}\nmessage M { string name = 1; }\n"},
			want:  `x.proto:8:13: rpc A: google.api.http POST "/v1/a": body: bad.v1.M has no field "nope"`},
		{name: "repeated body field",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) {\n    option (google.api.http) = {post: \"/v1/a\" body: \"tags\"};\n  }\n}\nmessage M { repeated string tags = 1; }\n"},
			want:  `x.proto:6:53: rpc A: google.api.http POST "/v1/a": body: field tags is repeated; the body field must not be`},
		{name: "GET with a body",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) {\n    option (google.api.http) = {get: \"/v1/a\" body: \"*\"};\n  }\n}\nmessage M {}\n"},
			want:  `x.proto:6:52: rpc A: google.api.http GET "/v1/a": a GET request has no body`},
		{name: "response_body names no field",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) {\n    option (google.api.http) = {get: \"/v1/a\" response_body: \"x\"};\n  }\n}\nmessage M {}\n"},
			want:  `x.proto:6:61: rpc A: google.api.http GET "/v1/a": response_body: bad.v1.M has no field "x"`},
		{name: "same route twice",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) { option (google.api.http).get = \"/v1/{name=shelves/*}\"; }\n  rpc B(M) returns (M) { option (google.api.http).get = \"/v1/{parent=shelves/*}\"; }\n}\nmessage M { string name = 1; string parent = 2; }\n"},
			want:  `x.proto:6:57: rpc B: route GET /v1/{parent=shelves/*} matches the same requests as a route of rpc S.A`},
		{name: "same route in an additional binding",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) {\n    option (google.api.http) = {\n      get: \"/v1/a\"\n      additional_bindings {get: \"/v1/a\"}\n    };\n  }\n}\nmessage M {}\n"},
			want:  `x.proto:8:33: rpc A: route GET /v1/a matches the same requests as a route of rpc S.A`},
		{name: "nested additional bindings",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) {\n    option (google.api.http) = {\n      get: \"/v1/a\"\n      additional_bindings {get: \"/v1/b\" additional_bindings {get: \"/v1/c\"}}\n    };\n  }\n}\nmessage M {}\n"},
			want:  `x.proto:8:33: rpc A: additional_bindings must not have additional_bindings themselves`},
		{name: "the server's own route",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) { option (google.api.http).get = \"/healthz\"; }\n}\nmessage M {}\n"},
			want:  `x.proto:5:57: rpc A: route GET /healthz is the server's own /healthz endpoint`},
		{name: "custom pattern without a kind",
			files: map[string]string{"x.proto": header + "service S {\n  rpc A(M) returns (M) { option (google.api.http) = {custom {path: \"/v1/a\"}}; }\n}\nmessage M {}\n"},
			want:  `x.proto:5:68: rpc A: google.api.http needs a pattern`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(writeTree(t, tt.files), "x.proto")
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			_, err := Load(context.Background(), cfg)
			var me *model.Error
			if !errors.As(err, &me) {
				t.Fatalf("err = %v (%T), want a *model.Error", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
			if me.Hint == "" {
				t.Errorf("no hint: %v", err)
			}
		})
	}
}
