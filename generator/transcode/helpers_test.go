package transcode

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/bufbuild/protocompile"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// testProto declares the messages the tests decode into: every kind of
// field a URL or a body can set.
const testProto = `syntax = "proto3";
package test.library.v1;

import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/struct.proto";

enum Genre {
  GENRE_UNSPECIFIED = 0;
  FICTION = 1;
  HISTORY = 2;
}

message Book {
  string name = 1;
  string title = 2;
  Genre genre = 3;
  repeated string tags = 4;
  optional int32 pages = 5;
  google.protobuf.Timestamp publish_time = 6;
  Review best_review = 7;
  oneof location {
    string room = 8;
    int32 box = 9;
  }
  map<string, string> labels = 10;
  bytes cover = 11;
  google.protobuf.Int64Value isbn = 12;
  double price = 13;
  bool available = 14;
  repeated Genre genres = 15;
  uint64 copies = 16;
  float rating = 17;
  repeated Review reviews = 18;
  google.protobuf.Struct metadata = 19;

  message Review {
    string text = 1;
    int32 stars = 2;
  }
}

message Filter {
  string author = 1;
  Inner inner = 2;
  message Inner {
    sint64 level = 1;
  }
}

message GetBookRequest {
  string name = 1;
  bool verbose = 2;
  Genre genre = 3;
  Filter filter = 4;
  google.protobuf.FieldMask read_mask = 5;
  google.protobuf.Timestamp as_of = 6;
  repeated int64 ids = 7;
  google.protobuf.Duration timeout = 8;
  google.protobuf.BoolValue strict = 9;
  repeated google.protobuf.Timestamp times = 10;
  fixed32 shard = 11;
  double min_price = 12;
  repeated string page_tokens = 13;
  map<string, int32> quotas = 14;
}

message UpdateBookRequest {
  Book book = 1;
  google.protobuf.FieldMask update_mask = 2;
}

message TagBookRequest {
  string name = 1;
  repeated string tags = 2;
  int32 priority = 3;
}

message ListBooksResponse {
  repeated Book books = 1;
  string next_page_token = 2;
  int32 total_size = 3;
}
`

var testFiles = sync.OnceValue(func() protoreflect.FileDescriptor {
	c := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
		Accessor: protocompile.SourceAccessorFromMap(map[string]string{"test.proto": testProto}),
	})}
	files, err := c.Compile(context.Background(), "test.proto")
	if err != nil {
		panic(err)
	}
	return files[0]
})

// descriptor returns a test message type by name.
func descriptor(t testing.TB, name string) protoreflect.MessageDescriptor {
	t.Helper()
	md := testFiles().Messages().ByName(protoreflect.Name(name))
	if md == nil {
		t.Fatalf("no message %s", name)
	}
	return md
}

// newMessage returns a constructor of empty dynamic messages of type name.
func newMessage(t testing.TB, name string) func() proto.Message {
	md := descriptor(t, name)
	return func() proto.Message { return dynamicpb.NewMessage(md) }
}

// fromJSON builds a message of type name from its protojson form.
func fromJSON(t testing.TB, name, js string) proto.Message {
	t.Helper()
	m := newMessage(t, name)()
	if err := protojson.Unmarshal([]byte(js), m); err != nil {
		t.Fatalf("bad test JSON %s: %v", js, err)
	}
	return m
}

// testRoute is one binding served by a test router.
type testRoute struct {
	method, template, request, body, responseBody string
}

// echoRouter serves each route by decoding the request and returning the
// decoded message to the test through got, answering with resp (or err).
func echoRouter(t testing.TB, routes []testRoute, got *proto.Message, resp func() (proto.Message, error)) http.Handler {
	rt := NewRouter()
	for _, r := range routes {
		decode := DecodeRequest(newMessage(t, r.request), r.body)
		encode := EncodeResponse(r.responseBody)
		rt.Handle(r.method, r.template, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			msg, err := decode(req.Context(), req)
			if err != nil {
				EncodeError(req.Context(), err, w)
				return
			}
			*got = msg.(proto.Message)
			out, err := resp()
			if err != nil {
				EncodeError(req.Context(), err, w)
				return
			}
			if err := encode(req.Context(), w, out); err != nil {
				EncodeError(req.Context(), err, w)
			}
		}))
	}
	return rt
}

// serve sends one request to h and returns the recorder.
func serve(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	var req *http.Request
	if body == "" {
		req = httptest.NewRequest(method, target, nil)
	} else {
		req = httptest.NewRequest(method, target, strings.NewReader(body))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}
