package transcode

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Streaming over HTTP, as grpc-gateway serves it: a server-streaming rpc
// answers a chunked response of newline-delimited JSON, one
// {"result": message} per message, flushed as it is sent, and
// {"error": status} if the rpc fails after its first message; a client
// that sends "Accept: text/event-stream" gets Server-Sent Events instead
// ("data: {...}" per message, "event: error" for the failure). A
// client-streaming rpc reads its request messages from a newline-delimited
// JSON body, one message per line. The request's context is the rpc's, so
// a client that disconnects cancels it.

// ServeServerStream serves one server-streaming rpc: decode builds the
// request message from r (DecodeRequest), call runs the rpc with a stream
// that writes to w.
func ServeServerStream[Req, Res any](w http.ResponseWriter, r *http.Request,
	decode func(context.Context, *http.Request) (any, error),
	call func(*Req, grpc.ServerStreamingServer[Res]) error,
) {
	in, err := decode(r.Context(), r)
	if err != nil {
		EncodeError(r.Context(), err, w)
		return
	}
	req, ok := in.(*Req)
	if !ok {
		EncodeError(r.Context(), status.Errorf(codes.Internal, "request %T is not a %T", in, req), w)
		return
	}
	s := &httpServerStream[Res]{out: newStreamWriter(w, r), ctx: r.Context()}
	s.out.finish(call(req, s))
}

// ServeClientStream serves one client-streaming rpc: every line of the
// request body is a request message, newMessage makes an empty one; call
// runs the rpc, whose SendAndClose writes the response as a unary rpc's.
func ServeClientStream[Req, Res any](w http.ResponseWriter, r *http.Request,
	newMessage func() proto.Message,
	call func(grpc.ClientStreamingServer[Req, Res]) error,
) {
	if ct := r.Header.Get("Content-Type"); !isStreamMediaType(ct) {
		EncodeError(r.Context(), fmt.Errorf("%w %q: send application/x-ndjson or application/json, one message per line", errUnsupportedMediaType, ct), w)
		return
	}
	s := &httpClientStream[Req, Res]{ctx: r.Context(), w: w, lines: bufio.NewReader(r.Body), newMessage: newMessage}
	if err := call(s); err != nil {
		EncodeError(r.Context(), err, w)
		return
	}
	if !s.sent {
		EncodeError(r.Context(), status.Error(codes.Internal, "the rpc returned without a response"), w)
	}
}

// isStreamMediaType reports whether a request with Content-Type ct may
// carry a stream of JSON messages: newline-delimited JSON, JSON itself, or
// none.
func isStreamMediaType(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return ct == "" || mt == "application/x-ndjson" || mt == "application/jsonl" || isJSONMediaType(ct)
}

// streamWriter writes the messages of a response stream, flushing each.
type streamWriter struct {
	w       http.ResponseWriter
	flusher http.Flusher
	sse     bool
	started bool
}

// newStreamWriter picks the response's form from r's Accept header.
func newStreamWriter(w http.ResponseWriter, r *http.Request) *streamWriter {
	f, _ := w.(http.Flusher)
	return &streamWriter{w: w, flusher: f, sse: acceptsEventStream(r.Header.Get("Accept"))}
}

// acceptsEventStream reports whether an Accept header asks for
// Server-Sent Events.
func acceptsEventStream(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "text/event-stream" {
			return true
		}
	}
	return false
}

// start writes the response's headers, once.
func (s *streamWriter) start() {
	if s.started {
		return
	}
	s.started = true
	h := s.w.Header()
	if s.sse {
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-cache")
	} else {
		h.Set("Content-Type", "application/x-ndjson")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	s.w.WriteHeader(http.StatusOK)
}

// send writes one message.
func (s *streamWriter) send(m proto.Message) error {
	data, err := responseJSON.Marshal(m)
	if err != nil {
		return status.Errorf(codes.Internal, "encode response: %v", err)
	}
	s.start()
	if s.sse {
		return s.write([]byte("data: "), data, []byte("\n\n"))
	}
	return s.write([]byte(`{"result":`), data, []byte("}\n"))
}

// write writes parts and flushes them to the client.
func (s *streamWriter) write(parts ...[]byte) error {
	if _, err := s.w.Write(bytes.Join(parts, nil)); err != nil {
		return status.Errorf(codes.Unavailable, "write response: %v", err)
	}
	if s.flusher != nil {
		s.flusher.Flush()
	}
	return nil
}

// finish ends the stream with the rpc's result: an error before the first
// message is an ordinary error response (its HTTP status); after it, the
// error is the stream's last element.
func (s *streamWriter) finish(err error) {
	if err == nil {
		s.start()
		return
	}
	if !s.started {
		EncodeError(context.Background(), err, s.w)
		return
	}
	st := statusFromError(err)
	body, _ := json.Marshal(httpErrorBody{Error: httpErrorStatus{Code: HTTPStatusFromCode(st.Code()), Message: st.Message(), Status: codeName(st.Code())}})
	if s.sse {
		_ = s.write([]byte("event: error\ndata: "), body, []byte("\n\n"))
		return
	}
	_ = s.write(body, []byte("\n"))
}

// httpServerStream is a grpc.ServerStreamingServer whose messages go to an
// HTTP response. Headers and trailers set on it are not sent: HTTP has
// already begun answering when the rpc runs.
type httpServerStream[Res any] struct {
	out *streamWriter
	ctx context.Context
}

// Send writes m to the response and flushes it.
func (s *httpServerStream[Res]) Send(m *Res) error { return s.SendMsg(m) }

// SetHeader does nothing: see httpServerStream.
func (s *httpServerStream[Res]) SetHeader(metadata.MD) error { return nil }

// SendHeader starts the response.
func (s *httpServerStream[Res]) SendHeader(metadata.MD) error {
	s.out.start()
	return nil
}

// SetTrailer does nothing: see httpServerStream.
func (s *httpServerStream[Res]) SetTrailer(metadata.MD) {}

// Context is the request's: cancelled when the client goes away.
func (s *httpServerStream[Res]) Context() context.Context { return s.ctx }

// RecvMsg has nothing to receive: the request was the rpc's argument.
func (s *httpServerStream[Res]) RecvMsg(any) error { return io.EOF }

// SendMsg writes the message m to the response.
func (s *httpServerStream[Res]) SendMsg(m any) error {
	if err := s.ctx.Err(); err != nil {
		return status.FromContextError(err).Err()
	}
	msg, ok := m.(proto.Message)
	if !ok {
		return status.Errorf(codes.Internal, "response %T is not a proto message", m)
	}
	return s.out.send(msg)
}

// httpClientStream is a grpc.ClientStreamingServer whose messages are the
// lines of an HTTP request body.
type httpClientStream[Req, Res any] struct {
	ctx        context.Context
	w          http.ResponseWriter
	lines      *bufio.Reader
	newMessage func() proto.Message
	sent       bool
	line       int
}

// Recv reads the next request message: io.EOF after the last.
func (s *httpClientStream[Req, Res]) Recv() (*Req, error) {
	m := s.newMessage()
	if err := s.RecvMsg(m); err != nil {
		return nil, err
	}
	req, ok := m.(any).(*Req)
	if !ok {
		return nil, status.Errorf(codes.Internal, "request %T is not a %T", m, req)
	}
	return req, nil
}

// RecvMsg reads the next line of the body into m, skipping blank lines.
func (s *httpClientStream[Req, Res]) RecvMsg(m any) error {
	msg, ok := m.(proto.Message)
	if !ok {
		return status.Errorf(codes.Internal, "request %T is not a proto message", m)
	}
	for {
		if err := s.ctx.Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		line, err := s.lines.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) == 0 {
			if err != nil {
				if errors.Is(err, io.EOF) {
					return io.EOF
				}
				return invalidArgument("read request body: %v", err)
			}
			continue // blank lines between messages
		}
		s.line++
		if uerr := requestJSON.Unmarshal(line, msg); uerr != nil {
			return invalidArgument("request body, line %d: %v", s.line, uerr)
		}
		return nil
	}
}

// SendAndClose writes the response, as a unary rpc's.
func (s *httpClientStream[Req, Res]) SendAndClose(m *Res) error {
	if s.sent {
		return status.Error(codes.Internal, "SendAndClose called twice")
	}
	s.sent = true
	msg, ok := any(m).(proto.Message)
	if !ok {
		return status.Errorf(codes.Internal, "response %T is not a proto message", m)
	}
	return EncodeResponse("")(s.ctx, s.w, msg)
}

// SendMsg is refused: a client-streaming rpc answers with SendAndClose.
func (s *httpClientStream[Req, Res]) SendMsg(any) error {
	return status.Error(codes.Internal, "use SendAndClose")
}

// SetHeader does nothing: HTTP headers are written with the response.
func (s *httpClientStream[Req, Res]) SetHeader(metadata.MD) error { return nil }

// SendHeader does nothing, as SetHeader.
func (s *httpClientStream[Req, Res]) SendHeader(metadata.MD) error { return nil }

// SetTrailer does nothing: HTTP/1.1 responses carry no trailers here.
func (s *httpClientStream[Req, Res]) SetTrailer(metadata.MD) {}

// Context is the request's: cancelled when the client goes away.
func (s *httpClientStream[Req, Res]) Context() context.Context { return s.ctx }
