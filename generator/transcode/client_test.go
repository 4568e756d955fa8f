package transcode

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/google/go-cmp/cmp"
)

// TestClientRoundTrip: a request message the client side encodes for a
// binding is decoded by the server side of the same binding into an equal
// message, over a real HTTP connection, and the response comes back equal.
func TestClientRoundTrip(t *testing.T) {
	var got proto.Message
	reply := fromJSON(t, "Book", `{"name": "shelves/1/books/2", "title": "T", "tags": ["a"], "pages": 3}`)
	srv := httptest.NewServer(echoRouter(t, libraryRoutes, &got, func() (proto.Message, error) { return reply, nil }))
	defer srv.Close()
	for _, tt := range []struct {
		route testRoute
		req   string // the request message as protojson
	}{
		{libraryRoutes[0], `{"name": "shelves/1/books/2", "verbose": true, "readMask": "title,bestReview.text", "asOf": "2024-05-01T10:00:00Z",
			"ids": ["1", "2"], "timeout": "1.500s", "strict": false, "shard": 7, "minPrice": -1.5, "pageTokens": ["b", "a"], "quotas": {"x": 1},
			"filter": {"author": "ann lee", "inner": {"level": "4"}}, "genre": "HISTORY"}`},
		{libraryRoutes[1], `{"genre": "FICTION", "name": "n/with/slashes"}`},
		{libraryRoutes[2], `{"filter": {"inner": {"level": "-3"}, "author": "a b/c"}}`},
		{libraryRoutes[3], `{"name": "n", "title": "T", "labels": {"k": "v"}, "cover": "AAE=", "room": "r1"}`},
		{libraryRoutes[4], `{"name": "shelves/1/books/2", "title": "renamed"}`},
		{libraryRoutes[5], `{"book": {"name": "shelves/x/books/y", "title": "New"}, "updateMask": "title"}`},
		{libraryRoutes[6], `{"name": "shelves/1/books/2", "tags": ["x", "y"]}`},
		{libraryRoutes[8], `{"name": "a/b/c d"}`},
	} {
		t.Run(tt.route.method+" "+tt.route.template, func(t *testing.T) {
			in := fromJSON(t, tt.route.request, tt.req)
			r, err := http.NewRequest(tt.route.method, srv.URL, nil)
			must(t, err)
			if err := EncodeRequest(tt.route.template, tt.route.body)(context.Background(), r, in); err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(r)
			must(t, err)
			defer resp.Body.Close()
			out, err := DecodeResponse(newMessage(t, "Book"), "")(context.Background(), resp)
			if err != nil {
				t.Fatalf("%s %s: %v", r.Method, r.URL, err)
			}
			if diff := cmp.Diff(in, got, protocmp.Transform()); diff != "" {
				t.Errorf("%s %s: the server decoded another message (-sent +decoded):\n%s", r.Method, r.URL, diff)
			}
			if diff := cmp.Diff(reply, out, protocmp.Transform()); diff != "" {
				t.Errorf("response (-sent +received):\n%s", diff)
			}
		})
	}
}

// TestClientErrors: an error response becomes the gRPC status its body
// names; a request whose path variable is empty is refused before sending.
func TestClientErrors(t *testing.T) {
	var got proto.Message
	srv := httptest.NewServer(echoRouter(t, libraryRoutes, &got, func() (proto.Message, error) {
		return nil, status.Error(codes.FailedPrecondition, "shelf full")
	}))
	defer srv.Close()
	r, _ := http.NewRequest("GET", srv.URL, nil)
	must(t, EncodeRequest(libraryRoutes[0].template, "")(context.Background(), r, fromJSON(t, "GetBookRequest", `{"name": "shelves/1/books/2"}`)))
	resp, err := http.DefaultClient.Do(r)
	must(t, err)
	defer resp.Body.Close()
	_, err = DecodeResponse(newMessage(t, "Book"), "")(context.Background(), resp)
	if s, _ := status.FromError(err); s.Code() != codes.FailedPrecondition || s.Message() != "shelf full" {
		t.Errorf("error response: %v", err)
	}
	r, _ = http.NewRequest("GET", srv.URL, nil)
	err = EncodeRequest(libraryRoutes[0].template, "")(context.Background(), r, fromJSON(t, "GetBookRequest", `{}`))
	if s, _ := status.FromError(err); s.Code() != codes.InvalidArgument {
		t.Errorf("empty path variable: %v", err)
	}
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
