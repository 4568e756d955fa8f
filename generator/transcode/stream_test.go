package transcode

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/dynamicpb"
)

// streamServer serves GET /v1/shelves/{shelf}/books as a server-streaming
// rpc over a real HTTP connection: rpc runs with the decoded request.
func streamServer(t *testing.T, rpc func(*dynamicpb.Message, grpc.ServerStreamingServer[dynamicpb.Message]) error) *httptest.Server {
	t.Helper()
	rt := NewRouter()
	decode := DecodeRequest(newMessage(t, "GetBookRequest"), "")
	rt.Handle("GET", "/v1/{name=shelves/*}/books", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ServeServerStream(w, r, decode, rpc)
	}))
	srv := httptest.NewServer(rt)
	t.Cleanup(srv.Close)
	return srv
}

// book is a Book message titled title.
func book(t *testing.T, title string) *dynamicpb.Message {
	return fromJSON(t, "Book", `{"title": "`+title+`"}`).(*dynamicpb.Message)
}

// TestServerStreamNDJSON: each message is a {"result": ...} line that
// reaches the client before the next is sent (flushed), and an error after
// the first message is the last line.
func TestServerStreamNDJSON(t *testing.T) {
	next := make(chan struct{})
	srv := streamServer(t, func(req *dynamicpb.Message, s grpc.ServerStreamingServer[dynamicpb.Message]) error {
		name := req.Get(req.Descriptor().Fields().ByName("name")).String()
		for _, title := range []string{name + "-a", name + "-b"} {
			if err := s.Send(book(t, title)); err != nil {
				return err
			}
			<-next // the client read the line: it was flushed
		}
		return status.Error(codes.ResourceExhausted, "quota")
	})
	resp, err := http.Get(srv.URL + "/v1/shelves/s1/books")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "application/x-ndjson" {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, ct)
	}
	lines := bufio.NewReader(resp.Body)
	for _, want := range []string{`{"result":{"title":"shelves/s1-a"}}`, `{"result":{"title":"shelves/s1-b"}}`} {
		got, err := lines.ReadString('\n')
		if err != nil || strings.TrimSpace(got) != want {
			t.Fatalf("line %q (%v), want %q", got, err, want)
		}
		next <- struct{}{}
	}
	last, _ := io.ReadAll(lines)
	if want := `{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}`; strings.TrimSpace(string(last)) != want {
		t.Errorf("last line %q, want %q", last, want)
	}
}

// TestServerStreamErrorFirst: an rpc that fails before its first message
// answers an ordinary error response with the code's HTTP status.
func TestServerStreamErrorFirst(t *testing.T) {
	srv := streamServer(t, func(*dynamicpb.Message, grpc.ServerStreamingServer[dynamicpb.Message]) error {
		return status.Error(codes.NotFound, "no shelf")
	})
	resp, err := http.Get(srv.URL + "/v1/shelves/s1/books")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"status":"NOT_FOUND"`) {
		t.Errorf("status %d, body %s", resp.StatusCode, body)
	}
	// A bad request never reaches the rpc.
	resp, err = http.Get(srv.URL + "/v1/shelves/s1/books?verbose=maybe")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad query: status %d, want 400", resp.StatusCode)
	}
}

// TestServerStreamSSE: with Accept: text/event-stream every message is a
// data event and the failure an error event.
func TestServerStreamSSE(t *testing.T) {
	srv := streamServer(t, func(_ *dynamicpb.Message, s grpc.ServerStreamingServer[dynamicpb.Message]) error {
		if err := s.Send(book(t, "x")); err != nil {
			return err
		}
		return status.Error(codes.Aborted, "stop")
	})
	req, _ := http.NewRequest("GET", srv.URL+"/v1/shelves/s1/books", nil)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	want := "data: {\"title\":\"x\"}\n\nevent: error\ndata: {\"error\":{\"code\":409,\"message\":\"stop\",\"status\":\"ABORTED\"}}\n\n"
	if resp.Header.Get("Content-Type") != "text/event-stream" || string(body) != want {
		t.Errorf("Content-Type %q, body %q, want %q", resp.Header.Get("Content-Type"), body, want)
	}
}

// TestServerStreamCancel: a client that goes away cancels the rpc's
// context.
func TestServerStreamCancel(t *testing.T) {
	cancelled := make(chan error, 1)
	srv := streamServer(t, func(_ *dynamicpb.Message, s grpc.ServerStreamingServer[dynamicpb.Message]) error {
		if err := s.Send(book(t, "first")); err != nil {
			return err
		}
		<-s.Context().Done()
		cancelled <- s.Context().Err()
		return s.Send(book(t, "too late"))
	})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/v1/shelves/s1/books", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	cancel()
	resp.Body.Close()
	select {
	case err := <-cancelled:
		if err == nil {
			t.Error("context done without an error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the rpc's context was not cancelled when the client went away")
	}
}

// TestClientStream: every line of the body is a request message; the
// response is written as a unary rpc's; a bad line is a 400 naming it.
func TestClientStream(t *testing.T) {
	rt := NewRouter()
	rt.Handle("POST", "/v1/books:batchCreate", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ServeClientStream(w, r, newMessage(t, "Book"), func(s grpc.ClientStreamingServer[dynamicpb.Message, dynamicpb.Message]) error {
			var titles []string
			for {
				b, err := s.Recv()
				if err == io.EOF {
					return s.SendAndClose(book(t, strings.Join(titles, "+")))
				}
				if err != nil {
					return err
				}
				titles = append(titles, b.Get(b.Descriptor().Fields().ByName("title")).String())
			}
		})
	}))
	srv := httptest.NewServer(rt)
	defer srv.Close()
	post := func(ct, body string) (int, string) {
		resp, err := http.Post(srv.URL+"/v1/books:batchCreate", ct, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	if code, body := post("application/x-ndjson", "{\"title\":\"a\"}\n\n{\"title\":\"b\"}\n{\"title\":\"c\"}"); code != 200 || body != `{"title":"a+b+c"}` {
		t.Errorf("stream of three: %d %s", code, body)
	}
	if code, body := post("application/x-ndjson", "{\"title\":\"a\"}\n{\"colour\":\"red\"}\n"); code != 400 || !strings.Contains(body, "line 2") {
		t.Errorf("bad second line: %d %s", code, body)
	}
	if code, _ := post("text/plain", "{\"title\":\"a\"}\n"); code != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain: %d, want 415", code)
	}
	if code, body := post("application/x-ndjson", ""); code != 200 || body != `{}` {
		t.Errorf("empty stream: %d %s", code, body)
	}
}
