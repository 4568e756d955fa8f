package difftest

import (
	"fmt"
	"net/url"
)

// scalarQueryValues are, per query field of Scalars and WellKnown, values
// that parse and values that must not.
var scalarQueryValues = []struct {
	field    string
	good     []string
	bad      []string
	repeated bool
}{
	{field: "fDouble", good: []string{"1.5", "-0", "1e300", "NaN", "Infinity", "-Infinity", ".5"}, bad: []string{"inf", "nan", "0x1p-2", "1_0", "", "abc", "1e999"}},
	{field: "fFloat", good: []string{"2.25", "3.4e38"}, bad: []string{"3.5e38", "Inf"}},
	{field: "fInt32", good: []string{"-2147483648", "0", "007"}, bad: []string{"2147483648", "1.0", "0x10", "1e2"}},
	{field: "fInt64", good: []string{"-9223372036854775808"}, bad: []string{"9223372036854775808", " 1"}},
	{field: "fUint32", good: []string{"4294967295"}, bad: []string{"-1", "4294967296"}},
	{field: "fUint64", good: []string{"18446744073709551615"}, bad: []string{"-1"}},
	{field: "fSint32", good: []string{"-5"}, bad: []string{"x"}},
	{field: "fSint64", good: []string{"-6"}, bad: []string{"6.5"}},
	{field: "fFixed32", good: []string{"7"}, bad: []string{"-7"}},
	{field: "fFixed64", good: []string{"8"}, bad: []string{"-8"}},
	{field: "fSfixed32", good: []string{"-9"}, bad: []string{"9.0"}},
	{field: "fSfixed64", good: []string{"-10"}, bad: []string{"ten"}},
	{field: "fBool", good: []string{"true", "false", "1", "0", "TRUE", "t"}, bad: []string{"yes", ""}},
	{field: "fString", good: []string{"héllo wörld", "", "a=b&c", "line\nbreak"}, bad: []string{"\xff\xfe"}},
	{field: "fBytes", good: []string{"AAH+/w==", "AAH-_w==", "AAH-_w", "aGk"}, bad: []string{"!!"}},
	{field: "fEnum", good: []string{"KIND_A", "2", "0"}, bad: []string{"KIND_C", "kind_a"}},
	{field: "rString", good: []string{"a"}, repeated: true},
	{field: "rInt64", good: []string{"1"}, bad: []string{"x"}, repeated: true},
	{field: "rEnum", good: []string{"KIND_B", "1"}, bad: []string{"NOPE"}, repeated: true},
	{field: "rDouble", good: []string{"0.5"}, bad: []string{"z"}, repeated: true},
	{field: "rBool", good: []string{"false"}, bad: []string{"nope"}, repeated: true},
	{field: "oString", good: []string{"", "o"}},
	{field: "oInt32", good: []string{"0", "12"}, bad: []string{"1.5"}},
}

// wellKnownQueryValues are the same for the well-known types.
var wellKnownQueryValues = []struct {
	field     string
	good, bad []string
}{
	{"ts", []string{"2024-02-29T12:34:56Z", "2024-02-29T12:34:56.123456789+02:00", "1970-01-01T00:00:00Z"}, []string{"2024-02-30T00:00:00Z", "yesterday", "1700000000"}},
	{"dur", []string{"1.5s", "-3s", "0s", "315576000000s"}, []string{"1.5", "1m", "315576000001s"}},
	{"mask", []string{"name,nested.inner", "a", "fooBar.bazQux"}, nil},
	{"wDouble", []string{"0", "2.5", "NaN"}, []string{"x"}},
	{"wFloat", []string{"1.25"}, []string{"1e40"}},
	{"wInt64", []string{"-5"}, []string{"5.5"}},
	{"wUint64", []string{"5"}, []string{"-5"}},
	{"wInt32", []string{"-2"}, []string{"3000000000"}},
	{"wUint32", []string{"2"}, []string{"-2"}},
	{"wBool", []string{"false", "true"}, []string{"maybe"}},
	{"wString", []string{"", "s"}, nil},
	{"wBytes", []string{"aGk=", "aGk"}, []string{"*"}},
	{"st", nil, []string{`{"a":1}`}},
	{"val", nil, []string{"1"}},
	{"list", nil, []string{"[1]"}},
}

// handwrittenCorpus is the edge cases: every scalar and well-known type in
// the query, good and bad; spellings, repetition and order of query
// parameters; escaped characters, unknown paths and methods; bodies with
// bad values, unknown fields, both spellings, invalid UTF-8, trailing data
// and every kind of Content-Type; PATCH masks; the server stream.
func handwrittenCorpus() []request {
	var out []request
	get := func(name, target string) {
		out = append(out, request{name: name, method: "GET", target: target})
	}
	for _, f := range scalarQueryValues {
		for _, v := range f.good {
			get("query scalars."+f.field+"="+v, "/v1/simple/abc?scalars."+f.field+"="+url.QueryEscape(v))
		}
		for _, v := range f.bad {
			get("query bad scalars."+f.field+"="+v, "/v1/simple/abc?scalars."+f.field+"="+url.QueryEscape(v))
		}
		if f.repeated {
			get("query repeated "+f.field, fmt.Sprintf("/v1/literal/only?scalars.%s=%s&scalars.%s=%s", f.field, f.good[0], f.field, f.good[len(f.good)-1]))
		}
		get("query snake_case "+f.field, "/v1/literal/only?scalars."+snake(f.field)+"="+url.QueryEscape(first(f.good)))
	}
	for _, f := range wellKnownQueryValues {
		for _, v := range f.good {
			get("query wkt."+f.field+"="+v, "/v1/literal/only?wkt."+f.field+"="+url.QueryEscape(v))
		}
		for _, v := range f.bad {
			get("query bad wkt."+f.field+"="+v, "/v1/literal/only?wkt."+f.field+"="+url.QueryEscape(v))
		}
	}
	for _, q := range []string{
		"tags=b&tags=a&tags=c", "tags=b&name=x&tags=a", "name=a&name=b", "resourceId=r&resource_id=s", "resource_id=s",
		"resourceId=r", "customName=c", "custom=c", "choiceA=a&choiceB=1", "choice_b=9", "labels[k]=v&labels[j]=w",
		"labels[k]=v&labels[k]=w", "labels=v", "kinds[1]=KIND_A", "kinds[x]=KIND_A", "kinds[2]=2", "nested=x",
		"nested.inner.tags=a&nested.inner.tags=b", "nested.count=1&nested.count=2", "items.name=x", "nested.nope=1",
		"name", "name=", "=x", "name=%zz", "name=a%20b+c", "name=%E2%82%AC", "name=%FF", "&&name=x&&", "name=a;b",
		"name=x&name=x", "errorCode=5&errorCode=6", "error_code=3", "wkt.ts.seconds=10", "wkt.wInt32.value=3",
		"wkt.ts=2024-01-01T00:00:00Z&wkt.ts.nanos=5", "wkt.st.fields=1", "scalars=1", "nested.inner=x",
		"NAME=x", "Name=x", "nested.Name=x", "id=override",
	} {
		get("query "+q, "/v1/literal/only?"+q)
	}
	get("query id bound by the path", "/v1/simple/abc?id=x")
	get("query nested.name bound by the path", "/v1/nested/nn/deep?nested.name=x")
	get("query nested sub-field beside path", "/v1/nested/nn/deep?nested.count=4")
	for _, p := range []string{
		"/v1/simple/a%2Fb", "/v1/simple/a%20b", "/v1/simple/a+b", "/v1/simple/a%3Ab", "/v1/simple/a:b", "/v1/simple/%E2%82%AC",
		"/v1/simple/%FF", "/v1/simple/%zz", "/v1/simple/", "/v1/simple", "/v1/simple/a/b", "/v1/simple//", "/v1//simple/a",
		"/v1/simple/a/", "/v1/simple/.", "/v1/simple/..", "/v1/simple/a%2F..%2Fb", "/V1/simple/a", "/v1/Simple/a",
		"/v1/files/a", "/v1/files/a/b/c", "/v1/files/a%2Fb/c", "/v1/files/special", "/v1/files/special/x", "/v1/files/",
		"/v1/files", "/v1/files/a//b", "/v1/docs/index", "/v1/docs/a/b", "/v1/docs/index/x", "/v1/files/%FF/x", "/v1/shelves/s/books/b", "/v1/shelves/s/books", "/v1/shelves/s%2Fx/books/b",
		"/v1/shelves/s/books/b/c", "/v1/shelves//books/b", "/v1/nested/a/b", "/v1/nested/a%2Fb/c", "/v1/literal/only",
		"/v1/literal/only/", "/v1/literal", "/v1/typed/1/true/KIND_B/2.5", "/v1/typed/1/1/1/1", "/v1/typed/x/true/KIND_B/2.5",
		"/v1/typed/1/yes/KIND_B/2.5", "/v1/typed/1/true/KIND_Z/2.5", "/v1/typed/1/true/KIND_B/inf", "/v1/typed/1/true/KIND_B/NaN",
		"/v1/when/2024-02-29T12:34:56Z", "/v1/when/2024-02-29T12%3A34%3A56Z", "/v1/when/not-a-time", "/v1/when/1700000000",
		"/v2/projects/p1/alt", "/v2/projects/p1/x/alt", "/v2/projects/p%2F1/alt", "/v1/alt/a", "/v1/alt/a:search", "/",
		"/nope", "/v1", "/v1/unknown/path", "/kitforge.difftest.v1.Echo/Plain", "/v1/rb/name/abc", "/v1/rb/tags/abc",
		"/v1/rb/labels/abc", "/v1/rb/nested/abc", "/v1/simple/abc:merge", "/v1/simple/abc:", "/v1/watch/a",
	} {
		get("path "+p, p)
	}
	for _, m := range []string{"HEAD", "OPTIONS", "TRACE", "BREW", "LINK", "get"} {
		out = append(out, request{name: "method " + m, method: m, target: "/v1/simple/abc"})
	}
	out = append(out, request{name: "method LINK on /v1/links", method: "LINK", target: "/v1/links/a?name=x"},
		request{name: "method GET on /v1/links", method: "GET", target: "/v1/links/a"})
	post := func(name, target, body, ctype string) {
		out = append(out, request{name: name, method: "POST", target: target, body: body, ctype: ctype})
	}
	const j = "application/json"
	for _, b := range []string{
		`{}`, `{"id":"x"}`, `{"resourceId":"a","resource_id":"b"}`, `{"name":"a","name":"b"}`, `{"nope":1}`,
		`{"scalars":{"fInt64":"12"}}`, `{"scalars":{"fInt64":12}}`, `{"scalars":{"fInt64":1.5}}`, `{"scalars":{"fDouble":"NaN"}}`,
		`{"scalars":{"fDouble":"nan"}}`, `{"scalars":{"fEnum":1}}`, `{"scalars":{"fEnum":"KIND_X"}}`, `{"scalars":{"fBytes":"AAH-_w"}}`,
		`{"scalars":{"fUint32":-1}}`, `{"scalars":{"fBool":"true"}}`, `{"name":null}`, `{"nested":null}`, `{"tags":null}`,
		`{"labels":{"a":"b"}}`, `{"kinds":{"1":"KIND_A"}}`, `{"kinds":{"x":"KIND_A"}}`, `{"wkt":{"ts":"2024-01-01T00:00:00Z"}}`,
		`{"wkt":{"ts":"2024-01-01"}}`, `{"wkt":{"mask":"a,bC"}}`, `{"wkt":{"st":{"a":[1,{"b":null}]}}}`, `{"wkt":{"wInt32":null}}`,
		`{"choiceA":"a","choiceB":"1"}`, `{"customName":"c"}`, `{"custom":"c"}`, `{"name":"\ud800"}`, "{\"name\":\"\xff\"}",
		`[]`, `null`, `"x"`, `{"id":"x"} {"id":"y"}`, `{"id":"x"}garbage`, `{"id":"x"}` + "\n", ` {"id":"x"} `,
		`{"errorCode":16}`, `{"errorCode":99}`, `{"errorCode":-1}`, `{"items":[{"name":"a"},{}]}`,
	} {
		post("body "+b, "/v1/echo", b, j)
	}
	for _, ct := range []string{"application/json; charset=utf-8", "application/merge-patch+json", "APPLICATION/JSON", "text/plain",
		"application/x-www-form-urlencoded", "application/xml", "", "application/json; charset=latin1", "application/jsonx", "*/*"} {
		post("content type "+ct, "/v1/echo", `{"id":"x"}`, ct)
	}
	post("body and query with body *", "/v1/echo?name=x", `{"id":"x"}`, j)
	post("body sets a path field", "/v1/shelves/s1:merge", `{"name":"other","id":"i"}`, j)
	post("verb with escaped colon", "/v1/shelves/s1%3Amerge", `{}`, j)
	post("body field nested", "/v1/nested/abc?name=q", `{"name":"b","inner":{"note":"n"}}`, j)
	post("body field nested unknown", "/v1/nested/abc", `{"nope":1}`, j)
	post("body field nested and its query sub-field", "/v1/nested/abc?nested.count=1", `{"name":"b"}`, j)
	post("body field scalar", "/v1/names/abc", `"hello"`, j)
	post("body field scalar number", "/v1/names/abc", `12`, j)
	post("body field scalar null", "/v1/names/abc", `null`, j)
	post("body field scalar object", "/v1/names/abc", `{"name":"x"}`, j)
	post("body field wkt", "/v1/wkt/abc", `{"ts":"2024-01-01T00:00:00Z","dur":"1s"}`, j)
	post("response_body wkt", "/v1/rb/wkt/abc", `{"dur":"1s","wInt64":"5"}`, j)
	post("response_body wkt empty", "/v1/rb/wkt/abc", `{}`, j)
	post("default route", "/kitforge.difftest.v1.Echo/Plain", `{"id":"p"}`, j)
	post("default route query", "/kitforge.difftest.v1.Echo/Plain?id=q", `{}`, j)
	post("additional binding search", "/v1/alt:search", `{"id":"s"}`, j)
	for _, q := range []string{"name=n", "nested.name=x", "tags=a&tags=b", "labels[a]=b"} {
		get("response_body query "+q, "/v1/rb/nested/abc?"+q)
		get("response_body name query "+q, "/v1/rb/name/abc?"+q)
		get("response_body tags query "+q, "/v1/rb/tags/abc?"+q)
		get("response_body labels query "+q, "/v1/rb/labels/abc?"+q)
		get("additional binding response_body query "+q, "/v2/projects/p/alt?"+q)
	}
	patch := func(name, target, body string) {
		out = append(out, request{name: name, method: "PATCH", target: target, body: body, ctype: j})
	}
	patch("patch no mask", "/v1/resources/r1", `{"count":2,"inner":{"note":"x"}}`)
	patch("patch empty inner", "/v1/resources/r1", `{"inner":{}}`)
	patch("patch mask in query", "/v1/resources/r1?updateMask=count", `{"count":2,"inner":{"note":"x"}}`)
	patch("patch snake mask in query", "/v1/resources/r1?update_mask=inner.note", `{"count":2}`)
	patch("patch camel mask path", "/v1/resources/r1?updateMask=inner.tags,count", `{"count":2}`)
	patch("patch empty body", "/v1/resources/r1", ``)
	patch("patch empty object", "/v1/resources/r1", `{}`)
	patch("patch name in body", "/v1/resources/r1", `{"name":"r2"}`)
	patch("patch tags", "/v1/resources/r1", `{"inner":{"tags":["a"]}}`)
	patch("patch unknown", "/v1/resources/r1", `{"nope":1}`)
	patch("patch error", "/v1/resources/r1?errorCode=9", `{"count":1}`)
	for _, q := range []string{"", "nested.count=0", "nested.count=3", "nested.count=2&errorCode=5", "errorCode=7",
		"nested.count=1&errorCode=14", "nested.count=x"} {
		get("stream "+q, withQuery("/v1/watch/w", q))
	}
	out = append(out, request{name: "stream SSE", method: "GET", target: "/v1/watch/w?nested.count=2", accept: "text/event-stream"})
	// Client streams: one request message per line of the body.
	collect := func(name, body, ctype string) {
		out = append(out, request{name: "client stream " + name, method: "POST", target: "/v1/collect", body: body, ctype: ctype})
	}
	collect("three", "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n", "application/json")
	collect("one, no newline", `{"id":"a"}`, "application/json")
	collect("empty", "", "application/json")
	collect("error of the last", "{\"id\":\"a\"}\n{\"id\":\"b\",\"errorCode\":9}\n", "application/json")
	collect("bad line", "{\"id\":\"a\"}\n{\"nope\":1}\n", "application/json")
	collect("not JSON", "{\"id\":\"a\"}\nxyz\n", "application/json")
	return out
}

// first is the first of values, or "".
func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}
