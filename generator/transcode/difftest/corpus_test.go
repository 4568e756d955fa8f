package difftest

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/transcode"
)

// request is one request of the corpus, sent byte for byte as written.
type request struct {
	name   string
	method string
	target string // the request-target: escaped path and query
	body   string
	ctype  string // Content-Type; "" sends none
	accept string
}

// binding is one google.api.http binding of a unary rpc, as kitforge
// reads it.
type binding struct {
	rpc string
	in  protoreflect.MessageDescriptor
	*model.HTTPBinding
}

// echoBindings are the bindings of the Echo service in kitforge's order.
func echoBindings(t testing.TB) []binding {
	var out []binding
	for _, s := range loadServices(t) {
		if s.FullName != "kitforge.difftest.v1.Echo" {
			continue
		}
		for _, m := range s.Methods {
			for _, b := range m.Model.HTTP {
				out = append(out, binding{rpc: m.ProtoName, in: m.Desc.Input(), HTTPBinding: b})
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no Echo bindings")
	}
	return out
}

// sampleEcho is an EchoRequest with every kind of field set.
func sampleEcho() *EchoRequest {
	return &EchoRequest{
		Id: "id1", Name: "n1",
		Nested: &Nested{Name: "nn", Count: 3, Inner: &Nested_Inner{Note: "deep", Tags: []string{"x", "y"}}},
		Scalars: &Scalars{
			FDouble: 1.5, FFloat: 2.25, FInt32: -3, FInt64: 1 << 40, FUint32: 4, FUint64: 1 << 63, FSint32: -5, FSint64: -6,
			FFixed32: 7, FFixed64: 8, FSfixed32: -9, FSfixed64: -10, FBool: true, FString: "héllo", FBytes: []byte{0, 1, 0xfe, 0xff},
			FEnum: Kind_KIND_B, RString: []string{"a", "b"}, RInt64: []int64{1, -2}, REnum: []Kind{Kind_KIND_A, Kind_KIND_B},
			RDouble: []double{0.5, -1}, RBool: []bool{true, false}, OString: proto.String(""), OInt32: proto.Int32(0),
		},
		Wkt: &WellKnown{
			Ts: timestamppb.New(mustTime("2024-02-29T12:34:56.789Z")), Dur: durationpb.New(1500 * 1e6),
			Mask:    &fieldmaskpb.FieldMask{Paths: []string{"name", "nested.inner"}},
			WDouble: wrapperspb.Double(0), WFloat: wrapperspb.Float(1.25), WInt64: wrapperspb.Int64(-1 << 50), WUint64: wrapperspb.UInt64(9),
			WInt32: wrapperspb.Int32(-2), WUint32: wrapperspb.UInt32(2), WBool: wrapperspb.Bool(false), WString: wrapperspb.String(""),
			WBytes: wrapperspb.Bytes([]byte("hi")), St: mustStruct(map[string]any{"a": 1.0, "b": []any{"c", true, nil}}),
			Val: structpb.NewStringValue("v"), List: mustList([]any{1.0, "two"}),
		},
		Labels: map[string]string{"env": "prod", "tier": ""}, Kinds: map[int32]Kind{1: Kind_KIND_A, -2: Kind_KIND_B},
		Choice: &EchoRequest_ChoiceB{ChoiceB: 77}, ResourceId: "r1",
		Items: []*Nested{{Name: "i1"}, {Count: 2}}, Tags: []string{"t1", "t2"}, Custom: "c1",
	}
}

// double keeps sampleEcho's literal short.
type double = float64

// sampleUpdate is an UpdateRequest without a mask.
func sampleUpdate() *UpdateRequest {
	return &UpdateRequest{Resource: &Nested{Name: "res1", Count: 5, Inner: &Nested_Inner{Note: "n"}}}
}

// sampleOf is the sample message of a request type.
func sampleOf(md protoreflect.MessageDescriptor) proto.Message {
	if md.FullName() == "kitforge.difftest.v1.UpdateRequest" {
		return sampleUpdate()
	}
	return sampleEcho()
}

// pathValues are the values the corpus puts in path variables, by field.
var pathValues = map[string]string{
	"id": "abc", "nested.name": "nn", "nested.inner.note": "deep", "resource.name": "res1",
	"scalars.f_int64": "-42", "scalars.f_bool": "true", "scalars.f_enum": "KIND_A", "scalars.f_double": "2.5",
	"wkt.ts": "2024-02-29T12:34:56Z",
}

// fillTemplate writes a request path matching template: literals as they
// are, variables from pathValues (a pattern's wildcards as w0, w1, ..., a
// ** as a/b/c), and the bound field paths.
func fillTemplate(template string) (string, []string) {
	t, err := transcode.ParseTemplate(template)
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	for i, s := range t.Segments {
		b.WriteByte('/')
		switch {
		case s.Literal != "":
			b.WriteString(s.Literal)
		case s.Wild == "**":
			b.WriteString("a/b/c")
		case t.WholeVariable(i):
			b.WriteString(url.PathEscape(pathValues[s.Field]))
		default:
			fmt.Fprintf(&b, "w%d", i)
		}
	}
	if t.Verb != "" {
		b.WriteString(":" + t.Verb)
	}
	return b.String(), t.Fields
}

// clearFields clears the fields at the given proto paths in m.
func clearFields(m protoreflect.Message, paths []string) {
	for _, p := range paths {
		names := strings.Split(p, ".")
		mm := m
		for i, n := range names {
			fd := mm.Descriptor().Fields().ByName(protoreflect.Name(n))
			if i == len(names)-1 {
				mm.Clear(fd)
				break
			}
			if !mm.Has(fd) {
				break
			}
			mm = mm.Mutable(fd).Message()
		}
	}
}

// bodyOf is the JSON body a binding's sample sends: the whole message
// without its path fields, one field's value, or nothing.
func bodyOf(b binding, bound []string) string {
	m := proto.Clone(sampleOf(b.in)).ProtoReflect()
	clearFields(m, bound)
	switch b.Body {
	case "":
		return ""
	case "*":
		return string(must(protojson.Marshal(m.Interface())))
	}
	fd := m.Descriptor().Fields().ByName(protoreflect.Name(b.Body))
	tmp := m.New()
	tmp.Set(fd, m.Get(fd))
	var obj map[string]any
	_ = must(0, jsonUnmarshal(must(protojson.Marshal(tmp.Interface())), &obj))
	return string(must(jsonMarshal(obj[fd.JSONName()])))
}

// sampleQuery is the query string of a request without a body "*": a few
// fields of every kind, leaving out those the path or the body binds.
func sampleQuery(b binding, bound []string) string {
	if b.Body == "*" {
		return ""
	}
	params := [][2]string{
		{"name", "q1"}, {"tags", "t1"}, {"tags", "t2"}, {"scalars.fInt32", "7"}, {"scalars.f_enum", "KIND_B"},
		{"nested.inner.note", "qn"}, {"wkt.dur", "2.5s"}, {"labels[k]", "v"}, {"choiceA", "ca"},
	}
	if b.in.FullName() == "kitforge.difftest.v1.UpdateRequest" {
		params = [][2]string{{"errorCode", "0"}}
	}
	var out []string
	for _, p := range params {
		top, _, _ := strings.Cut(p[0], ".")
		top, _, _ = strings.Cut(top, "[")
		if top == b.Body || slices.ContainsFunc(bound, func(f string) bool {
			return f == snake(p[0]) || strings.HasPrefix(f, snake(p[0])+".") || strings.HasPrefix(snake(p[0]), f+".")
		}) {
			continue
		}
		out = append(out, url.QueryEscape(p[0])+"="+url.QueryEscape(p[1]))
	}
	return strings.Join(out, "&")
}

// snake turns a lowerCamel query path into proto names.
func snake(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// withQuery appends a query to a target.
func withQuery(target, query string) string {
	if query == "" {
		return target
	}
	if strings.Contains(target, "?") {
		return target + "&" + query
	}
	return target + "?" + query
}

// otherMethod is an HTTP method no binding of the path serves.
func otherMethod(bs []binding, path string) string {
	used := map[string]bool{}
	for _, b := range bs {
		if p, _ := fillTemplate(b.Path); p == path {
			used[b.Verb] = true
		}
	}
	for _, m := range []string{"PATCH", "PUT", "DELETE", "POST", "GET"} {
		if !used[m] {
			return m
		}
	}
	return "OPTIONS"
}

// errorCodeRequest sets error_code: in the query, or in the body when the
// body is the whole message.
func errorCodeRequest(b binding, r request, code int) request {
	r.name = fmt.Sprintf("%s code %d", r.name, code)
	field := "errorCode"
	switch {
	case b.Body == "*":
		r.body = strings.Replace(r.body, "{", fmt.Sprintf(`{"errorCode":%d,`, code), 1)
		if r.body == "" || r.body == "{}" {
			r.body = fmt.Sprintf(`{"%s":%d}`, field, code)
		}
	default:
		r.target = withQuery(strings.Replace(r.target, "errorCode=0&", "", 1), fmt.Sprintf("%s=%d", field, code))
		r.target = strings.Replace(r.target, "errorCode=0", "", 1)
		r.target = strings.TrimSuffix(strings.Replace(r.target, "?&", "?", 1), "&")
	}
	return r
}

// generatedCorpus makes requests from every binding: the sample request,
// one failing with a gRPC code (all 16 codes over the bindings), the wrong
// method, a bad JSON body, an unknown field in the body or the query, a
// non-JSON Content-Type, and bad path values for typed variables.
func generatedCorpus(t testing.TB) []request {
	bs := echoBindings(t)
	var out []request
	code := 1
	for _, b := range bs {
		path, bound := fillTemplate(b.Path)
		name := fmt.Sprintf("%s %s %s", b.rpc, b.Verb, b.Path)
		ok := request{name: name, method: b.Verb, target: withQuery(path, sampleQuery(b, bound)), body: bodyOf(b, bound)}
		if ok.body != "" {
			ok.ctype = "application/json"
		}
		out = append(out, ok)
		for range 2 {
			out = append(out, errorCodeRequest(b, ok, code))
			code = code%16 + 1
		}
		wrong := ok
		wrong.name, wrong.method = name+" wrong method", otherMethod(bs, path)
		out = append(out, wrong)
		if b.Body != "" {
			out = append(out,
				request{name: name + " bad JSON", method: b.Verb, target: path, body: `{"a":`, ctype: "application/json"},
				request{name: name + " trailing data", method: b.Verb, target: path, body: ok.body + ` {}`, ctype: "application/json"},
				request{name: name + " text/plain", method: b.Verb, target: path, body: ok.body, ctype: "text/plain"},
				request{name: name + " empty body", method: b.Verb, target: path, ctype: "application/json"},
			)
			if b.Body == "*" {
				out = append(out, request{name: name + " unknown body field", method: b.Verb, target: path, body: `{"nope":1}`, ctype: "application/json"})
			}
		} else {
			out = append(out, request{name: name + " unknown query", method: b.Verb, target: withQuery(path, "nope=1")})
		}
		for _, f := range bound {
			if v := badPathValue(b.in, f); v != "" {
				bad := strings.Replace(path, "/"+url.PathEscape(pathValues[f]), "/"+v, 1)
				out = append(out, request{name: name + " bad " + f, method: b.Verb, target: bad, body: ok.body, ctype: ok.ctype})
			}
		}
	}
	return out
}

// badPathValue is a value a typed path variable cannot hold, or "".
func badPathValue(md protoreflect.MessageDescriptor, field string) string {
	fd := transcode.FieldByPath(md, field)
	if fd.Kind() == protoreflect.StringKind {
		return ""
	}
	return "x1"
}
