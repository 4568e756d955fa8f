package transcode

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
)

// libraryRoutes are bindings in the style of Google's resource APIs.
var libraryRoutes = []testRoute{
	{method: "GET", template: "/v1/{name=shelves/*/books/*}", request: "GetBookRequest"},
	{method: "GET", template: "/v1/books/{genre}", request: "GetBookRequest"},
	{method: "GET", template: "/v1/filters/{filter.inner.level}/{filter.author}", request: "GetBookRequest"},
	{method: "POST", template: "/v1/books", request: "Book", body: "*"},
	{method: "POST", template: "/v1/{name=shelves/*/books/*}:rename", request: "Book", body: "*"},
	{method: "PATCH", template: "/v1/{book.name=shelves/*/books/*}", request: "UpdateBookRequest", body: "book"},
	{method: "POST", template: "/v1/{name=shelves/*/books/*}:tag", request: "TagBookRequest", body: "tags"},
	{method: "POST", template: "/v1/{name=shelves/*/books/*}:prioritize", request: "TagBookRequest", body: "priority"},
	{method: "GET", template: "/v1/objects/{name=**}", request: "GetBookRequest"},
}

func TestDecodeRequest(t *testing.T) {
	tests := []struct {
		name         string
		method, path string
		body         string
		want         string // the decoded request as protojson
		wantType     string
		status       int    // 0: 200
		errContains  string // in the error message
	}{
		// Path templates.
		{name: "resource name with slashes", method: "GET", path: "/v1/shelves/1/books/2",
			wantType: "GetBookRequest", want: `{"name": "shelves/1/books/2"}`},
		{name: "enum by name in the path", method: "GET", path: "/v1/books/FICTION",
			wantType: "GetBookRequest", want: `{"genre": "FICTION"}`},
		{name: "enum by number in the path", method: "GET", path: "/v1/books/2",
			wantType: "GetBookRequest", want: `{"genre": "HISTORY"}`},
		{name: "unknown enum name in the path", method: "GET", path: "/v1/books/POETRY", status: 400,
			errContains: `"POETRY" is not a value of enum test.library.v1.Genre (GENRE_UNSPECIFIED, FICTION, HISTORY, or a number)`},
		{name: "nested path fields", method: "GET", path: "/v1/filters/-3/ann%20lee",
			wantType: "GetBookRequest", want: `{"filter": {"author": "ann lee", "inner": {"level": "-3"}}}`},
		{name: "bad integer in the path", method: "GET", path: "/v1/filters/x/ann", status: 400,
			errContains: `path variable filter.inner.level: filter.inner.level: "x" is not a 64-bit integer`},
		{name: "deep wildcard", method: "GET", path: "/v1/objects/a/b/c",
			wantType: "GetBookRequest", want: `{"name": "a/b/c"}`},

		// Query parameters for the fields neither the path nor the body binds.
		{name: "query scalars, lowerCamel and snake_case names", method: "GET",
			path:     "/v1/shelves/1/books/2?verbose=true&readMask=title,bestReview.text&as_of=2024-05-01T10:00:00Z&timeout=1.5s&strict=false&shard=7",
			wantType: "GetBookRequest",
			want: `{"name": "shelves/1/books/2", "verbose": true, "readMask": "title,bestReview.text",
				"asOf": "2024-05-01T10:00:00Z", "timeout": "1.500s", "strict": false, "shard": 7}`},
		{name: "query repeated fields", method: "GET", path: "/v1/shelves/1/books/2?ids=1&ids=2&ids=3&times=2024-01-01T00:00:00Z&times=2024-01-02T00:00:00Z",
			wantType: "GetBookRequest",
			want:     `{"name": "shelves/1/books/2", "ids": ["1", "2", "3"], "times": ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"]}`},
		{name: "query enum by name and number", method: "GET", path: "/v1/shelves/1/books/2?genre=HISTORY",
			wantType: "GetBookRequest", want: `{"name": "shelves/1/books/2", "genre": "HISTORY"}`},
		{name: "query enum by number", method: "GET", path: "/v1/shelves/1/books/2?genre=1",
			wantType: "GetBookRequest", want: `{"name": "shelves/1/books/2", "genre": "FICTION"}`},
		{name: "query nested fields", method: "GET", path: "/v1/shelves/1/books/2?filter.author=ann&filter.inner.level=4",
			wantType: "GetBookRequest", want: `{"name": "shelves/1/books/2", "filter": {"author": "ann", "inner": {"level": "4"}}}`},
		{name: "query field mask in snake_case", method: "GET", path: "/v1/shelves/1/books/2?read_mask=best_review.text,title",
			wantType: "GetBookRequest", want: `{"name": "shelves/1/books/2", "readMask": "bestReview.text,title"}`},
		{name: "query unknown field", method: "GET", path: "/v1/shelves/1/books/2?colour=red", status: 400,
			errContains: `query parameter "colour": test.library.v1.GetBookRequest has no field "colour"`},
		{name: "query field bound by the path", method: "GET", path: "/v1/shelves/1/books/2?name=x", status: 400,
			errContains: "bound by the URL path"},
		{name: "query message field", method: "GET", path: "/v1/shelves/1/books/2?filter=x", status: 400,
			errContains: "is a message: set its fields one by one"},
		{name: "query singular field twice", method: "GET", path: "/v1/shelves/1/books/2?verbose=true&verbose=false", status: 400,
			errContains: "verbose is not repeated but is given 2 times"},
		{name: "query field under both spellings", method: "GET", path: "/v1/shelves/1/books/2?minPrice=1&min_price=2", status: 400,
			errContains: `query parameters "minPrice" and "min_price" both name field min_price: use one spelling`},
		{name: "query repeated values in query order across parameters", method: "GET",
			path:     "/v1/shelves/1/books/2?page_tokens=b&verbose=true&page_tokens=a&page_tokens=c",
			wantType: "GetBookRequest", want: `{"name": "shelves/1/books/2", "verbose": true, "pageTokens": ["b", "a", "c"]}`},
		{name: "query float in decimal and exponent form", method: "GET", path: "/v1/shelves/1/books/2?minPrice=-1.5e2",
			wantType: "GetBookRequest", want: `{"name": "shelves/1/books/2", "minPrice": -150}`},
		{name: "query float Infinity as proto3 JSON spells it", method: "GET", path: "/v1/shelves/1/books/2?minPrice=-Infinity",
			wantType: "GetBookRequest", want: `{"name": "shelves/1/books/2", "minPrice": "-Infinity"}`},
		{name: "query float inf", method: "GET", path: "/v1/shelves/1/books/2?minPrice=inf", status: 400,
			errContains: `"inf" is not a number`},
		{name: "query float nan", method: "GET", path: "/v1/shelves/1/books/2?minPrice=nan", status: 400,
			errContains: `"nan" is not a number`},
		{name: "query float hexadecimal", method: "GET", path: "/v1/shelves/1/books/2?minPrice=0x1p-2", status: 400,
			errContains: `"0x1p-2" is not a number`},
		{name: "query float with underscores", method: "GET", path: "/v1/shelves/1/books/2?minPrice=1_000", status: 400,
			errContains: `"1_000" is not a number`},
		{name: "query map entries", method: "GET", path: "/v1/shelves/1/books/2?quotas[a]=1&quotas%5Bb%5D=2",
			wantType: "GetBookRequest", want: `{"name": "shelves/1/books/2", "quotas": {"a": 1, "b": 2}}`},
		{name: "query map entry of the wrong type", method: "GET", path: "/v1/shelves/1/books/2?quotas[a]=x", status: 400,
			errContains: `quotas[a]: "x" is not a 32-bit integer`},
		{name: "query map entry twice", method: "GET", path: "/v1/shelves/1/books/2?quotas[a]=1&quotas[a]=2", status: 400,
			errContains: "quotas[a] is given 2 times"},
		{name: "query map without a key", method: "GET", path: "/v1/shelves/1/books/2?quotas=1", status: 400,
			errContains: "set its entries as quotas[key]=value"},
		{name: "query key on a field that is no map", method: "GET", path: "/v1/shelves/1/books/2?verbose[a]=true", status: 400,
			errContains: "verbose is not a map field"},
		{name: "query sub-fields of a well-known type", method: "GET", path: "/v1/shelves/1/books/2?asOf.seconds=5&as_of.nanos=7&strict.value=true",
			wantType: "GetBookRequest", want: `{"name": "shelves/1/books/2", "asOf": "1970-01-01T00:00:05.000000007Z", "strict": true}`},
		{name: "query field whole and by its sub-fields", method: "GET", path: "/v1/shelves/1/books/2?asOf=2024-05-01T10:00:00Z&asOf.seconds=5", status: 400,
			errContains: `query parameters "asOf" and "asOf.seconds" overlap`},
		{name: "query bad bool", method: "GET", path: "/v1/shelves/1/books/2?verbose=maybe", status: 400,
			errContains: `"maybe" is not a bool`},
		{name: "query bad timestamp", method: "GET", path: "/v1/shelves/1/books/2?asOf=yesterday", status: 400,
			errContains: `"yesterday" is not a valid Timestamp`},
		{name: "query through a scalar", method: "GET", path: "/v1/shelves/1/books/2?verbose.x=1", status: 400,
			errContains: "is not a singular message"},
		{name: "malformed query", method: "GET", path: "/v1/shelves/1/books/2?a=%zz", status: 400,
			errContains: "query string"},
		{name: "query with body *", method: "POST", path: "/v1/books?title=x", body: `{}`, status: 400,
			errContains: "takes every field not in the path from the request body"},

		// body: "*".
		{name: "body * with lowerCamel JSON and every kind of field", method: "POST", path: "/v1/books",
			body: `{"name": "n", "publishTime": "2024-05-01T10:00:00Z", "bestReview": {"text": "good", "stars": 5},
				"genre": "FICTION", "tags": ["a", "b"], "pages": 0, "labels": {"k": "v"}, "cover": "AAE=",
				"isbn": "978", "price": 9.5, "available": true, "genres": [1, "HISTORY"], "copies": "3", "room": "r1",
				"metadata": {"x": [1, "two"]}}`,
			wantType: "Book",
			want: `{"name": "n", "publishTime": "2024-05-01T10:00:00Z", "bestReview": {"text": "good", "stars": 5},
				"genre": "FICTION", "tags": ["a", "b"], "pages": 0, "labels": {"k": "v"}, "cover": "AAE=",
				"isbn": "978", "price": 9.5, "available": true, "genres": ["FICTION", "HISTORY"], "copies": "3", "room": "r1",
				"metadata": {"x": [1, "two"]}}`},
		{name: "body * accepts proto names", method: "POST", path: "/v1/books", body: `{"publish_time": "2024-05-01T10:00:00Z"}`,
			wantType: "Book", want: `{"publishTime": "2024-05-01T10:00:00Z"}`},
		{name: "body * empty", method: "POST", path: "/v1/books", body: ``, wantType: "Book", want: `{}`},
		{name: "body * unknown field", method: "POST", path: "/v1/books", body: `{"colour": "red"}`, status: 400,
			errContains: `unknown field "colour"`},
		{name: "body * malformed", method: "POST", path: "/v1/books", body: `{"name": `, status: 400,
			errContains: "request body"},
		{name: "body * with a path variable, which wins", method: "POST", path: "/v1/shelves/1/books/2:rename",
			body: `{"name": "ignored", "title": "T"}`, wantType: "Book", want: `{"name": "shelves/1/books/2", "title": "T"}`},
		{name: "two members of a oneof", method: "POST", path: "/v1/books", body: `{"room": "r", "box": 2}`, status: 400,
			errContains: "oneof"},

		// body: "field": the body is the field's value (the spec), not an
		// object holding the field.
		{name: "body field is the field's value", method: "PATCH", path: "/v1/shelves/1/books/2?updateMask=title",
			body: `{"title": "New", "genre": "HISTORY"}`, wantType: "UpdateBookRequest",
			want: `{"book": {"name": "shelves/1/books/2", "title": "New", "genre": "HISTORY"}, "updateMask": "title"}`},
		{name: "body field: the path wins inside it", method: "PATCH", path: "/v1/shelves/1/books/2",
			body: `{"name": "other", "title": "New"}`, wantType: "UpdateBookRequest",
			want: `{"book": {"name": "shelves/1/books/2", "title": "New"}, "updateMask": "name,title"}`},
		{name: "PATCH without a mask: the mask is the body's fields, nested ones followed", method: "PATCH", path: "/v1/shelves/1/books/2",
			body:     `{"title": "New", "bestReview": {"stars": 4}, "labels": {"a": "b"}, "publish_time": "2024-05-01T10:00:00Z", "tags": ["x"]}`,
			wantType: "UpdateBookRequest",
			want: `{"book": {"name": "shelves/1/books/2", "title": "New", "bestReview": {"stars": 4}, "labels": {"a": "b"},
				"publishTime": "2024-05-01T10:00:00Z", "tags": ["x"]}, "updateMask": "bestReview.stars,labels,publishTime,tags,title"}`},
		{name: "PATCH with a mask in the query keeps it", method: "PATCH", path: "/v1/shelves/1/books/2?update_mask=genre",
			body: `{"title": "New"}`, wantType: "UpdateBookRequest",
			want: `{"book": {"name": "shelves/1/books/2", "title": "New"}, "updateMask": "genre"}`},
		{name: "PATCH with an empty body sets no mask", method: "PATCH", path: "/v1/shelves/1/books/2",
			body: ``, wantType: "UpdateBookRequest", want: `{"book": {"name": "shelves/1/books/2"}}`},
		{name: "body field: an object holding the field is refused", method: "PATCH", path: "/v1/shelves/1/books/2",
			body: `{"book": {"title": "New"}}`, status: 400, errContains: `unknown field "book"`},
		{name: "body field: no smuggling of other fields", method: "PATCH", path: "/v1/shelves/1/books/2",
			body: `{"title": "x"}, "updateMask": "title"`, status: 400, errContains: "not a valid JSON value"},
		{name: "body field: query may not set it", method: "PATCH", path: "/v1/shelves/1/books/2?book.title=x",
			body: `{}`, status: 400, errContains: "comes from the request body"},
		{name: "body field: repeated", method: "POST", path: "/v1/shelves/1/books/2:tag",
			body: `["x", "y"]`, wantType: "TagBookRequest", want: `{"name": "shelves/1/books/2", "tags": ["x", "y"]}`},
		{name: "body field: scalar, other fields from the query", method: "POST", path: "/v1/shelves/1/books/2:prioritize?tags=q",
			body: `7`, wantType: "TagBookRequest", want: `{"name": "shelves/1/books/2", "priority": 7, "tags": ["q"]}`},
		{name: "body field: wrong JSON type", method: "POST", path: "/v1/shelves/1/books/2:prioritize",
			body: `"high"`, status: 400, errContains: "request body (field priority)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got proto.Message
			h := echoRouter(t, libraryRoutes, &got, func() (proto.Message, error) { return &emptypb.Empty{}, nil })
			w := serve(h, tt.method, tt.path, tt.body)
			status := tt.status
			if status == 0 {
				status = 200
			}
			if w.Code != status {
				t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
			}
			if status != 200 {
				var body httpErrorBody
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
					t.Fatalf("error body %q: %v", w.Body, err)
				}
				if body.Error.Status != "INVALID_ARGUMENT" || !strings.Contains(body.Error.Message, tt.errContains) {
					t.Errorf("error %+v, want INVALID_ARGUMENT containing %q", body.Error, tt.errContains)
				}
				return
			}
			want := fromJSON(t, tt.wantType, tt.want)
			if !proto.Equal(got, want) {
				t.Errorf("decoded\n%v\nwant\n%v", got, want)
			}
		})
	}
}

// TestDecodeRequestContentType refuses a body sent with a Content-Type that
// is not JSON (415: browsers send text/plain and forms cross-origin without
// a preflight), accepts the JSON ones and an absent one, and refuses data
// after the JSON value (400).
func TestDecodeRequestContentType(t *testing.T) {
	var got proto.Message
	h := echoRouter(t, libraryRoutes, &got, func() (proto.Message, error) { return &emptypb.Empty{}, nil })
	tests := []struct {
		contentType, body string
		status            int
	}{
		{"", `{"title": "Dune"}`, 200},
		{"application/json", `{"title": "Dune"}`, 200},
		{"Application/JSON; charset=utf-8", `{"title": "Dune"}`, 200},
		{"application/merge-patch+json", `{"title": "Dune"}`, 200},
		{"text/plain", `{"title": "Dune"}`, 415},
		{"text/plain;charset=UTF-8", `{"title": "Dune"}`, 415},
		{"application/x-www-form-urlencoded", `{"title": "Dune"}`, 415},
		{"multipart/form-data; boundary=x", `{"title": "Dune"}`, 415},
		{"application/xml", `<book/>`, 415},
		{"application/+json", `{"title": "Dune"}`, 415},
		{"application/json", `{"title": "Dune"} trailing`, 400},
		{"application/json", `{"title": "Dune"}{"title": "Emma"}`, 400},
		{"application/json", `{"title": "Dune"}}`, 400},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("POST", "/v1/books", strings.NewReader(tt.body))
		if tt.contentType != "" {
			req.Header.Set("Content-Type", tt.contentType)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != tt.status {
			t.Errorf("Content-Type %q, body %s: status %d, want %d (%s)", tt.contentType, tt.body, w.Code, tt.status, w.Body)
		}
		if tt.status == 415 && !strings.Contains(w.Body.String(), "send application/json") {
			t.Errorf("Content-Type %q: body %s does not say what to send", tt.contentType, w.Body)
		}
	}
}
