package transcode

import (
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// scalarMessages are the well-known message types that a single string
// can carry (in a path variable or a query parameter), in their JSON form.
var scalarMessages = map[protoreflect.FullName]bool{
	"google.protobuf.Timestamp":   true,
	"google.protobuf.Duration":    true,
	"google.protobuf.FieldMask":   true,
	"google.protobuf.DoubleValue": true,
	"google.protobuf.FloatValue":  true,
	"google.protobuf.Int64Value":  true,
	"google.protobuf.UInt64Value": true,
	"google.protobuf.Int32Value":  true,
	"google.protobuf.UInt32Value": true,
	"google.protobuf.BoolValue":   true,
	"google.protobuf.StringValue": true,
	"google.protobuf.BytesValue":  true,
}

// lookupField finds a field of md by its proto name ("page_size") or its
// JSON name ("pageSize").
func lookupField(md protoreflect.MessageDescriptor, name string) protoreflect.FieldDescriptor {
	if fd := md.Fields().ByName(protoreflect.Name(name)); fd != nil {
		return fd
	}
	return md.Fields().ByJSONName(name)
}

// resolveFieldPath resolves a dotted field path ("book.name") in md: every
// element but the last must be a singular message field that is not a
// well-known scalar type.
func resolveFieldPath(md protoreflect.MessageDescriptor, path string) ([]protoreflect.FieldDescriptor, error) {
	return resolvePath(md, path, false)
}

// resolveQueryPath is resolveFieldPath for a query parameter, which may
// also name a field inside a well-known type ("ts.seconds", "n.value").
func resolveQueryPath(md protoreflect.MessageDescriptor, path string) ([]protoreflect.FieldDescriptor, error) {
	return resolvePath(md, path, true)
}

// resolvePath resolves path in md; intoWellKnown lets it step into the
// well-known scalar messages.
func resolvePath(md protoreflect.MessageDescriptor, path string, intoWellKnown bool) ([]protoreflect.FieldDescriptor, error) {
	names := strings.Split(path, ".")
	fds := make([]protoreflect.FieldDescriptor, 0, len(names))
	for i, name := range names {
		fd := lookupField(md, name)
		if fd == nil {
			return nil, fmt.Errorf("%s has no field %q", md.FullName(), name)
		}
		fds = append(fds, fd)
		if i == len(names)-1 {
			break
		}
		if fd.Message() == nil || fd.IsList() || fd.IsMap() || scalarMessages[fd.Message().FullName()] && !intoWellKnown {
			return nil, fmt.Errorf("field %s of %s is not a singular message, so %q cannot name a field inside it", fd.Name(), md.FullName(), path)
		}
		md = fd.Message()
	}
	return fds, nil
}

// parentOf returns the message that holds the field at the end of fds,
// creating the messages on the way (each checked against its oneof).
func parentOf(m protoreflect.Message, fds []protoreflect.FieldDescriptor) (protoreflect.Message, error) {
	for _, fd := range fds[:len(fds)-1] {
		if err := checkOneof(m, fd); err != nil {
			return nil, err
		}
		m = m.Mutable(fd).Message()
	}
	return m, nil
}

// setMapEntry sets the entry key of the map field at the end of fds in m
// from values, which must be one value; key and value are parsed as the
// map's key and value types. Messages on the way are created as needed.
func setMapEntry(m protoreflect.Message, fds []protoreflect.FieldDescriptor, key string, values []string) error {
	m, err := parentOf(m, fds)
	if err != nil {
		return err
	}
	fd := fds[len(fds)-1]
	name := protoPath(fds)
	if !fd.IsMap() {
		return fmt.Errorf("%s is not a map field, so it takes no [key]", name)
	}
	if len(values) != 1 {
		return fmt.Errorf("%s[%s] is given %d times", name, key, len(values))
	}
	mv := fd.MapValue()
	if mv.Message() != nil && !scalarMessages[mv.Message().FullName()] {
		return fmt.Errorf("%s is a map of messages, which a URL cannot set", name)
	}
	k, err := parseFieldValue(fd.MapKey(), key, nil)
	if err != nil {
		return fmt.Errorf("%s key: %w", name, err)
	}
	mp := m.Mutable(fd).Map()
	v, err := parseFieldValue(mv, values[0], mp.NewValue)
	if err != nil {
		return fmt.Errorf("%s[%s]: %w", name, key, err)
	}
	mp.Set(k.MapKey(), v)
	return nil
}

// protoPath renders resolved fields as their proto names joined by dots.
func protoPath(fds []protoreflect.FieldDescriptor) string {
	names := make([]string, len(fds))
	for i, fd := range fds {
		names[i] = string(fd.Name())
	}
	return strings.Join(names, ".")
}

// setFields sets the field at the end of fds in m from values: one value
// for a singular field, each value appended for a repeated one. Messages
// on the way are created as needed.
func setFields(m protoreflect.Message, fds []protoreflect.FieldDescriptor, values []string) error {
	m, err := parentOf(m, fds)
	if err != nil {
		return err
	}
	fd := fds[len(fds)-1]
	name := protoPath(fds)
	switch {
	case fd.IsMap():
		return fmt.Errorf("%s is a map field: set its entries as %s[key]=value", name, name)
	case fd.IsList():
		if fd.Message() != nil && !scalarMessages[fd.Message().FullName()] {
			return fmt.Errorf("%s is a repeated message field, which a URL cannot set", name)
		}
		list := m.Mutable(fd).List()
		for _, s := range values {
			v, err := parseFieldValue(fd, s, list.NewElement)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			list.Append(v)
		}
		return nil
	}
	if len(values) != 1 {
		return fmt.Errorf("%s is not repeated but is given %d times", name, len(values))
	}
	if err := checkOneof(m, fd); err != nil {
		return err
	}
	v, err := parseFieldValue(fd, values[0], func() protoreflect.Value { return m.NewField(fd) })
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	m.Set(fd, v)
	return nil
}

// checkOneof refuses to set a member of a oneof another member of which is
// already set.
func checkOneof(m protoreflect.Message, fd protoreflect.FieldDescriptor) error {
	od := fd.ContainingOneof()
	if od == nil || od.IsSynthetic() {
		return nil
	}
	if set := m.WhichOneof(od); set != nil && set != fd {
		return fmt.Errorf("fields %s and %s of oneof %s cannot both be set", set.Name(), fd.Name(), od.Name())
	}
	return nil
}

// parseFieldValue parses s as a value of fd's type: numbers in decimal,
// bools as strconv does, enums by name or number, bytes in base64 (standard
// or URL-safe, padded or not) and the well-known scalar messages in their
// JSON form. newMessage makes an empty message value of fd's type.
func parseFieldValue(fd protoreflect.FieldDescriptor, s string, newMessage func() protoreflect.Value) (protoreflect.Value, error) {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return protoreflect.Value{}, fmt.Errorf("%q is not a bool", s)
		}
		return protoreflect.ValueOfBool(b), nil
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		n, err := strconv.ParseInt(s, 10, 32)
		if err != nil {
			return protoreflect.Value{}, fmt.Errorf("%q is not a 32-bit integer", s)
		}
		return protoreflect.ValueOfInt32(int32(n)), nil
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return protoreflect.Value{}, fmt.Errorf("%q is not a 64-bit integer", s)
		}
		return protoreflect.ValueOfInt64(n), nil
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return protoreflect.Value{}, fmt.Errorf("%q is not an unsigned 32-bit integer", s)
		}
		return protoreflect.ValueOfUint32(uint32(n)), nil
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return protoreflect.Value{}, fmt.Errorf("%q is not an unsigned 64-bit integer", s)
		}
		return protoreflect.ValueOfUint64(n), nil
	case protoreflect.FloatKind:
		f, err := parseFloat(s, 32)
		if err != nil {
			return protoreflect.Value{}, err
		}
		return protoreflect.ValueOfFloat32(float32(f)), nil
	case protoreflect.DoubleKind:
		f, err := parseFloat(s, 64)
		if err != nil {
			return protoreflect.Value{}, err
		}
		return protoreflect.ValueOfFloat64(f), nil
	case protoreflect.StringKind:
		if !utf8.ValidString(s) {
			return protoreflect.Value{}, fmt.Errorf("%q is not valid UTF-8", s)
		}
		return protoreflect.ValueOfString(s), nil
	case protoreflect.BytesKind:
		b, err := parseBytes(s)
		if err != nil {
			return protoreflect.Value{}, err
		}
		return protoreflect.ValueOfBytes(b), nil
	case protoreflect.EnumKind:
		return parseEnum(fd.Enum(), s)
	case protoreflect.MessageKind, protoreflect.GroupKind:
		v := newMessage()
		if err := parseScalarMessage(v.Message(), s); err != nil {
			return protoreflect.Value{}, err
		}
		return v, nil
	}
	return protoreflect.Value{}, fmt.Errorf("unsupported field kind %v", fd.Kind())
}

// parseFloat parses a decimal number or one of protojson's "NaN",
// "Infinity" and "-Infinity". strconv's other spellings ("inf", "nan",
// hexadecimal "0x1p-2", underscores) are not proto3 JSON and are refused.
func parseFloat(s string, bits int) (float64, error) {
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil || !decimalNumber.MatchString(s) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return f, nil
}

// decimalNumber is a number as JSON writes it (leading zeros and a bare
// point tolerated, as query strings have them): digits, an optional
// fraction and an optional exponent.
var decimalNumber = regexp.MustCompile(`^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$`)

// parseBytes decodes base64 in any of its four common spellings.
func parseBytes(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("%q is not base64", s)
}

// parseEnum accepts an enum value's name ("FICTION") or its number ("1").
// Numbers outside the declared values are accepted for open (proto3) enums,
// as on the wire.
func parseEnum(ed protoreflect.EnumDescriptor, s string) (protoreflect.Value, error) {
	if ev := ed.Values().ByName(protoreflect.Name(s)); ev != nil {
		return protoreflect.ValueOfEnum(ev.Number()), nil
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err == nil && (!ed.IsClosed() || ed.Values().ByNumber(protoreflect.EnumNumber(n)) != nil) {
		return protoreflect.ValueOfEnum(protoreflect.EnumNumber(n)), nil
	}
	names := make([]string, ed.Values().Len())
	for i := range names {
		names[i] = string(ed.Values().Get(i).Name())
	}
	return protoreflect.Value{}, fmt.Errorf("%q is not a value of enum %s (%s, or a number)", s, ed.FullName(), strings.Join(names, ", "))
}

// parseScalarMessage fills a well-known scalar message from its JSON
// string form: an RFC 3339 Timestamp, a Duration such as "1.5s", a
// FieldMask "a,b.c" (lowerCamel or snake_case paths) or a wrapper's value.
func parseScalarMessage(m protoreflect.Message, s string) error {
	md := m.Descriptor()
	switch name := md.FullName(); {
	case name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration":
		if err := protojson.Unmarshal([]byte(strconv.Quote(s)), m.Interface()); err != nil {
			return fmt.Errorf("%q is not a valid %s", s, name.Name())
		}
		return nil
	case name == "google.protobuf.FieldMask":
		paths := m.Mutable(md.Fields().ByName("paths")).List()
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				paths.Append(protoreflect.ValueOfString(snakePath(p)))
			}
		}
		return nil
	case scalarMessages[name]:
		fd := md.Fields().ByName("value")
		v, err := parseFieldValue(fd, s, nil)
		if err != nil {
			return err
		}
		m.Set(fd, v)
		return nil
	}
	return fmt.Errorf("%s is a message: set its fields one by one (field.subfield=value)", md.FullName())
}

// snakePath turns a lowerCamel field mask path ("bestReview.text") into
// proto names ("best_review.text"); snake_case paths are kept.
func snakePath(p string) string {
	if strings.Contains(p, "_") {
		return p
	}
	var b strings.Builder
	for _, r := range p {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
