package difftest

import (
	"slices"
	"strings"
)

// difference is a deliberate difference from grpc-gateway: the requests
// it covers, why kitforge answers otherwise, and the text that supports
// kitforge's answer. README "Proto input" lists the same.
type difference struct {
	name    string
	reason  string
	spec    string
	matches func(r request, kitforge, gateway outcome) bool
}

// differences is the reviewed list.
var differences = []difference{
	{
		name: "a client stream's body is one JSON message per line",
		reason: "kitforge reads a client-streaming body line by line (newline-delimited JSON, application/x-ndjson): a line " +
			"holding a message and more is refused with 400 and its line number; the gateway reads any run of JSON values, " +
			"so two messages on one line pass as two",
		spec: "NDJSON (github.com/ndjson/ndjson-spec): each line is a valid JSON text; the issue's contract for " +
			"client streams over HTTP: \"a newline-delimited JSON request body, one message per line\"",
		matches: func(r request, k, g outcome) bool {
			return strings.HasPrefix(r.target, "/v1/collect") && k.status == 400 && g.status == 200
		},
	},
	{
		name:   "405 for a known path with another method",
		reason: "kitforge answers 405 Method Not Allowed with an Allow header (status UNIMPLEMENTED in the body); the gateway answers 501",
		spec:   "RFC 9110 §15.5.6: 405 means the method is not supported by the target resource; the origin server MUST generate an Allow header",
		matches: func(r request, k, g outcome) bool {
			return k.status == 405 && g.status == 501
		},
	},
	{
		name: "query parameters that bind no field answer 400",
		reason: "unknown names (also in another case), fields the path binds, any parameter of a body \"*\" rpc, a field the body binds, " +
			"a field set whole and by a sub-field, Struct/Value as JSON text: the gateway ignores or merges them, so a typo silently does nothing",
		spec: "google/api/http.proto: fields not bound by the path become query parameters \"if there is no HTTP request body\"; " +
			"they \"must have a primitive type or a repeated primitive type or a non-repeated message type\"; with body \"*\" " +
			"\"it is not possible to have HTTP parameters\"; proto3 JSON: parsers reject unknown fields by default",
		matches: func(r request, k, g outcome) bool {
			return k.body == "error INVALID_ARGUMENT" && g.status == 200 && named(r, "unknown query", "bound by the path",
				"body and query", "default route query", "query sub-field", "query =x", "query NAME=", "query Name=",
				"query nested.Name=", "query nested.nope=", "wkt.ts.nanos", "bad wkt.st=", "bad wkt.val=",
				"additional binding response_body query name=")
		},
	},
	{
		name:   "an escaped slash in a path variable is data",
		reason: "kitforge decodes %2F in a single-segment variable and keeps it in a multi-segment one; the gateway answers 404, or decodes it in a ** variable",
		spec: "google/api/http.proto: for a single-segment variable \"the server side does the reverse decoding\"; for a multi-segment " +
			"one \"except \\\"%2F\\\" and \\\"%2f\\\" are left unchanged\"",
		matches: func(r request, k, g outcome) bool {
			return strings.Contains(r.target, "%2F")
		},
	},
	{
		name:   "an escaped colon is data, not the custom verb's separator",
		reason: "kitforge answers 404 for /v1/shelves/s1%3Amerge; the gateway runs Merge",
		spec:   "google/api/http.proto's grammar: Verb = \":\" LITERAL; a percent-encoded colon is part of a segment",
		matches: func(r request, k, g outcome) bool {
			return named(r, "verb with escaped colon")
		},
	},
	{
		name:   "an empty path segment matches no wildcard",
		reason: "kitforge answers 404 for /v1/simple/ and /v1/files/a//b; the gateway binds empty strings",
		spec:   "google/api/http.proto: \"*\" matches \"a single URL path segment\", \"**\" \"zero or more URL path segments\"; an empty resource id is no segment",
		matches: func(r request, k, g outcome) bool {
			path, _, _ := strings.Cut(r.target, "?")
			return k.body == "error NOT_FOUND" && (strings.HasSuffix(path, "/") || strings.Contains(path, "//"))
		},
	},
	{
		name:   "a body that is not JSON answers 415",
		reason: "kitforge refuses Content-Types other than application/json and application/*+json (none is accepted); the gateway decodes any as JSON, so a browser's cross-origin text/plain or form POST reaches the rpc without a CORS preflight",
		spec:   "RFC 9110 §15.5.16 (415 Unsupported Media Type); Fetch standard: text/plain and form bodies are CORS-safelisted",
		matches: func(r request, k, g outcome) bool {
			return k.status == 415
		},
	},
	{
		name:   "an empty body leaves the body field unset",
		reason: "kitforge sets nothing when the body is empty; the gateway sets the body field to an empty message (and a PATCH's update_mask to an empty mask)",
		spec:   "google/api/http.proto: the body field's value \"is mapped to the HTTP request body\"; an empty body carries no value",
		matches: func(r request, k, g outcome) bool {
			return named(r, "empty body") && k.status == 200 && g.status == 200
		},
	},
	{
		name:   "well-known types in the query take their proto3 JSON forms",
		reason: "a Duration is \"1.5s\" up to ±315576000000s (the gateway parses Go's time.ParseDuration: \"1m\" passes, the full range fails); FieldMask paths are converted, not checked (the gateway answers 500 for an unknown path)",
		spec:   "proto3 JSON mapping: Duration \"Generated output always contains 0, 3, 6, or 9 fractional digits ... followed by the suffix \\\"s\\\"\", range ±315,576,000,000 s; FieldMask: lowerCamel paths joined by commas",
		matches: func(r request, k, g outcome) bool {
			return named(r, "wkt.dur=315576000000s", "bad wkt.dur=1m", "wkt.mask=fooBar.bazQux")
		},
	},
	{
		name:   "invalid UTF-8 answers 400",
		reason: "a string field's value that is not UTF-8 is the client's error; the gateway answers 500 (the gRPC marshaling fails)",
		spec:   "protobuf language guide: \"A string must always contain UTF-8 encoded or 7-bit ASCII text\"; google/rpc/code.proto: INVALID_ARGUMENT",
		matches: func(r request, k, g outcome) bool {
			return k.body == "error INVALID_ARGUMENT" && g.status == 500 && strings.Contains(strings.ToUpper(r.target+r.body), "%FF")
		},
	},
	{
		name:   "response_body of an empty repeated field is []",
		reason: "kitforge writes [] (the gateway writes null with EmitUnpopulated off, [] with its default)",
		spec:   "proto3 JSON mapping: repeated V is [v, …]; null is \"the default value\" on input only",
		matches: func(r request, k, g outcome) bool {
			return k.body == "[]" && g.body == "null"
		},
	},
	{
		name:   "the most specific template wins",
		reason: "/v1/docs/index is the literal route though a ** route was declared after it; the gateway lets the last-declared route that matches win",
		spec:   "google/api/http.proto does not order templates; kitforge ranks a custom verb, then literals over * over ** (as Envoy's transcoder matches)",
		matches: func(r request, k, g outcome) bool {
			return strings.HasPrefix(r.target, "/v1/docs/index")
		},
	},
	{
		name:   "Server-Sent Events on Accept: text/event-stream",
		reason: "kitforge streams as SSE when asked; the gateway always writes newline-delimited JSON",
		spec:   "HTML Living Standard, Server-sent events (text/event-stream)",
		matches: func(r request, k, g outcome) bool {
			return r.accept == "text/event-stream"
		},
	},
}

// named reports whether r's name contains one of subs.
func named(r request, subs ...string) bool {
	return slices.ContainsFunc(subs, func(s string) bool { return strings.Contains(r.name, s) })
}

// deliberateDifference is the listed difference that r shows, or nil.
func deliberateDifference(r request, k, g outcome) *difference {
	for i := range differences {
		if differences[i].matches(r, k, g) {
			return &differences[i]
		}
	}
	return nil
}
