package transcode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

func TestEncodeError(t *testing.T) {
	notFound := status.New(codes.NotFound, "no book shelves/1/books/9")
	withDetails, err := notFound.WithDetails(&errdetails.ResourceInfo{ResourceType: "Book", ResourceName: "shelves/1/books/9"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		err     error
		code    int
		status  string
		message string
		details int
	}{
		{"NotFound is 404, not 500", notFound.Err(), 404, "NOT_FOUND", "no book shelves/1/books/9", 0},
		{"details are kept", withDetails.Err(), 404, "NOT_FOUND", "no book shelves/1/books/9", 1},
		{"wrapped status", fmt.Errorf("lookup: %w", status.Error(codes.PermissionDenied, "no")), 403, "PERMISSION_DENIED", "lookup: rpc error: code = PermissionDenied desc = no", 0},
		{"InvalidArgument", status.Error(codes.InvalidArgument, "bad"), 400, "INVALID_ARGUMENT", "bad", 0},
		{"Unimplemented", status.Error(codes.Unimplemented, "not implemented"), 501, "UNIMPLEMENTED", "not implemented", 0},
		{"AlreadyExists", status.Error(codes.AlreadyExists, "x"), 409, "ALREADY_EXISTS", "x", 0},
		{"Unauthenticated", status.Error(codes.Unauthenticated, "x"), 401, "UNAUTHENTICATED", "x", 0},
		{"ResourceExhausted", status.Error(codes.ResourceExhausted, "x"), 429, "RESOURCE_EXHAUSTED", "x", 0},
		{"Unavailable", status.Error(codes.Unavailable, "x"), 503, "UNAVAILABLE", "x", 0},
		{"plain error", errors.New("boom"), 500, "UNKNOWN", "boom", 0},
		{"context canceled", context.Canceled, 499, "CANCELLED", "context canceled", 0},
		{"deadline", fmt.Errorf("call: %w", context.DeadlineExceeded), 504, "DEADLINE_EXCEEDED", "call: context deadline exceeded", 0},
		{"body over the limit", fmt.Errorf("read: %w", &http.MaxBytesError{Limit: 10}), 413, "INVALID_ARGUMENT", "read: http: request body too large", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			EncodeError(context.Background(), tt.err, w)
			if w.Code != tt.code {
				t.Errorf("status %d, want %d", w.Code, tt.code)
			}
			var body httpErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", w.Body, err)
			}
			if body.Error.Code != tt.code || body.Error.Status != tt.status || body.Error.Message != tt.message || len(body.Error.Details) != tt.details {
				t.Errorf("body %s", w.Body)
			}
			if tt.details > 0 && !strings.Contains(string(body.Error.Details[0]), `"@type":"type.googleapis.com/google.rpc.ResourceInfo"`) &&
				!strings.Contains(string(body.Error.Details[0]), `"@type": "type.googleapis.com/google.rpc.ResourceInfo"`) {
				t.Errorf("detail %s", body.Error.Details[0])
			}
		})
	}
}

func TestHTTPStatusFromCode(t *testing.T) {
	want := map[codes.Code]int{
		codes.OK: 200, codes.Canceled: 499, codes.Unknown: 500, codes.InvalidArgument: 400,
		codes.DeadlineExceeded: 504, codes.NotFound: 404, codes.AlreadyExists: 409,
		codes.PermissionDenied: 403, codes.ResourceExhausted: 429, codes.FailedPrecondition: 400,
		codes.Aborted: 409, codes.OutOfRange: 400, codes.Unimplemented: 501, codes.Internal: 500,
		codes.Unavailable: 503, codes.DataLoss: 500, codes.Unauthenticated: 401,
	}
	for c := codes.OK; c <= codes.Unauthenticated; c++ {
		if got := HTTPStatusFromCode(c); got != want[c] {
			t.Errorf("%v → %d, want %d", c, got, want[c])
		}
		if codeName(c) == "" || strings.ToUpper(codeName(c)) != codeName(c) {
			t.Errorf("code name of %v: %q", c, codeName(c))
		}
	}
	if HTTPStatusFromCode(codes.Code(99)) != 500 || codeName(codes.Code(99)) != "UNKNOWN" {
		t.Error("unknown codes are not 500 UNKNOWN")
	}
}

// TestServiceErrorThroughRouter: an rpc that fails with NotFound answers 404
// end to end (truss answered 500).
func TestServiceErrorThroughRouter(t *testing.T) {
	var got proto.Message
	h := echoRouter(t, libraryRoutes, &got, func() (proto.Message, error) {
		return nil, status.Error(codes.NotFound, "no such book")
	})
	w := serve(h, "GET", "/v1/shelves/1/books/9", "")
	if w.Code != 404 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	assertJSON(t, w.Body.Bytes(), `{"error": {"code": 404, "message": "no such book", "status": "NOT_FOUND"}}`)
}

// challengeError is a status error that carries a header, as a rejected
// credential's does.
type challengeError struct{ error }

// Unwrap returns the status error.
func (e challengeError) Unwrap() error { return e.error }

// Headers returns the challenge.
func (challengeError) Headers() http.Header {
	return http.Header{"Www-Authenticate": {`Bearer realm="x"`}}
}

func TestEncodeErrorHeaders(t *testing.T) {
	w := httptest.NewRecorder()
	EncodeError(context.Background(), fmt.Errorf("auth: %w", challengeError{status.Error(codes.Unauthenticated, "no token")}), w)
	if w.Code != 401 || w.Header().Get("WWW-Authenticate") != `Bearer realm="x"` || w.Header().Get("Content-Type") == "" {
		t.Errorf("status %d, headers %v", w.Code, w.Header())
	}
}
