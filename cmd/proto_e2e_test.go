package cmd

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestProtoServiceEndToEnd: kitforge new --proto with a Google-style API in
// a versioned package (a second local file imported, a go_package outside
// the module), implement it, build, vet, run; drive every HTTP binding with
// net/http (path variables with slashes, nested path fields, a custom verb,
// query parameters with enums by name and number, repeated and nested
// ones, a body field, response_body, the default route of an rpc without
// annotation), every unary rpc through grpcurl by reflection and through
// the generated Go kit gRPC client, the server-streaming rpc through
// grpcurl, and an error per transport (NotFound: 404 and NotFound); SIGTERM;
// then add an rpc to the .proto, go generate, and check the implementation
// kept its code and got a stub.
func TestProtoServiceEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated proto service; skipped with -short")
	}
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	writeFile(t, filepath.Join(work, "api", "library", "v1", "library.proto"), e2eLibraryProto)
	writeFile(t, filepath.Join(work, "api", "library", "v1", "shelf.proto"), e2eShelfProto)
	out := run(t, work, bin, "new", "library", "--module", "example.com/library", "--proto", "api/library/v1/library.proto", "-I", "api")
	for _, want := range []string{
		"created    proto/library/v1/library.proto", "created    proto/library/v1/shelf.proto",
		"created    pkg/pb/acme/library/v1/library.pb.go", "created    pkg/pb/acme/library/v1/shelf.pb.go",
		"its Go code goes to example.com/library/pkg/pb/acme/library/v1 (package libraryv1)",
		"rpc Library.WatchBooks streams its responses: served on gRPC only",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("kitforge new output lacks %q:\n%s", want, out)
		}
	}
	mod := filepath.Join(work, "library")
	cfg, err := os.ReadFile(filepath.Join(mod, "kitforge.yaml"))
	must(t, err)
	for _, want := range []string{"proto: [proto/library/v1/library.proto]", "proto_paths: [proto]", "transports: [http, grpc]"} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("kitforge.yaml lacks %q:\n%s", want, cfg)
		}
	}

	writeFile(t, filepath.Join(mod, "pkg", "libraryservice", "service_impl.go"), e2eLibraryImpl)
	writeFile(t, filepath.Join(mod, "cmd", "libraryclient", "main.go"), e2eLibraryClient)
	svcBin := filepath.Join(work, "library-bin")
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/library")
	run(t, mod, "go", "vet", "./...")
	clientBin := filepath.Join(work, "library-client")
	run(t, mod, "go", "build", "-o", clientBin, "./cmd/libraryclient")

	s, grpcAddr := startGRPCService(t, svcBin)

	// HTTP/JSON transcoding, binding by binding.
	for _, c := range []struct {
		method, path, body string
		status             int
		want               any // the decoded JSON body
	}{
		{"GET", "/v1/shelves/1", "", 200, map[string]any{"name": "shelves/1", "theme": "Fiction", "createTime": "2024-05-01T10:00:00Z"}},
		{"GET", "/v1/shelves/0", "", 404, map[string]any{"error": map[string]any{"code": 404.0, "message": "no shelf shelves/0", "status": "NOT_FOUND"}}},
		{"GET", "/v1/shelves/1/books/2", "", 200, map[string]any{"name": "shelves/1/books/2", "title": "Book 2", "genre": "HISTORY"}},
		{"GET", "/v1/shelves/1/books?genre=HISTORY&pageSize=2&tags=a&tags=b&filter.author=ann", "", 200,
			map[string]any{"books": []any{map[string]any{"name": "shelves/1/books/1"}}, "nextPageToken": "genre=HISTORY page_size=2 tags=a,b author=ann"}},
		{"GET", "/v1/shelves/1/books?genre=1", "", 200,
			map[string]any{"books": []any{map[string]any{"name": "shelves/1/books/1"}}, "nextPageToken": "genre=FICTION page_size=0 tags= author="}},
		{"GET", "/v1/shelves/1/books?colour=red", "", 400, nil},
		{"PATCH", "/v1/shelves/1/books/2?updateMask=title,genre", `{"title": "New", "genre": "FICTION"}`, 200,
			map[string]any{"name": "shelves/1/books/2", "title": "New", "genre": "FICTION", "author": "updated title,genre"}},
		{"POST", "/v1/shelves/1:merge", `{"otherShelf": "shelves/2"}`, 200, map[string]any{"name": "shelves/1", "theme": "merged with shelves/2"}},
		{"DELETE", "/v1/shelves/1/books/2", "", 200, map[string]any{}},
		{"GET", "/v1/genres", "", 200, []any{"FICTION", "HISTORY"}},
		{"POST", "/acme.library.v1.Library/Ping", `{"message": "hi"}`, 200, map[string]any{"message": "pong hi"}},
		{"PUT", "/v1/shelves/1", "", 405, nil},
		{"GET", "/v1/nothing", "", 404, nil},
	} {
		status, body := httpCall(t, s.base, c.method, c.path, c.body)
		if status != c.status {
			t.Errorf("%s %s: status %d, want %d: %v", c.method, c.path, status, c.status, body)
			continue
		}
		if c.want != nil && !reflect.DeepEqual(body, c.want) {
			t.Errorf("%s %s: body %#v, want %#v", c.method, c.path, body, c.want)
		}
		if c.status >= 400 {
			if m, ok := body.(map[string]any); !ok || m["error"] == nil {
				t.Errorf("%s %s: error body %#v", c.method, c.path, body)
			}
		}
	}

	// gRPC through grpcurl, by reflection only.
	out, ok := grpcurl(t, nil, grpcAddr, "list")
	if !ok || !strings.Contains(out, "acme.library.v1.Library") || !strings.Contains(out, "grpc.health.v1.Health") {
		t.Errorf("grpcurl list:\n%s", out)
	}
	expectGRPC(t, grpcAddr, "acme.library.v1.Library/GetShelf", `{"name": "shelves/1"}`, true, `"theme": "Fiction"`, `"createTime": "2024-05-01T10:00:00Z"`)
	expectGRPC(t, grpcAddr, "acme.library.v1.Library/GetShelf", `{"name": "shelves/0"}`, false, "Code: NotFound", "no shelf shelves/0")
	expectGRPC(t, grpcAddr, "acme.library.v1.Library/GetBook", `{"name": "shelves/1/books/2"}`, true, `"genre": "HISTORY"`)
	expectGRPC(t, grpcAddr, "acme.library.v1.Library/ListBooks", `{"parent": "shelves/1", "genre": "FICTION"}`, true, `"nextPageToken": "genre=FICTION`)
	expectGRPC(t, grpcAddr, "acme.library.v1.Library/UpdateBook", `{"book": {"name": "shelves/1/books/2", "title": "T"}}`, true, `"title": "T"`)
	expectGRPC(t, grpcAddr, "acme.library.v1.Library/MergeShelves", `{"name": "shelves/1", "otherShelf": "shelves/3"}`, true, "merged with shelves/3")
	expectGRPC(t, grpcAddr, "acme.library.v1.Library/DeleteBook", `{"name": "shelves/1/books/2"}`, true, "{")
	expectGRPC(t, grpcAddr, "acme.library.v1.Library/ListGenres", "", true, `"FICTION"`, `"HISTORY"`)
	expectGRPC(t, grpcAddr, "acme.library.v1.Library/Ping", `{"message": "hi"}`, true, "pong hi")
	expectGRPC(t, grpcAddr, "acme.library.v1.Library/WatchBooks", `{"parent": "shelves/7"}`, true,
		`"name": "shelves/7/books/1"`, `"name": "shelves/7/books/2"`, `"name": "shelves/7/books/3"`)
	expectGRPC(t, grpcAddr, "grpc.health.v1.Health/Check", `{"service": "acme.library.v1.Library"}`, true, "SERVING")

	// The generated Go kit gRPC client, for every unary rpc.
	clientOut := run(t, work, clientBin, grpcAddr, s.base)
	wants := []string{
		"GetShelf: shelves/1 Fiction",
		"GetShelf missing: NotFound no shelf shelves/0",
		"GetBook: shelves/1/books/2 HISTORY",
		"ListBooks: genre=HISTORY page_size=0 tags= author=",
		"UpdateBook: shelves/1/books/2 T updated title",
		"MergeShelves: merged with shelves/9",
		"DeleteBook: ok",
		"ListGenres: [FICTION HISTORY]",
		"Ping: pong client",
		"WatchBooks: 3",
	}
	// The generated HTTP client answers alike, but for the stream (gRPC only).
	for _, w := range wants[:len(wants)-1] {
		wants = append(wants, "http "+w)
	}
	for _, want := range wants {
		if !strings.Contains(clientOut, want) {
			t.Errorf("client output lacks %q:\n%s", want, clientOut)
		}
	}
	s.stop()

	// Add an rpc to the .proto and regenerate: the implementation keeps its
	// code and gets a stub; everything builds.
	editFile(t, filepath.Join(mod, "proto", "library", "v1", "library.proto"), "  // Ping has no HTTP annotation",
		"  // CountBooks counts the books of a shelf.\n  rpc CountBooks(GetShelfRequest) returns (PingResponse) {\n    option (google.api.http) = {get: \"/v1/{name=shelves/*}/books:count\"};\n  }\n\n  // Ping has no HTTP annotation")
	out = run(t, mod, "go", "generate", "./...")
	if !strings.Contains(out, "merged     pkg/libraryservice/service_impl.go") {
		t.Errorf("go generate did not merge a stub:\n%s", out)
	}
	impl, err := os.ReadFile(filepath.Join(mod, "pkg", "libraryservice", "service_impl.go"))
	must(t, err)
	for _, want := range []string{"CountBooks(ctx context.Context, in *libraryv1.GetShelfRequest) (*libraryv1.PingResponse, error) {", `"pong " + in.GetMessage()`} {
		if !strings.Contains(string(impl), want) {
			t.Errorf("service_impl.go lacks %q:\n%s", want, impl)
		}
	}
	run(t, mod, "go", "build", "./...")
	run(t, mod, "go", "vet", "./...")
	run(t, mod, bin, "generate", "--check")
}

// httpCall makes one request and decodes its JSON body (nil when empty).
func httpCall(t *testing.T, base, method, path, body string) (int, any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	must(t, err)
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	must(t, err)
	if ct := resp.Header.Get("Content-Type"); len(data) > 0 && !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	var v any
	if len(data) > 0 {
		if err := json.Unmarshal(data, &v); err != nil {
			t.Errorf("%s %s: body %q is not JSON: %v", method, path, data, err)
		}
	}
	return resp.StatusCode, v
}

// e2eLibraryProto is a Google-style API in a versioned package, with a
// go_package outside the module, that imports a second local file.
const e2eLibraryProto = `syntax = "proto3";

package acme.library.v1;

import "google/api/annotations.proto";
import "google/api/field_behavior.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "library/v1/shelf.proto";

option go_package = "github.com/acme/apis/library/v1;libraryv1";

// Library lends books.
service Library {
  // GetShelf returns a shelf, NOT_FOUND for shelves/0.
  rpc GetShelf(GetShelfRequest) returns (Shelf) {
    option (google.api.http) = {get: "/v1/{name=shelves/*}"};
  }
  // ListBooks echoes its query in next_page_token.
  rpc ListBooks(ListBooksRequest) returns (ListBooksResponse) {
    option (google.api.http) = {get: "/v1/{parent=shelves/*}/books"};
  }
  // GetBook returns a book.
  rpc GetBook(GetBookRequest) returns (Book) {
    option (google.api.http) = {get: "/v1/{name=shelves/*/books/*}"};
  }
  // UpdateBook updates the fields of update_mask.
  rpc UpdateBook(UpdateBookRequest) returns (Book) {
    option (google.api.http) = {
      patch: "/v1/{book.name=shelves/*/books/*}"
      body: "book"
    };
  }
  // MergeShelves merges other_shelf into name.
  rpc MergeShelves(MergeShelvesRequest) returns (Shelf) {
    option (google.api.http) = {
      post: "/v1/{name=shelves/*}:merge"
      body: "*"
    };
  }
  // DeleteBook deletes a book.
  rpc DeleteBook(GetBookRequest) returns (google.protobuf.Empty) {
    option (google.api.http) = {delete: "/v1/{name=shelves/*/books/*}"};
  }
  // ListGenres lists the genres; the HTTP body is the list itself.
  rpc ListGenres(google.protobuf.Empty) returns (ListGenresResponse) {
    option (google.api.http) = {
      get: "/v1/genres"
      response_body: "genres"
    };
  }
  // Ping has no HTTP annotation: POST /acme.library.v1.Library/Ping.
  rpc Ping(PingRequest) returns (PingResponse);
  // WatchBooks streams the books of a shelf.
  rpc WatchBooks(ListBooksRequest) returns (stream Book);
}

enum Genre {
  GENRE_UNSPECIFIED = 0;
  FICTION = 1;
  HISTORY = 2;
}

message Book {
  string name = 1 [(google.api.field_behavior) = IDENTIFIER];
  string title = 2;
  string author = 3;
  Genre genre = 4;
}

message GetBookRequest {
  string name = 1 [(google.api.field_behavior) = REQUIRED];
}

message Filter {
  string author = 1;
}

message ListBooksRequest {
  string parent = 1;
  Genre genre = 2;
  int32 page_size = 3;
  repeated string tags = 4;
  Filter filter = 5;
}

message ListBooksResponse {
  repeated Book books = 1;
  string next_page_token = 2;
}

message UpdateBookRequest {
  Book book = 1;
  google.protobuf.FieldMask update_mask = 2;
}

message MergeShelvesRequest {
  string name = 1;
  string other_shelf = 2;
}

message ListGenresResponse {
  repeated Genre genres = 1;
}

message PingRequest {
  string message = 1;
}

message PingResponse {
  string message = 1;
}
`

// e2eShelfProto is the second local file, in the same proto package.
const e2eShelfProto = `syntax = "proto3";

package acme.library.v1;

import "google/protobuf/timestamp.proto";

option go_package = "github.com/acme/apis/library/v1;libraryv1";

// Shelf holds books.
message Shelf {
  string name = 1;
  string theme = 2;
  google.protobuf.Timestamp create_time = 3;
}

message GetShelfRequest {
  string name = 1;
}
`

// e2eLibraryImpl implements the service, echoing what it received.
const e2eLibraryImpl = `package libraryservice

import (
	"context"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	libraryv1 "example.com/library/pkg/pb/acme/library/v1"
)

type basicService struct{}

// New returns the Library implementation.
func New() Service { return basicService{} }

func (basicService) GetShelf(_ context.Context, in *libraryv1.GetShelfRequest) (*libraryv1.Shelf, error) {
	if in.GetName() == "shelves/0" {
		return nil, status.Errorf(codes.NotFound, "no shelf %s", in.GetName())
	}
	return &libraryv1.Shelf{Name: in.GetName(), Theme: "Fiction", CreateTime: timestamppb.New(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC))}, nil
}

func (basicService) ListBooks(_ context.Context, in *libraryv1.ListBooksRequest) (*libraryv1.ListBooksResponse, error) {
	token := fmt.Sprintf("genre=%s page_size=%d tags=%s author=%s", in.GetGenre(), in.GetPageSize(), strings.Join(in.GetTags(), ","), in.GetFilter().GetAuthor())
	return &libraryv1.ListBooksResponse{Books: []*libraryv1.Book{{Name: in.GetParent() + "/books/1"}}, NextPageToken: token}, nil
}

func (basicService) GetBook(_ context.Context, in *libraryv1.GetBookRequest) (*libraryv1.Book, error) {
	return &libraryv1.Book{Name: in.GetName(), Title: "Book " + in.GetName()[strings.LastIndex(in.GetName(), "/")+1:], Genre: libraryv1.Genre_HISTORY}, nil
}

func (basicService) UpdateBook(_ context.Context, in *libraryv1.UpdateBookRequest) (*libraryv1.Book, error) {
	b := in.GetBook()
	b.Author = "updated " + strings.Join(in.GetUpdateMask().GetPaths(), ",")
	return b, nil
}

func (basicService) MergeShelves(_ context.Context, in *libraryv1.MergeShelvesRequest) (*libraryv1.Shelf, error) {
	return &libraryv1.Shelf{Name: in.GetName(), Theme: "merged with " + in.GetOtherShelf()}, nil
}

func (basicService) DeleteBook(_ context.Context, in *libraryv1.GetBookRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (basicService) ListGenres(context.Context, *emptypb.Empty) (*libraryv1.ListGenresResponse, error) {
	return &libraryv1.ListGenresResponse{Genres: []libraryv1.Genre{libraryv1.Genre_FICTION, libraryv1.Genre_HISTORY}}, nil
}

func (basicService) Ping(_ context.Context, in *libraryv1.PingRequest) (*libraryv1.PingResponse, error) {
	return &libraryv1.PingResponse{Message: "pong " + in.GetMessage()}, nil
}

func (basicService) WatchBooks(in *libraryv1.ListBooksRequest, stream WatchBooksStream) error {
	for i := 1; i <= 3; i++ {
		if err := stream.Send(&libraryv1.Book{Name: fmt.Sprintf("%s/books/%d", in.GetParent(), i)}); err != nil {
			return err
		}
	}
	return nil
}
`

// e2eLibraryClient calls every unary rpc through the generated Go kit gRPC
// client, and the streaming one through the generated gRPC glue.
const e2eLibraryClient = `package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	libraryv1 "example.com/library/pkg/pb/acme/library/v1"
	"example.com/library/pkg/librarytransport"
)

func main() {
	conn, err := grpc.NewClient(os.Args[1], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	ctx := context.Background()
	unary(ctx, "", librarytransport.NewGRPCClient(conn))
	// The same calls over HTTP/JSON, through the rpcs' google.api.http bindings.
	h, err := librarytransport.NewHTTPClient(os.Args[2])
	if err != nil {
		panic(err)
	}
	unary(ctx, "http ", h)

	stream, err := libraryv1.NewLibraryClient(conn).WatchBooks(ctx, &libraryv1.ListBooksRequest{Parent: "shelves/1"})
	n := 0
	for err == nil {
		if _, err = stream.Recv(); err == nil {
			n++
		}
	}
	if err != io.EOF {
		report("WatchBooks", err)
	}
	fmt.Println("WatchBooks:", n)
}

// caller is what both generated clients offer: the unary rpcs.
type caller interface {
	GetShelf(context.Context, *libraryv1.GetShelfRequest) (*libraryv1.Shelf, error)
	GetBook(context.Context, *libraryv1.GetBookRequest) (*libraryv1.Book, error)
	ListBooks(context.Context, *libraryv1.ListBooksRequest) (*libraryv1.ListBooksResponse, error)
	UpdateBook(context.Context, *libraryv1.UpdateBookRequest) (*libraryv1.Book, error)
	MergeShelves(context.Context, *libraryv1.MergeShelvesRequest) (*libraryv1.Shelf, error)
	DeleteBook(context.Context, *libraryv1.GetBookRequest) (*emptypb.Empty, error)
	ListGenres(context.Context, *emptypb.Empty) (*libraryv1.ListGenresResponse, error)
	Ping(context.Context, *libraryv1.PingRequest) (*libraryv1.PingResponse, error)
}

// unary calls every unary rpc through c (the generated Set: a client over
// gRPC or over HTTP) and prints what came back, each line after prefix.
func unary(ctx context.Context, prefix string, c caller) {
	shelf, err := c.GetShelf(ctx, &libraryv1.GetShelfRequest{Name: "shelves/1"})
	report(prefix+"GetShelf", err, shelf.GetName(), shelf.GetTheme())
	_, err = c.GetShelf(ctx, &libraryv1.GetShelfRequest{Name: "shelves/0"})
	fmt.Println(prefix+"GetShelf missing:", status.Code(err), status.Convert(err).Message())
	book, err := c.GetBook(ctx, &libraryv1.GetBookRequest{Name: "shelves/1/books/2"})
	report(prefix+"GetBook", err, book.GetName(), book.GetGenre())
	list, err := c.ListBooks(ctx, &libraryv1.ListBooksRequest{Parent: "shelves/1", Genre: libraryv1.Genre_HISTORY})
	report(prefix+"ListBooks", err, list.GetNextPageToken())
	book, err = c.UpdateBook(ctx, &libraryv1.UpdateBookRequest{Book: &libraryv1.Book{Name: "shelves/1/books/2", Title: "T"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}})
	report(prefix+"UpdateBook", err, book.GetName(), book.GetTitle(), book.GetAuthor())
	shelf, err = c.MergeShelves(ctx, &libraryv1.MergeShelvesRequest{Name: "shelves/1", OtherShelf: "shelves/9"})
	report(prefix+"MergeShelves", err, shelf.GetTheme())
	_, err = c.DeleteBook(ctx, &libraryv1.GetBookRequest{Name: "shelves/1/books/2"})
	report(prefix+"DeleteBook", err, "ok")
	genres, err := c.ListGenres(ctx, &emptypb.Empty{})
	report(prefix+"ListGenres", err, genres.GetGenres())
	pong, err := c.Ping(ctx, &libraryv1.PingRequest{Message: "client"})
	report(prefix+"Ping", err, pong.GetMessage())
}

func report(method string, err error, v ...any) {
	if err != nil {
		fmt.Println(method+": error:", err)
		return
	}
	fmt.Println(append([]any{method + ":"}, v...)...)
}
`
