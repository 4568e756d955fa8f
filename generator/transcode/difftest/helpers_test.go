package difftest

import (
	"encoding/json"
	"time"

	"google.golang.org/protobuf/types/known/structpb"
)

// must panics on err: the corpus is built from constants.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// jsonMarshal and jsonUnmarshal are encoding/json's.
var (
	jsonMarshal   = json.Marshal
	jsonUnmarshal = json.Unmarshal
)

// mustTime parses an RFC 3339 time.
func mustTime(s string) time.Time { return must(time.Parse(time.RFC3339Nano, s)) }

// mustStruct and mustList build Struct and ListValue values.
func mustStruct(m map[string]any) *structpb.Struct { return must(structpb.NewStruct(m)) }

// mustList builds a ListValue.
func mustList(l []any) *structpb.ListValue { return must(structpb.NewList(l)) }
