package render

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// ProtoJSON is a sample of message md in the proto3 JSON mapping, what
// grpcurl -d reads: JSON field names, well-known types in their JSON forms
// (a Duration is "1s", not the nanoseconds encoding/json writes), enums by
// name. A message met again inside itself is left out, so a recursive
// message samples one level.
func ProtoJSON(md protoreflect.MessageDescriptor) string {
	return protoMessage(md, nil)
}

// protoMessage samples md; path holds the messages being sampled around it.
func protoMessage(md protoreflect.MessageDescriptor, path []protoreflect.FullName) string {
	if s, ok := wellKnownSample(md.FullName()); ok {
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
		parts = append(parts, fmt.Sprintf("%q:%s", fd.JSONName(), protoField(fd, path)))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// protoField samples a field's value: a list of one element for a repeated
// field, an object of one entry for a map.
func protoField(fd protoreflect.FieldDescriptor, path []protoreflect.FullName) string {
	switch {
	case fd.IsMap():
		key := protoSingular(fd.MapKey(), path)
		if !strings.HasPrefix(key, `"`) {
			key = `"` + key + `"` // JSON object keys are strings
		}
		return "{" + key + ":" + protoSingular(fd.MapValue(), path) + "}"
	case fd.IsList():
		return "[" + protoSingular(fd, path) + "]"
	}
	return protoSingular(fd, path)
}

// protoSingular samples one value of fd's kind.
func protoSingular(fd protoreflect.FieldDescriptor, path []protoreflect.FullName) string {
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
		return protoMessage(fd.Message(), path)
	}
	return "1"
}

// wellKnownSample is the JSON form of a well-known type, which the JSON
// mapping writes as a string or a plain value rather than an object.
func wellKnownSample(name protoreflect.FullName) (string, bool) {
	switch name {
	case "google.protobuf.Timestamp":
		return `"2026-01-02T15:04:05Z"`, true
	case "google.protobuf.Duration":
		return `"1s"`, true
	case "google.protobuf.FieldMask":
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
