package transcode

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// responseJSON writes response bodies: protojson, with lowerCamel names,
// enums as names, the well-known types in their JSON forms (RFC 3339
// timestamps, "1.5s" durations, ...) and unset fields left out.
var responseJSON = protojson.MarshalOptions{}

// EncodeResponse returns a Go kit transport/http.EncodeResponseFunc
// that writes an rpc's response message as JSON: the whole message, or
// only the response field named by responseBody (google.api.http
// response_body; "" or "*" for the whole message).
func EncodeResponse(responseBody string) func(context.Context, http.ResponseWriter, any) error {
	return func(_ context.Context, w http.ResponseWriter, response any) error {
		msg, ok := response.(proto.Message)
		if !ok {
			return status.Errorf(codes.Internal, "response %T is not a proto message", response)
		}
		data, err := marshalResponse(msg, responseBody)
		if err != nil {
			return status.Errorf(codes.Internal, "encode response: %v", err)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(append(data, '\n'))
		return nil
	}
}

// marshalResponse renders msg, or its field named field, as JSON.
func marshalResponse(msg proto.Message, field string) ([]byte, error) {
	if field == "" || field == "*" {
		return responseJSON.Marshal(msg)
	}
	m := msg.ProtoReflect()
	fd := m.Descriptor().Fields().ByName(protoreflect.Name(field))
	if fd == nil {
		return nil, fmt.Errorf("%s has no field %q for the response body", m.Descriptor().FullName(), field)
	}
	if fd.Message() != nil && !fd.IsList() && !fd.IsMap() {
		return responseJSON.Marshal(m.Get(fd).Message().Interface())
	}
	// A scalar, repeated or map field: render a message holding only it
	// and keep that field's value. Unpopulated values are rendered only
	// for scalars, so that messages inside a list keep leaving out theirs.
	tmp := m.New()
	if m.Has(fd) {
		tmp.Set(fd, m.Get(fd))
	}
	opts := responseJSON
	opts.EmitUnpopulated = !fd.IsList() && !fd.IsMap()
	data, err := opts.Marshal(tmp.Interface())
	if err != nil {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	switch v, ok := obj[fd.JSONName()]; {
	case ok:
		return v, nil
	case fd.IsList():
		return []byte("[]"), nil
	case fd.IsMap():
		return []byte("{}"), nil
	}
	return []byte("null"), nil
}
