package render

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/kitforge/kitforge/generator/transcode"
)

// ProtoJSON is a sample of message md in the proto3 JSON mapping, what
// grpcurl -d reads: JSON field names, well-known types in their JSON forms
// (a Duration is "1s", not the nanoseconds encoding/json writes), enums by
// name. A message met again inside itself is left out, so a recursive
// message samples one level.
func ProtoJSON(md protoreflect.MessageDescriptor) string {
	return protoSampler{}.message(md, nil, nil)
}

// GrpcurlJSON is ProtoJSON as grpcurl reads it: grpcurl does not know the
// JSON form of google.protobuf.FieldMask (a string), so a FieldMask is the
// object {"paths": [...]}.
func GrpcurlJSON(md protoreflect.MessageDescriptor) string {
	return protoSampler{fieldMaskObject: true}.message(md, nil, nil)
}

// protoSampler writes samples; fieldMaskObject writes a FieldMask as an
// object, for grpcurl.
type protoSampler struct {
	fieldMaskObject bool
}

// ProtoJSONWithout is ProtoJSON without the fields at the dotted proto field
// paths of omit ("book.name"): an HTTP body whose other fields the URL path
// carries.
func ProtoJSONWithout(md protoreflect.MessageDescriptor, omit []string) string {
	return protoSampler{}.message(md, nil, omit)
}

// ProtoFieldJSON is a sample of field fd's value in the proto3 JSON mapping
// (the body of a binding with body: "field"), without the fields at the
// dotted paths of omit inside it.
func ProtoFieldJSON(fd protoreflect.FieldDescriptor, omit []string) string {
	path, ps := []protoreflect.FullName{fd.ContainingMessage().FullName()}, protoSampler{}
	if fd.Message() != nil && !fd.IsList() && !fd.IsMap() {
		return ps.message(fd.Message(), path, omit)
	}
	return ps.field(fd, path)
}

// message samples md without the fields at the dotted paths of omit;
// path holds the messages being sampled around it.
func (ps protoSampler) message(md protoreflect.MessageDescriptor, path []protoreflect.FullName, omit []string) string {
	if s, ok := ps.wellKnown(md.FullName()); ok {
		return s
	}
	path = append(path, md.FullName())
	var parts []string
	fields := md.Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		if m := fieldMessage(fd); m != nil && (slices.Contains(path, m.FullName()) || m.FullName() == "google.protobuf.Any") {
			continue // an Any needs a type its reader may not know
		}
		if oneof := fd.ContainingOneof(); oneof != nil && !oneof.IsSynthetic() && oneof.Fields().Get(0) != fd {
			continue // one member per oneof
		}
		name := string(fd.Name())
		if slices.Contains(omit, name) {
			continue
		}
		inner := transcode.SubPaths(omit, name)
		sample := ps.field(fd, path)
		if inner != nil && fd.Message() != nil && !fd.IsList() && !fd.IsMap() {
			sample = ps.message(fd.Message(), path, inner)
		}
		parts = append(parts, fmt.Sprintf("%q:%s", fd.JSONName(), sample))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// field samples a field's value: a list of one element for a repeated
// field, an object of one entry for a map.
func (ps protoSampler) field(fd protoreflect.FieldDescriptor, path []protoreflect.FullName) string {
	switch {
	case fd.IsMap():
		key := ps.singular(fd.MapKey(), path)
		if !strings.HasPrefix(key, `"`) {
			key = `"` + key + `"` // JSON object keys are strings
		}
		return "{" + key + ":" + ps.singular(fd.MapValue(), path) + "}"
	case fd.IsList():
		return "[" + ps.singular(fd, path) + "]"
	}
	return ps.singular(fd, path)
}

// singular samples one value of fd's kind.
func (ps protoSampler) singular(fd protoreflect.FieldDescriptor, path []protoreflect.FullName) string {
	switch fd.Kind() {
	case protoreflect.StringKind:
		return `"example"`
	case protoreflect.BoolKind:
		return "true"
	case protoreflect.BytesKind:
		return `"aGVsbG8="`
	case protoreflect.EnumKind:
		values := fd.Enum().Values()
		if values.Len() == 0 {
			return "0"
		}
		return fmt.Sprintf("%q", values.Get(values.Len()-1).Name()) // the last: the first is often *_UNSPECIFIED
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return ps.message(fd.Message(), path, nil)
	}
	return "1"
}

// wellKnown is the JSON form of a well-known type, which the JSON
// mapping writes as a string or a plain value rather than an object.
func (ps protoSampler) wellKnown(name protoreflect.FullName) (string, bool) {
	switch name {
	case "google.protobuf.Timestamp":
		return `"2026-01-02T15:04:05Z"`, true
	case "google.protobuf.Duration":
		return `"1s"`, true
	case "google.protobuf.FieldMask":
		if ps.fieldMaskObject {
			return `{"paths":["name"]}`, true
		}
		return `"name"`, true
	case "google.protobuf.Empty":
		return "{}", true
	case "google.protobuf.Struct":
		return `{"key":"example"}`, true
	case "google.protobuf.Value":
		return `"example"`, true
	case "google.protobuf.ListValue":
		return `["example"]`, true
	case "google.protobuf.StringValue":
		return `"example"`, true
	case "google.protobuf.BytesValue":
		return `"aGVsbG8="`, true
	case "google.protobuf.BoolValue":
		return "true", true
	case "google.protobuf.Int32Value", "google.protobuf.Int64Value", "google.protobuf.UInt32Value",
		"google.protobuf.UInt64Value", "google.protobuf.FloatValue", "google.protobuf.DoubleValue":
		return "1", true
	}
	return "", false
}

// fieldMessage is the message a field holds (a map's value message), or nil.
func fieldMessage(fd protoreflect.FieldDescriptor) protoreflect.MessageDescriptor {
	if fd.IsMap() {
		return fd.MapValue().Message()
	}
	return fd.Message()
}
