package protoschema

import "github.com/kitforge/kitforge/generator/model"

// Result is a schema and what its messages carry.
type Result struct {
	// Source is the .proto text.
	Source []byte
	// Package is the proto package ("calc"); the service's full name is
	// Package + "." + the service's GoName.
	Package string
	// Messages are the schema's messages in the order they are written:
	// each method's request and response, and the Go struct types as the
	// methods first use them.
	Messages []Message
}

// Message is one message of a schema and the Go value it carries.
type Message struct {
	// Name is the proto name of the message ("SumRequest", "User").
	Name string
	// Method is the method whose parameters (or, with Response, results)
	// the message carries; nil for a struct message.
	Method   *model.Method
	Response bool
	// Type is the named Go struct type a struct message mirrors; nil for
	// request and response messages.
	Type *model.Type
	// Fields are the message's fields in declaration order.
	Fields []Field
}

// Field is one field of a message and the Go field it carries.
type Field struct {
	// Name is the proto field name ("user_id").
	Name   string
	Number int
	// GoName is the Go struct field the proto field carries: a field of the
	// method's endpoint request or response struct (model.Field.GoName) or
	// of the Go struct type (model.StructField.GoName).
	GoName string
	// Type is that Go field's type.
	Type *model.Type
}

// newResult collects what the builder made.
func newResult(pkg string, src []byte, b *builder) *Result {
	r := &Result{Source: src, Package: pkg, Messages: make([]Message, 0, len(b.messages))}
	for _, m := range b.messages {
		msg := Message{Name: m.name, Method: m.method, Response: m.response, Type: m.goType}
		for _, f := range m.fields {
			msg.Fields = append(msg.Fields, Field{Name: f.name, Number: f.number, GoName: f.goName, Type: f.goType})
		}
		r.Messages = append(r.Messages, msg)
	}
	return r
}
