package transcode

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The client side of a binding: a request message becomes the HTTP request
// the server side decodes back into the same message (path variables from
// its fields, the body field or the whole message as JSON, the other set
// fields as query parameters), and the response or error body becomes the
// response message or a gRPC status error.

// EncodeRequest returns a Go kit transport/http.EncodeRequestFunc for the
// binding of template and body (google.api.http's path and body). It
// panics on a malformed template, as Router.Handle does.
func EncodeRequest(template, body string) func(context.Context, *http.Request, any) error {
	t, err := parsePathTemplate(template)
	if err != nil {
		panic(err)
	}
	return func(_ context.Context, r *http.Request, request any) error {
		msg, ok := request.(proto.Message)
		if !ok {
			return status.Errorf(codes.Internal, "request %T is not a proto message", request)
		}
		m := msg.ProtoReflect()
		path, bound, err := t.expand(m)
		if err != nil {
			return status.Errorf(codes.InvalidArgument, "%v", err)
		}
		base := strings.TrimSuffix(r.URL.EscapedPath(), "/")
		unescaped, err := url.PathUnescape(base + path)
		if err != nil {
			return status.Errorf(codes.Internal, "request path: %v", err)
		}
		// RawPath keeps what Path cannot say: an escaped slash or colon.
		r.URL.Path, r.URL.RawPath = unescaped, base+path
		if body != "" {
			data, err := marshalRequestBody(msg, body)
			if err != nil {
				return status.Errorf(codes.InvalidArgument, "encode request body: %v", err)
			}
			r.Header.Set("Content-Type", "application/json")
			r.Body = io.NopCloser(bytes.NewReader(data))
			r.ContentLength = int64(len(data))
		}
		if body == "*" {
			return nil
		}
		if body != "" {
			bound = append(bound, body)
		}
		q := url.Values{}
		if err := queryOf(m, "", bound, q); err != nil {
			return status.Errorf(codes.InvalidArgument, "%v", err)
		}
		r.URL.RawQuery = q.Encode()
		return nil
	}
}

// marshalRequestBody renders the whole message (body "*") or the value of
// its field body as JSON.
func marshalRequestBody(msg proto.Message, body string) ([]byte, error) {
	if body == "*" {
		return responseJSON.Marshal(msg)
	}
	return marshalResponse(msg, body)
}

// expand fills the template's variables from m's fields and returns the
// escaped path and the proto paths of the fields it used.
func (t *pathTemplate) expand(m protoreflect.Message) (string, []string, error) {
	segs := make([]string, 0, len(t.segments))
	var bound []string
	byStart := map[int]int{}
	for i, v := range t.vars {
		byStart[v.start] = i
	}
	for i := 0; i < len(t.segments); i++ {
		vi, isVar := byStart[i]
		if !isVar {
			segs = append(segs, url.PathEscape(t.segments[i].literal))
			continue
		}
		v := t.vars[vi]
		fds, err := resolveFieldPath(m.Descriptor(), v.field)
		if err != nil {
			return "", nil, fmt.Errorf("path variable %s: %v", v.field, err)
		}
		value, err := fieldText(m, fds)
		if err != nil {
			return "", nil, fmt.Errorf("path variable %s: %v", v.field, err)
		}
		if value == "" {
			return "", nil, fmt.Errorf("path variable %s is empty: the request needs it", v.field)
		}
		if v.end-v.start == 1 && t.segments[v.start].kind == segStar {
			segs = append(segs, url.PathEscape(value))
		} else {
			// A multi-segment variable keeps its slashes.
			parts := strings.Split(value, "/")
			for j := range parts {
				parts[j] = url.PathEscape(parts[j])
			}
			segs = append(segs, strings.Join(parts, "/"))
		}
		bound = append(bound, protoPath(fds))
		i = v.end - 1
	}
	path := "/" + strings.Join(segs, "/")
	if t.verb != "" {
		path += ":" + t.verb
	}
	return path, bound, nil
}

// fieldText is the text of the singular field at the end of fds in m, as a
// path variable or query parameter carries it.
func fieldText(m protoreflect.Message, fds []protoreflect.FieldDescriptor) (string, error) {
	for _, fd := range fds[:len(fds)-1] {
		if !m.Has(fd) {
			return "", nil
		}
		m = m.Get(fd).Message()
	}
	fd := fds[len(fds)-1]
	if fd.IsList() || fd.IsMap() {
		return "", fmt.Errorf("%s is not a singular field", fd.Name())
	}
	return valueText(fd, m.Get(fd))
}

// valueText renders one value of fd's type as text: the inverse of
// parseFieldValue.
func valueText(fd protoreflect.FieldDescriptor, v protoreflect.Value) (string, error) {
	switch fd.Kind() {
	case protoreflect.StringKind:
		return v.String(), nil
	case protoreflect.BytesKind:
		return base64.URLEncoding.EncodeToString(v.Bytes()), nil
	case protoreflect.EnumKind:
		if ev := fd.Enum().Values().ByNumber(v.Enum()); ev != nil {
			return string(ev.Name()), nil
		}
		return strconv.Itoa(int(v.Enum())), nil
	case protoreflect.FloatKind:
		return strconv.FormatFloat(v.Float(), 'g', -1, 32), nil
	case protoreflect.DoubleKind:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64), nil
	case protoreflect.MessageKind, protoreflect.GroupKind:
		if !scalarMessages[fd.Message().FullName()] {
			return "", fmt.Errorf("%s is a message", fd.Name())
		}
		data, err := protojson.Marshal(v.Message().Interface())
		if err != nil {
			return "", err
		}
		var s string
		if json.Unmarshal(data, &s) == nil {
			return s, nil
		}
		return string(data), nil
	}
	return v.String(), nil // numbers and bools: Value.String formats them
}

// queryOf adds the fields of m that are set, except those in bound (proto
// paths), to q as query parameters named by their proto paths under
// prefix: a repeated field as repeated keys, a map as key[entry], a
// message field by its own fields.
func queryOf(m protoreflect.Message, prefix string, bound []string, q url.Values) error {
	var err error
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		name := prefix + string(fd.Name())
		for _, b := range bound {
			if name == b {
				return true
			}
		}
		switch {
		case fd.IsMap():
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				var text string
				if text, err = valueText(fd.MapValue(), mv); err == nil {
					q.Add(name+"["+k.String()+"]", text)
				}
				return err == nil
			})
		case fd.IsList():
			for i := 0; i < v.List().Len() && err == nil; i++ {
				var text string
				if text, err = valueText(fd, v.List().Get(i)); err == nil {
					q.Add(name, text)
				}
			}
		case fd.Message() != nil && !scalarMessages[fd.Message().FullName()]:
			err = queryOf(v.Message(), name+".", bound, q)
		default:
			var text string
			if text, err = valueText(fd, v); err == nil {
				q.Set(name, text)
			}
		}
		if err != nil {
			err = fmt.Errorf("field %s cannot be sent in the URL: %v", name, err)
		}
		return err == nil
	})
	return err
}

// DecodeResponse returns a Go kit transport/http.DecodeResponseFunc: a 2xx
// response's JSON body becomes a new message from newMessage (the whole
// message, or its field responseBody, google.api.http response_body); an
// error response becomes the gRPC status its body names (EncodeError's
// form), or the one its HTTP status maps to.
func DecodeResponse(newMessage func() proto.Message, responseBody string) func(context.Context, *http.Response) (any, error) {
	return func(_ context.Context, resp *http.Response) (any, error) {
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, status.Errorf(codes.Unavailable, "read response: %v", err)
		}
		if resp.StatusCode/100 != 2 {
			return nil, statusOfResponse(resp.StatusCode, data)
		}
		msg := newMessage()
		if responseBody != "" && responseBody != "*" {
			fd := msg.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(responseBody))
			if fd == nil {
				return nil, status.Errorf(codes.Internal, "%T has no field %q for the response body", msg, responseBody)
			}
			data = append(append([]byte(`{"`+fd.JSONName()+`":`), data...), '}')
		}
		// Unknown fields are a newer server's: kept out, not an error.
		if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(data, msg); err != nil {
			return nil, status.Errorf(codes.Internal, "decode response: %v", err)
		}
		return msg, nil
	}
}

// statusOfResponse is the gRPC status of an error response.
func statusOfResponse(httpStatus int, data []byte) error {
	var body httpErrorBody
	if json.Unmarshal(data, &body) == nil && body.Error.Status != "" {
		for c := codes.OK; c <= codes.Unauthenticated; c++ {
			if codeName(c) == body.Error.Status {
				return status.Error(c, body.Error.Message)
			}
		}
	}
	msg := strings.TrimSpace(string(data))
	if msg == "" {
		msg = http.StatusText(httpStatus)
	}
	return status.Error(codeOfHTTPStatus(httpStatus), msg)
}

// codeOfHTTPStatus maps an HTTP status to the gRPC code that answers it
// (HTTPStatusFromCode's inverse for the statuses it uses).
func codeOfHTTPStatus(s int) codes.Code {
	for c := codes.OK; c <= codes.Unauthenticated; c++ {
		if HTTPStatusFromCode(c) == s {
			return c
		}
	}
	switch {
	case s/100 == 4:
		return codes.InvalidArgument
	case s/100 == 5:
		return codes.Unavailable
	}
	return codes.Unknown
}
