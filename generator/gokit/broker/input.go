package broker

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// input is a service a broker transport carries, and what the transport
// differs by: a Go interface's requests and responses are JSON, its errors
// carry an HTTP-style status; a proto service's (proto set) are its
// messages in protobuf's binary encoding, its errors gRPC statuses.
type input struct {
	f       *jen.File
	name    string // what subjects and queues are named after
	l       gokit.Layout
	svc     *model.Service
	methods []*model.Method // the unary methods, the ones a broker carries
	proto   *gokit.ProtoService
}

// goInput is the input of a Go interface.
func goInput(svc *model.Service, l gokit.Layout) input {
	return input{f: l.NewFile(l.Transport), name: svc.Name, l: l, svc: svc, methods: gokit.UnaryMethods(svc)}
}

// protoInput is the input of a proto service, named by its full proto name.
func protoInput(ps *gokit.ProtoService) input {
	return input{f: gokit.ProtoNewFile(ps.Layout.Transport, ps), name: ps.FullName, l: ps.Layout, svc: ps.Svc, methods: gokit.UnaryMethods(ps.Svc), proto: ps}
}

// decoder names the server's request decoder of m over transport ("NATS"
// or "AMQP").
func (in input) decoder(transport string, m *model.Method) string {
	if in.proto != nil {
		return "decode" + transport + m.Name + "Request"
	}
	return "decode" + transport + m.RequestName()
}
