package transcode

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// requestJSON reads request bodies: protojson, accepting lowerCamel and
// proto field names, enums by name or number, refusing unknown fields.
var requestJSON = protojson.UnmarshalOptions{}

// DecodeRequest returns a Go kit transport/http.DecodeRequestFunc that
// builds an rpc's request message from an HTTP request the way
// google.api.http maps them: the body first (body is "*" for the whole
// message, a top-level field name for that field's value, or "" for no
// body), then the path variables, which win over the body, then the query
// parameters, which may set only the fields that neither binds (nested
// ones as "a.b=1", repeated ones by repeating the key). Every malformed
// part answers InvalidArgument.
func DecodeRequest(newMessage func() proto.Message, body string) func(context.Context, *http.Request) (any, error) {
	return func(_ context.Context, r *http.Request) (any, error) {
		msg := newMessage()
		m := msg.ProtoReflect()
		data, err := decodeBody(r, m, body)
		if err != nil {
			return nil, err
		}
		vars := pathVarsFrom(r.Context())
		bound := make([]string, 0, len(vars))
		for _, v := range vars {
			fds, err := resolveFieldPath(m.Descriptor(), v.field)
			if err == nil {
				err = setFields(m, fds, []string{v.value})
			}
			if err != nil {
				return nil, invalidArgument("path variable %s: %v", v.field, err)
			}
			bound = append(bound, protoPath(fds))
		}
		if err := decodeQuery(r, m, body, bound); err != nil {
			return nil, err
		}
		if r.Method == http.MethodPatch {
			fillUpdateMask(m, body, data)
		}
		return msg, nil
	}
}

// fillUpdateMask sets the update_mask of a PATCH request whose body is one
// field (the resource) and that sent no mask, to the fields the body's JSON
// sets, as grpc-gateway does: a partial update from plain JSON then touches
// only what the client sent. Objects of singular message fields (not the
// well-known types) are followed, so {"review": {"text": "x"}} masks
// "review.text"; paths use the proto names.
func fillUpdateMask(m protoreflect.Message, body string, data []byte) {
	if body == "" || body == "*" || len(data) == 0 {
		return
	}
	maskFd := m.Descriptor().Fields().ByName("update_mask")
	bodyFd := m.Descriptor().Fields().ByName(protoreflect.Name(body))
	if maskFd == nil || maskFd.IsList() || maskFd.Message() == nil || maskFd.Message().FullName() != "google.protobuf.FieldMask" ||
		bodyFd == nil || bodyFd.IsList() || bodyFd.IsMap() || bodyFd.Message() == nil {
		return
	}
	if m.Has(maskFd) && m.Get(maskFd).Message().Get(maskFd.Message().Fields().ByName("paths")).List().Len() > 0 {
		return
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(data, &obj) != nil {
		return
	}
	var paths []string
	jsonPaths(bodyFd.Message(), obj, "", &paths)
	slices.Sort(paths)
	mask := m.Mutable(maskFd).Message()
	list := mask.Mutable(maskFd.Message().Fields().ByName("paths")).List()
	for _, p := range paths {
		list.Append(protoreflect.ValueOfString(p))
	}
}

// jsonPaths adds to paths the proto paths of the fields of md that obj, a
// JSON object of md, sets, prefixed with prefix.
func jsonPaths(md protoreflect.MessageDescriptor, obj map[string]json.RawMessage, prefix string, paths *[]string) {
	for key, raw := range obj {
		fd := lookupField(md, key)
		if fd == nil {
			continue
		}
		path := prefix + string(fd.Name())
		var inner map[string]json.RawMessage
		if fd.Message() != nil && !fd.IsList() && !fd.IsMap() && !strings.HasPrefix(string(fd.Message().FullName()), "google.protobuf.") &&
			json.Unmarshal(raw, &inner) == nil && len(inner) > 0 {
			jsonPaths(fd.Message(), inner, path+".", paths)
			continue
		}
		*paths = append(*paths, path)
	}
}

// decodeBody reads the JSON body into the whole message (body "*") or into
// one top-level field (the body is that field's value, not an object
// holding it), and returns it. An empty body leaves the message as it is.
func decodeBody(r *http.Request, m protoreflect.Message, body string) ([]byte, error) {
	if body == "" || r.Body == nil {
		return nil, nil
	}
	if ct := r.Header.Get("Content-Type"); !isJSONMediaType(ct) {
		return nil, fmt.Errorf("%w %q: send application/json", errUnsupportedMediaType, ct)
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	return data, decodeBodyData(m, body, data)
}

// decodeBodyData is decodeBody's decoding of a non-empty body.
func decodeBodyData(m protoreflect.Message, body string, data []byte) error {
	if body == "*" {
		if err := requestJSON.Unmarshal(data, m.Interface()); err != nil {
			return invalidArgument("request body: %v", err)
		}
		return nil
	}
	fd := m.Descriptor().Fields().ByName(protoreflect.Name(body))
	if fd == nil {
		return status.Errorf(codes.Internal, "%s has no field %q for the request body", m.Descriptor().FullName(), body)
	}
	// The value is decoded as the field of a message holding only it, so
	// that every kind of field (messages, well-known types, scalars,
	// repeated) reads as protojson reads it; a body that is not exactly one
	// JSON value cannot reach the other fields.
	if !json.Valid(data) {
		return invalidArgument("request body: not a valid JSON value")
	}
	wrapped := make([]byte, 0, len(data)+len(fd.JSONName())+5)
	wrapped = append(wrapped, `{"`+fd.JSONName()+`":`...)
	wrapped = append(append(wrapped, data...), '}')
	tmp := m.New()
	if err := requestJSON.Unmarshal(wrapped, tmp.Interface()); err != nil {
		return invalidArgument("request body (field %s): %v", body, err)
	}
	if tmp.Has(fd) {
		m.Set(fd, tmp.Get(fd))
	}
	return nil
}

// isJSONMediaType reports whether a request with Content-Type ct may carry a
// JSON body: application/json or application/*+json, with any parameters,
// or no Content-Type at all (scripts often send none). Browsers send
// text/plain and form bodies cross-origin without a preflight, so those are
// refused rather than decoded.
func isJSONMediaType(ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	if strings.EqualFold(mt, "application/json") {
		return true
	}
	return len(mt) > len("application/+json") &&
		strings.EqualFold(mt[:len("application/")], "application/") &&
		strings.EqualFold(mt[len(mt)-len("+json"):], "+json")
}

// errUnsupportedMediaType is wrapped by the error of a request body whose
// Content-Type is not JSON; EncodeError answers it 415 Unsupported Media Type.
var errUnsupportedMediaType = errors.New("unsupported Content-Type")

// decodeQuery sets the fields named by the query parameters, in the order
// they first appear, a repeated field's values in query order. A parameter
// may not name a field that the path or the body binds, nor any field when
// the body carries the whole message, nor a field another parameter names
// under its other spelling ("resourceId" and "resource_id").
func decodeQuery(r *http.Request, m protoreflect.Message, body string, bound []string) error {
	params, err := queryParams(r.URL.RawQuery)
	if err != nil {
		return invalidArgument("query string: %v", err)
	}
	type field struct {
		key    string
		fds    []protoreflect.FieldDescriptor
		mapKey *string // set for a map entry, "labels[k]"
		values []string
	}
	var fields []*field
	byPath := map[string]*field{}
	for _, kv := range params {
		k := kv[0]
		if body == "*" {
			return invalidArgument("query parameter %q: this method takes every field not in the path from the request body", k)
		}
		fieldPath, mapKey := splitMapKey(k)
		fds, err := resolveQueryPath(m.Descriptor(), fieldPath)
		if err != nil {
			return invalidArgument("query parameter %q: %v", k, err)
		}
		p := protoPath(fds)
		if mapKey != nil {
			p += "[" + *mapKey + "]"
		}
		if f, ok := byPath[p]; ok {
			if f.key != k {
				return invalidArgument("query parameters %q and %q both name field %s: use one spelling", f.key, k, p)
			}
			f.values = append(f.values, kv[1])
			continue
		}
		f := &field{key: k, fds: fds, mapKey: mapKey, values: []string{kv[1]}}
		byPath[p] = f
		fields = append(fields, f)
	}
	for i, f := range fields {
		for _, g := range fields[:i] {
			if a, b := protoPath(f.fds), protoPath(g.fds); strings.HasPrefix(a, b+".") || strings.HasPrefix(b, a+".") {
				return invalidArgument("query parameters %q and %q overlap: set a field whole or by its sub-fields, not both", g.key, f.key)
			}
		}
	}
	for _, f := range fields {
		k, fds, p := f.key, f.fds, protoPath(f.fds)
		if body != "" && string(fds[0].Name()) == body {
			return invalidArgument("query parameter %q: field %s comes from the request body", k, body)
		}
		for _, b := range bound {
			if p == b || strings.HasPrefix(p, b+".") || strings.HasPrefix(b, p+".") {
				return invalidArgument("query parameter %q: field %s is bound by the URL path", k, b)
			}
		}
		if fd := fds[len(fds)-1]; fd.Message() != nil && !fd.IsList() && !fd.IsMap() && !scalarMessages[fd.Message().FullName()] {
			return invalidArgument("query parameter %q: %s is a message: set its fields one by one (%s.field=value)", k, p, k)
		}
		set := func() error { return setFields(m, fds, f.values) }
		if f.mapKey != nil {
			set = func() error { return setMapEntry(m, fds, *f.mapKey, f.values) }
		}
		if err := set(); err != nil {
			return invalidArgument("query parameter %q: %v", k, err)
		}
	}
	return nil
}

// splitMapKey splits a query key naming a map entry, "labels[key]", into
// the field path and the key; other keys come back whole, with a nil key.
func splitMapKey(k string) (string, *string) {
	open := strings.IndexByte(k, '[')
	if open <= 0 || !strings.HasSuffix(k, "]") {
		return k, nil
	}
	key := k[open+1 : len(k)-1]
	return k[:open], &key
}

// queryParams splits a raw query into its key-value pairs, in order,
// decoded as url.ParseQuery decodes them.
func queryParams(raw string) ([][2]string, error) {
	var out [][2]string
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		if strings.Contains(kv, ";") {
			return nil, errors.New("invalid semicolon separator in query")
		}
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, err
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, err
		}
		out = append(out, [2]string{key, value})
	}
	return out, nil
}

// invalidArgument is a gRPC InvalidArgument status error (HTTP 400).
func invalidArgument(format string, args ...any) error {
	return status.Errorf(codes.InvalidArgument, format, args...)
}
