package render

import (
	"encoding/json"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/apipb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/typepb"
)

// TestProtoJSON checks that samples of real messages — recursive ones
// (DescriptorProto holds DescriptorProto), maps, enums, oneofs, well-known
// types — are JSON that protojson reads back into the message.
func TestProtoJSON(t *testing.T) {
	msgs := map[string]func() *dynamicpb.Message{
		"DescriptorProto": func() *dynamicpb.Message {
			return dynamicpb.NewMessage((&descriptorpb.DescriptorProto{}).ProtoReflect().Descriptor())
		},
		"FileDescriptorSet": func() *dynamicpb.Message {
			return dynamicpb.NewMessage((&descriptorpb.FileDescriptorSet{}).ProtoReflect().Descriptor())
		},
		"Api":  func() *dynamicpb.Message { return dynamicpb.NewMessage((&apipb.Api{}).ProtoReflect().Descriptor()) },
		"Type": func() *dynamicpb.Message { return dynamicpb.NewMessage((&typepb.Type{}).ProtoReflect().Descriptor()) },
	}
	for name, newMsg := range msgs {
		m := newMsg()
		sample := ProtoJSON(m.Descriptor())
		if !json.Valid([]byte(sample)) {
			t.Errorf("%s: not JSON: %s", name, sample)
			continue
		}
		if err := protojson.Unmarshal([]byte(sample), m); err != nil {
			t.Errorf("%s: protojson cannot read the sample: %v\n%s", name, err, sample)
		}
		if len(sample) > 20000 {
			t.Errorf("%s: sample of %d bytes: the recursion guard does not hold", name, len(sample))
		}
	}
}

// TestProtoJSONWithout checks that the fields a URL path binds are left
// out of a body sample, at the top level and nested, and that a body field's
// sample is that field's value.
func TestProtoJSONWithout(t *testing.T) {
	md := (&apipb.Api{}).ProtoReflect().Descriptor()
	got := ProtoJSONWithout(md, []string{"name", "source_context.file_name"})
	var m map[string]any
	if err := json.Unmarshal([]byte(got), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got)
	}
	if _, ok := m["name"]; ok {
		t.Errorf("name not left out: %s", got)
	}
	if sc, ok := m["sourceContext"].(map[string]any); !ok || len(sc) != 0 {
		t.Errorf("sourceContext = %v, want {} (fileName left out): %s", m["sourceContext"], got)
	}
	if _, ok := m["version"]; !ok {
		t.Errorf("version missing: %s", got)
	}
	if got := ProtoFieldJSON(md.Fields().ByName("source_context"), nil); got != `{"fileName":"example"}` {
		t.Errorf("ProtoFieldJSON(source_context) = %s", got)
	}
	if got := ProtoFieldJSON(md.Fields().ByName("name"), nil); got != `"example"` {
		t.Errorf("ProtoFieldJSON(name) = %s", got)
	}
	if got := ProtoFieldJSON(md.Fields().ByName("methods"), nil); got[0] != '[' {
		t.Errorf("ProtoFieldJSON(methods) = %s, want a list", got)
	}
}

// TestGrpcurlJSON checks that grpcurl's sample writes a FieldMask as the
// object grpcurl reads, and the JSON mapping's sample as its string form.
func TestGrpcurlJSON(t *testing.T) {
	md := (&fieldmaskpb.FieldMask{}).ProtoReflect().Descriptor()
	if got := GrpcurlJSON(md); got != `{"paths":["name"]}` {
		t.Errorf("GrpcurlJSON(FieldMask) = %s", got)
	}
	if got := ProtoJSON(md); got != `"name"` {
		t.Errorf("ProtoJSON(FieldMask) = %s", got)
	}
}
