package transcode

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/anypb"
)

// codeNames are the google.rpc.Code names of the gRPC codes, by number.
var codeNames = [...]string{
	"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
	"ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
	"ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
	"UNAUTHENTICATED",
}

// codeName is the google.rpc.Code name of c ("NOT_FOUND").
func codeName(c codes.Code) string {
	if int(c) < len(codeNames) {
		return codeNames[c]
	}
	return "UNKNOWN"
}

// HTTPStatusFromCode maps a gRPC status code to the HTTP status Google's
// APIs and grpc-gateway answer with (google/rpc/code.proto).
func HTTPStatusFromCode(c codes.Code) int {
	switch c {
	case codes.OK:
		return http.StatusOK
	case codes.Canceled:
		return 499 // Client Closed Request
	case codes.InvalidArgument, codes.FailedPrecondition, codes.OutOfRange:
		return http.StatusBadRequest
	case codes.DeadlineExceeded:
		return http.StatusGatewayTimeout
	case codes.NotFound:
		return http.StatusNotFound
	case codes.AlreadyExists, codes.Aborted:
		return http.StatusConflict
	case codes.PermissionDenied:
		return http.StatusForbidden
	case codes.Unauthenticated:
		return http.StatusUnauthorized
	case codes.ResourceExhausted:
		return http.StatusTooManyRequests
	case codes.Unimplemented:
		return http.StatusNotImplemented
	case codes.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError // Unknown, Internal, DataLoss
}

// statusFromError returns the gRPC status an error carries; context
// errors become Canceled and DeadlineExceeded, other errors Unknown.
func statusFromError(err error) *status.Status {
	if s, ok := status.FromError(err); ok {
		return s
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return status.FromContextError(err)
	}
	return status.New(codes.Unknown, err.Error())
}

// EncodeError is a Go kit transport/http.ErrorEncoder: it writes err
// with the HTTP status of its gRPC code and the JSON error body of Google's
// APIs, {"error": {"code": 404, "message": "...", "status": "NOT_FOUND"}},
// with the status details when it has any, and the headers the error
// carries (Go kit's httptransport.Headerer: the WWW-Authenticate challenge
// of a rejected credential). A request body over the server's limit
// answers 413, one with a Content-Type that is not JSON 415.
func EncodeError(_ context.Context, err error, w http.ResponseWriter) {
	var headerer interface{ Headers() http.Header }
	if errors.As(err, &headerer) {
		for k, v := range headerer.Headers() {
			w.Header()[k] = v
		}
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeHTTPError(w, http.StatusRequestEntityTooLarge, codeName(codes.InvalidArgument), err.Error(), nil)
		return
	}
	if errors.Is(err, errUnsupportedMediaType) {
		writeHTTPError(w, http.StatusUnsupportedMediaType, codeName(codes.InvalidArgument), err.Error(), nil)
		return
	}
	s := statusFromError(err)
	writeHTTPError(w, HTTPStatusFromCode(s.Code()), codeName(s.Code()), s.Message(), s.Proto().GetDetails())
}

// httpErrorBody is the JSON body of every error response.
type httpErrorBody struct {
	Error httpErrorStatus `json:"error"`
}

// httpErrorStatus is the "error" member of an error response.
type httpErrorStatus struct {
	Code    int               `json:"code"`
	Message string            `json:"message"`
	Status  string            `json:"status"`
	Details []json.RawMessage `json:"details,omitempty"`
}

// writeHTTPError writes one error response. Details whose type is not
// linked into the program are left out.
func writeHTTPError(w http.ResponseWriter, code int, statusName, message string, details []*anypb.Any) {
	body := httpErrorBody{Error: httpErrorStatus{Code: code, Message: message, Status: statusName}}
	for _, d := range details {
		if b, err := protojson.Marshal(d); err == nil {
			body.Error.Details = append(body.Error.Details, b)
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}
