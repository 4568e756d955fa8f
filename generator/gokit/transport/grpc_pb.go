package transport

import "github.com/kitforge/kitforge/generator/model"

// PB describes the generated protobuf package of a service (<name>pb): the
// Go names protoc-gen-go gave its service and messages, and which Go value
// each message carries. The gRPC emitter converts between the two with it.
type PB struct {
	// GoName is the service's Go name in the pb package ("Calc", as in
	// CalcServer and Calc_ServiceDesc).
	GoName string
	// Messages are the service's messages: a request and a response per
	// method, and one per Go struct type the methods use.
	Messages []*PBMessage
}

// PBMessage is one generated message and the Go struct it carries.
type PBMessage struct {
	// GoName is the message's Go type name in the pb package ("SumRequest").
	GoName string
	// Method is the method whose endpoint request (or, with Response, whose
	// endpoint response) the message carries; nil for struct messages.
	Method   *model.Method
	Response bool
	// Type is the named Go struct type a struct message carries.
	Type *model.Type
	// Fields are the message's fields, each with the Go field it carries.
	Fields []PBField
}

// PBField is one field of a generated message and the Go field it carries.
type PBField struct {
	// GoName is the field of the Go struct (endpoint request or response,
	// or the user's type), e.g. "UserID".
	GoName string
	// Type is that Go field's type.
	Type *model.Type
	// PBGoName is the field of the generated message struct, e.g. "UserId".
	PBGoName string
}

// message returns the request (or response) message of m.
func (pb *PB) message(m *model.Method, response bool) *PBMessage {
	for _, msg := range pb.Messages {
		if msg.Method == m && msg.Response == response {
			return msg
		}
	}
	panic("gokit: no pb message for method " + m.Name)
}

// structMessage returns the message that carries the named struct type t.
func (pb *PB) structMessage(t *model.Type) *PBMessage {
	for _, msg := range pb.Messages {
		if msg.Type != nil && msg.Type.Ident == t.Ident {
			return msg
		}
	}
	panic("gokit: no pb message for type " + t.Ident.String())
}
