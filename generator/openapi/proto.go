package openapi

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/transcode"
)

// ProtoService is a service declared in a .proto file, as ProtoDocument
// describes it.
type ProtoService struct {
	// FullName is the proto name of the service ("acme.users.v1.Users"),
	// the tag of its operations.
	FullName string
	// GoName is its Go name ("Users"), the prefix of its operation ids.
	GoName string
	// Methods are its rpcs; streaming ones are left out (gRPC only).
	Methods []ProtoMethod
}

// ProtoMethod is one rpc: its model method (name, doc, HTTP bindings) and
// its compiled descriptor (messages).
type ProtoMethod struct {
	Model *model.Method
	Desc  protoreflect.MethodDescriptor
}

// openAPIMethods are the HTTP methods an OpenAPI 3.0 path item describes; a
// google.api.http custom method of another kind is left out of the document.
var openAPIMethods = []string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}

// ProtoDocument returns the OpenAPI 3.0 document of the google.api.http
// bindings of services, indented and deterministic.
//
// Schemas follow the proto3 JSON mapping the transcoding uses: lowerCamel
// property names, 64-bit integers as strings, enums by name, bytes as
// base64, and the well-known types in their JSON forms (Timestamp an RFC 3339
// string, Duration "1.5s", FieldMask "a,b.c", the wrappers their value,
// Struct an object, Value anything). Messages are components named by their
// full proto name.
//
// Path variables become path parameters. A variable of one segment
// ({id}, {id=*}) is a parameter named after its field ({book.name}). A
// variable with a pattern ({name=shelves/*/books/*}) keeps the pattern's
// literal segments in the path and has a parameter per wildcard, named
// after the field and the literal before it:
// /v1/shelves/{name.shelves}/books/{name.books}; the request gets
// name=shelves/1/books/2 for /v1/shelves/1/books/2. OpenAPI path parameters
// are single segments, so a "**" wildcard is described as one parameter
// whose value may hold slashes that clients send unescaped. Bindings whose
// paths are alike but for parameter names share a path item, named by the
// first (of a "*" and a "**" route of one method there, the first is
// described). The fields neither the path nor the body binds are query
// parameters, nested ones as "filter.author" (maps are not carried, and a
// message met again inside itself is not flattened again).
func ProtoDocument(title string, services []ProtoService) ([]byte, error) {
	b := &protoBuilder{schemas: map[string]*schema{}}
	var names []string
	for _, s := range services {
		names = append(names, s.FullName)
	}
	doc := &document{
		OpenAPI: "3.0.3",
		Info:    map[string]string{"title": title, "version": "1.0.0", "description": "The HTTP/JSON transcoding of " + strings.Join(names, ", ") + "."},
		Paths:   map[string]map[string]*operation{},
	}
	b.schemas["google.rpc.Status"] = googleError()
	keys := map[string]string{} // normalized path → path key
	ids := map[string]bool{}
	for _, s := range services {
		for _, m := range s.Methods {
			if m.Model.IsStreaming() || m.Desc == nil {
				continue
			}
			for i, bind := range m.Model.HTTP {
				if !slices.Contains(openAPIMethods, bind.Verb) {
					continue
				}
				tmpl, err := transcode.ParseTemplate(bind.Path)
				if err != nil {
					return nil, err
				}
				key := pathKey(tmpl)
				norm := normalize(key)
				if first, ok := keys[norm]; ok {
					key = first
				}
				keys[norm] = key
				if doc.Paths[key][strings.ToLower(bind.Verb)] != nil {
					continue // "**" and "*" routes of one method look alike in OpenAPI: the first is described
				}
				op := b.operation(s, m, bind, tmpl, key)
				op.OperationID = s.GoName + "_" + m.Model.Name
				if i > 0 {
					op.OperationID += strconv.Itoa(i + 1)
				}
				if ids[op.OperationID] {
					op.OperationID = s.FullName + "." + strings.TrimPrefix(op.OperationID, s.GoName+"_")
				}
				ids[op.OperationID] = true
				if doc.Paths[key] == nil {
					doc.Paths[key] = map[string]*operation{}
				}
				doc.Paths[key][strings.ToLower(bind.Verb)] = op
			}
		}
	}
	doc.Components.Schemas = b.schemas
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// normalize is an OpenAPI path without its parameter names: two paths alike
// but for them are one path item.
func normalize(key string) string {
	var b strings.Builder
	in := false
	for _, r := range key {
		switch {
		case r == '{':
			in = true
			b.WriteString("{}")
		case r == '}':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// googleError is the schema of Google's JSON error body, which every error
// response of the transcoding carries.
func googleError() *schema {
	return &schema{
		Type:        "object",
		Description: "The body of every error response: the gRPC status of the error.",
		Properties: map[string]*schema{"error": {
			Type: "object",
			Properties: map[string]*schema{
				"code":    {Type: "integer", Format: "int32", Description: "the HTTP status"},
				"message": {Type: "string"},
				"status":  {Type: "string", Description: "the gRPC code's name (NOT_FOUND)"},
				"details": {Type: "array", Items: &schema{Type: "object", Properties: map[string]*schema{"@type": {Type: "string"}}}},
			},
		}},
	}
}

// pathKey is the OpenAPI path of a template: literal segments as they are,
// each wildcard a parameter (see ProtoDocument), the custom verb kept.
func pathKey(t *transcode.Template) string {
	names := paramNames(t)
	segs := make([]string, len(t.Segments))
	for i, s := range t.Segments {
		if s.Wild == "" {
			segs[i] = s.Literal
		} else {
			segs[i] = "{" + names[i] + "}"
		}
	}
	p := "/" + strings.Join(segs, "/")
	if t.Verb != "" {
		p += ":" + t.Verb
	}
	return p
}

// paramNames names the parameter of each wildcard segment of t (by index;
// "" for literals): the field of a one-segment variable, field.literal for
// a wildcard of a pattern that follows a literal of it, field.N for the
// Nth other one, and N for a wildcard outside variables.
func paramNames(t *transcode.Template) []string {
	names := make([]string, len(t.Segments))
	n := 0
	for i, s := range t.Segments {
		if s.Wild == "" {
			continue
		}
		n++
		whole := t.WholeVariable(i)
		switch {
		case s.Field == "":
			names[i] = "segment" + strconv.Itoa(n)
		case whole:
			names[i] = s.Field
		case i > 0 && t.Segments[i-1].Field == s.Field && t.Segments[i-1].Wild == "":
			names[i] = s.Field + "." + t.Segments[i-1].Literal
		default:
			names[i] = s.Field + "." + strconv.Itoa(n)
		}
	}
	return names
}

// protoBuilder collects the component schemas of messages.
type protoBuilder struct {
	schemas map[string]*schema
}

// operation describes one binding of rpc m; key is its path item's path,
// whose parameter names may be another binding's of the same shape.
func (b *protoBuilder) operation(s ProtoService, m ProtoMethod, bind *model.HTTPBinding, tmpl *transcode.Template, key string) *operation {
	in, out := m.Desc.Input(), m.Desc.Output()
	op := &operation{Tags: []string{s.FullName}, Responses: map[string]*response{}}
	if doc := m.Model.Doc; len(doc) > 0 {
		op.Summary = doc[0]
		op.Description = strings.Join(doc, "\n")
	}
	keyTmpl, _ := transcode.ParseTemplate(key)
	names := paramNames(tmpl)
	if keyTmpl != nil && len(keyTmpl.Segments) == len(tmpl.Segments) {
		names = paramNames(keyTmpl)
	}
	for i, seg := range tmpl.Segments {
		if seg.Wild == "" {
			continue
		}
		p := &parameter{Name: names[i], In: "path", Required: true, Schema: &schema{Type: "string"}}
		if fd := transcode.FieldByPath(in, seg.Field); fd != nil && names[i] == seg.Field {
			p.Schema = b.value(fd)
		}
		p.Schema.Description = paramDoc(tmpl, seg, i)
		op.Parameters = append(op.Parameters, p)
	}
	switch bind.Body {
	case "*":
		op.RequestBody = &requestBody{Required: true, Content: map[string]*mediaType{jsonType: {Schema: b.body(in, tmpl.Fields)}}}
	case "":
		b.queryParams(op, in, "", "", tmpl.Fields, nil)
	default:
		if fd := transcode.FieldByPath(in, bind.Body); fd != nil {
			omit := transcode.SubPaths(tmpl.Fields, bind.Body)
			sch := b.field(fd)
			if omit != nil && fd.Message() != nil && !fd.IsList() && !fd.IsMap() {
				sch = b.body(fd.Message(), omit)
			}
			op.RequestBody = &requestBody{Required: true, Content: map[string]*mediaType{jsonType: {Schema: sch}}}
		}
		b.queryParams(op, in, "", "", append(slices.Clone(tmpl.Fields), bind.Body), nil)
	}
	result := b.message(out)
	if bind.ResponseBody != "" {
		if fd := transcode.FieldByPath(out, bind.ResponseBody); fd != nil {
			result = b.field(fd)
		}
	}
	op.Responses["200"] = &response{Description: "OK", Content: map[string]*mediaType{jsonType: {Schema: result}}}
	errBody := map[string]*mediaType{jsonType: {Schema: ref("google.rpc.Status")}}
	op.Responses["400"] = &response{Description: "The request could not be decoded (INVALID_ARGUMENT).", Content: errBody}
	op.Responses["501"] = &response{Description: "The rpc is not implemented yet (UNIMPLEMENTED).", Content: errBody}
	op.Responses["default"] = &response{Description: "An error: the HTTP status of its gRPC code.", Content: errBody}
	return op
}

// paramDoc says what a path parameter binds: the whole field, or one
// segment of a field that the path's pattern spells out.
func paramDoc(t *transcode.Template, seg transcode.Segment, i int) string {
	if seg.Field == "" {
		return "a path segment bound to no field"
	}
	var pattern []string
	whole := true
	for j, s := range t.Segments {
		if s.Field != seg.Field {
			continue
		}
		if j != i {
			whole = false
		}
		if s.Wild != "" {
			pattern = append(pattern, s.Wild)
		} else {
			pattern = append(pattern, s.Literal)
		}
	}
	doc := "the field " + seg.Field
	if !whole {
		doc = "a segment of the field " + seg.Field + " (" + strings.Join(pattern, "/") + ")"
	}
	if seg.Wild == "**" {
		doc += "; may hold several segments, sent with their slashes unescaped"
	}
	return doc
}

// queryParams adds the fields of md (at prefix, JSON names at jsonPrefix)
// that bound (path or body fields, proto names) leaves over as query
// parameters: scalars, repeated scalars and the well-known types with a
// string form; messages are flattened, maps are not carried.
func (b *protoBuilder) queryParams(op *operation, md protoreflect.MessageDescriptor, prefix, jsonPrefix string, bound []string, seen []protoreflect.FullName) {
	if slices.Contains(seen, md.FullName()) {
		return
	}
	seen = append(seen, md.FullName())
	fields := md.Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		name, jsonName := prefix+string(fd.Name()), jsonPrefix+fd.JSONName()
		if slices.Contains(bound, name) || fd.IsMap() {
			continue
		}
		msg := fd.Message()
		if msg != nil && !transcode.ScalarMessage(msg.FullName()) {
			if !fd.IsList() {
				b.queryParams(op, msg, name+".", jsonName+".", bound, seen)
			}
			continue
		}
		p := &parameter{Name: jsonName, In: "query", Schema: b.value(fd)}
		if fd.IsList() {
			explode := true
			p.Explode = &explode
			p.Schema = &schema{Type: "array", Items: p.Schema}
		}
		p.Schema.Description = fieldDoc(fd)
		op.Parameters = append(op.Parameters, p)
	}
}

// body is the schema of message md as a request body without the fields at
// the dotted paths of omit (bound by the path): the message's component
// when nothing is left out.
func (b *protoBuilder) body(md protoreflect.MessageDescriptor, omit []string) *schema {
	if len(omit) == 0 {
		return b.message(md)
	}
	s := &schema{Type: "object", Properties: map[string]*schema{}, Description: "The fields of " + string(md.FullName()) + " that the path does not bind."}
	fields := md.Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		name := string(fd.Name())
		if slices.Contains(omit, name) {
			continue
		}
		inner := transcode.SubPaths(omit, name)
		if inner != nil && fd.Message() != nil && !fd.IsList() && !fd.IsMap() {
			s.Properties[fd.JSONName()] = b.body(fd.Message(), inner)
			continue
		}
		s.Properties[fd.JSONName()] = b.field(fd)
	}
	return s
}

// message is the schema of a message: its JSON form for a well-known type,
// otherwise a reference to its component, described once.
func (b *protoBuilder) message(md protoreflect.MessageDescriptor) *schema {
	if s := wellKnown(md.FullName()); s != nil {
		return s
	}
	name := string(md.FullName())
	if _, ok := b.schemas[name]; !ok {
		b.schemas[name] = &schema{} // placeholder: recursive messages refer to it
		s := &schema{Type: "object", Properties: map[string]*schema{}, Description: descriptorDoc(md)}
		fields := md.Fields()
		for i := range fields.Len() {
			fd := fields.Get(i)
			s.Properties[fd.JSONName()] = b.field(fd)
		}
		b.schemas[name] = s
	}
	return ref(name)
}

// field is the schema of a field's value: a list, a map (an object keyed by
// the keys' JSON strings) or one value.
func (b *protoBuilder) field(fd protoreflect.FieldDescriptor) *schema {
	var s *schema
	switch {
	case fd.IsMap():
		s = &schema{Type: "object", AdditionalProperties: b.value(fd.MapValue())}
	case fd.IsList():
		s = &schema{Type: "array", Items: b.value(fd)}
	default:
		s = b.value(fd)
	}
	if s.Ref == "" && s.Description == "" {
		s.Description = fieldDoc(fd)
	}
	return s
}

// value is the schema of one value of fd's kind in the proto3 JSON mapping.
func (b *protoBuilder) value(fd protoreflect.FieldDescriptor) *schema {
	zero := 0.0
	switch fd.Kind() {
	case protoreflect.StringKind:
		return &schema{Type: "string"}
	case protoreflect.BoolKind:
		return &schema{Type: "boolean"}
	case protoreflect.BytesKind:
		return &schema{Type: "string", Format: "byte"}
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return &schema{Type: "integer", Format: "int32"}
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return &schema{Type: "integer", Format: "int64", Minimum: &zero}
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return &schema{Type: "string", Format: "int64", Description: "a 64-bit integer, as a decimal string"}
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return &schema{Type: "string", Format: "uint64", Description: "a 64-bit unsigned integer, as a decimal string"}
	case protoreflect.FloatKind:
		return &schema{Type: "number", Format: "float"}
	case protoreflect.DoubleKind:
		return &schema{Type: "number", Format: "double"}
	case protoreflect.EnumKind:
		if fd.Enum().FullName() == "google.protobuf.NullValue" {
			return &schema{Nullable: true}
		}
		s := &schema{Type: "string"}
		values := fd.Enum().Values()
		for i := range values.Len() {
			s.Enum = append(s.Enum, string(values.Get(i).Name()))
		}
		return s
	}
	return b.message(fd.Message())
}

// wellKnown is the schema of a well-known type's JSON form, or nil.
func wellKnown(name protoreflect.FullName) *schema {
	switch name {
	case "google.protobuf.Timestamp":
		return &schema{Type: "string", Format: "date-time"}
	case "google.protobuf.Duration":
		return &schema{Type: "string", Format: "duration", Description: `seconds with an "s" suffix, such as "1.5s"`}
	case "google.protobuf.FieldMask":
		return &schema{Type: "string", Description: `field paths, comma-separated, in lowerCamel: "title,author.name"`}
	case "google.protobuf.Empty":
		return &schema{Type: "object"}
	case "google.protobuf.Struct":
		return &schema{Type: "object", AdditionalProperties: &schema{}}
	case "google.protobuf.Value":
		return &schema{Description: "any JSON value"}
	case "google.protobuf.ListValue":
		return &schema{Type: "array", Items: &schema{}}
	case "google.protobuf.Any":
		return &schema{Type: "object", Properties: map[string]*schema{"@type": {Type: "string"}}, Description: `a message and its type URL in "@type"`}
	case "google.protobuf.StringValue":
		return &schema{Type: "string", Nullable: true}
	case "google.protobuf.BytesValue":
		return &schema{Type: "string", Format: "byte", Nullable: true}
	case "google.protobuf.BoolValue":
		return &schema{Type: "boolean", Nullable: true}
	case "google.protobuf.Int32Value":
		return &schema{Type: "integer", Format: "int32", Nullable: true}
	case "google.protobuf.UInt32Value":
		return &schema{Type: "integer", Format: "int64", Nullable: true}
	case "google.protobuf.Int64Value", "google.protobuf.UInt64Value":
		return &schema{Type: "string", Format: "int64", Nullable: true}
	case "google.protobuf.FloatValue":
		return &schema{Type: "number", Format: "float", Nullable: true}
	case "google.protobuf.DoubleValue":
		return &schema{Type: "number", Format: "double", Nullable: true}
	}
	return nil
}

// fieldDoc is a field's leading comment, on one line.
func fieldDoc(fd protoreflect.FieldDescriptor) string { return descriptorDoc(fd) }

// descriptorDoc is a declaration's leading comment, on one line.
func descriptorDoc(d protoreflect.Descriptor) string {
	loc := d.ParentFile().SourceLocations().ByDescriptor(d)
	return strings.Join(strings.Fields(loc.LeadingComments), " ")
}
