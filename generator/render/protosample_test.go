package render

import (
	"encoding/json"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/apipb"
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
		"Api": func() *dynamicpb.Message { return dynamicpb.NewMessage((&apipb.Api{}).ProtoReflect().Descriptor()) },
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
