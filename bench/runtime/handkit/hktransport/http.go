// Package hktransport is the HTTP transport of the hand-written Go kit
// service.
package hktransport

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/go-kit/kit/endpoint"
	"github.com/go-kit/kit/transport"
	httptransport "github.com/go-kit/kit/transport/http"
	"github.com/go-kit/log"

	"github.com/kitforge/kitforge/bench/runtime/handkit/hkendpoint"
)

// NewHTTPHandler returns an HTTP handler that makes a set of endpoints
// available on predefined paths.
func NewHTTPHandler(endpoints hkendpoint.Set, logger log.Logger) http.Handler {
	options := []httptransport.ServerOption{
		httptransport.ServerErrorEncoder(errorEncoder),
		httptransport.ServerErrorHandler(transport.NewLogErrorHandler(logger)),
	}
	m := http.NewServeMux()
	m.Handle("POST /sum", httptransport.NewServer(
		endpoints.SumEndpoint,
		decodeHTTPSumRequest,
		encodeHTTPGenericResponse,
		options...,
	))
	m.Handle("POST /concat", httptransport.NewServer(
		endpoints.ConcatEndpoint,
		decodeHTTPConcatRequest,
		encodeHTTPGenericResponse,
		options...,
	))
	m.Handle("GET /greet/{name}", httptransport.NewServer(
		endpoints.GreetEndpoint,
		decodeHTTPGreetRequest,
		encodeHTTPGenericResponse,
		options...,
	))
	return m
}

// errBadRequest marks a request that could not be decoded.
var errBadRequest = errors.New("bad request")

func errorEncoder(_ context.Context, err error, w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(err2code(err))
	json.NewEncoder(w).Encode(errorWrapper{Error: err.Error()})
}

func err2code(err error) int {
	if errors.Is(err, errBadRequest) {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

type errorWrapper struct {
	Error string `json:"error"`
}

// decodeHTTPSumRequest is a transport/http.DecodeRequestFunc that decodes a
// JSON-encoded sum request from the HTTP request body.
func decodeHTTPSumRequest(_ context.Context, r *http.Request) (any, error) {
	var req hkendpoint.SumRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		return nil, errors.Join(errBadRequest, err)
	}
	return req, nil
}

// decodeHTTPConcatRequest is a transport/http.DecodeRequestFunc that decodes
// a JSON-encoded concat request from the HTTP request body.
func decodeHTTPConcatRequest(_ context.Context, r *http.Request) (any, error) {
	var req hkendpoint.ConcatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		return nil, errors.Join(errBadRequest, err)
	}
	return req, nil
}

// decodeHTTPGreetRequest is a transport/http.DecodeRequestFunc that decodes a
// greet request from the URL path.
func decodeHTTPGreetRequest(_ context.Context, r *http.Request) (any, error) {
	return hkendpoint.GreetRequest{Name: r.PathValue("name")}, nil
}

// encodeHTTPGenericResponse is a transport/http.EncodeResponseFunc that
// encodes the response as JSON to the response writer. Primarily useful in a
// server.
func encodeHTTPGenericResponse(ctx context.Context, w http.ResponseWriter, response any) error {
	if f, ok := response.(endpoint.Failer); ok && f.Failed() != nil {
		errorEncoder(ctx, f.Failed(), w)
		return nil
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	return json.NewEncoder(w).Encode(response)
}
