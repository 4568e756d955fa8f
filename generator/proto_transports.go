package generator

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// protoTransports returns the transports of proto services in the order
// they are wired (config.ProtoTransports): kitforge.yaml's, http and grpc
// when it names none. config.Options.Validate has refused the others and an
// empty list, with their position; this is the last guard.
func protoTransports(opts config.Options) ([]string, error) {
	var out []string
	for _, t := range opts.Transports {
		if !slices.Contains(config.ProtoTransports, t) {
			return nil, &model.Error{Msg: fmt.Sprintf("transport %s is not available for .proto services yet", t),
				Hint: "use transports among " + strings.Join(config.ProtoTransports, ", ")}
		}
	}
	for _, t := range config.ProtoTransports {
		if slices.Contains(opts.Transports, t) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, &model.Error{Msg: "transports: a .proto service needs at least one transport",
			Hint: "list at least one of " + strings.Join(config.ProtoTransports, ", ")}
	}
	return out, nil
}

// protoEmits reports whether the transport file of a proto service is
// generated: each belongs to its transport. A file of a dropped transport is
// then stale, and the plan deletes it.
func protoEmits(ps *gokit.ProtoService, file string) bool {
	switch file {
	case "http_gen.go":
		return ps.HTTP
	case "grpc_gen.go":
		return ps.Layout.GRPC
	case "nats_gen.go":
		return ps.Layout.NATS
	case "amqp_gen.go":
		return ps.Layout.AMQP
	}
	return true
}

// protoTransportNotes says which streaming rpcs a transport does not carry:
// NATS and AMQP request/reply is unary, and without gRPC they are served
// nowhere.
func protoTransportNotes(services []*gokit.ProtoService) []string {
	var streaming []string
	for _, ps := range services {
		for _, m := range ps.Svc.Methods {
			if m.IsStreaming() {
				streaming = append(streaming, ps.Svc.GoName+"."+m.Name)
			}
		}
	}
	if len(streaming) == 0 {
		return nil
	}
	l := services[0].Layout
	var notes []string
	if l.NATS {
		notes = append(notes, "streaming rpcs are not carried over NATS (request/reply is unary): "+strings.Join(streaming, ", "))
	}
	if l.AMQP {
		notes = append(notes, "streaming rpcs are not carried over AMQP (request/reply is unary): "+strings.Join(streaming, ", "))
	}
	if !l.GRPC {
		notes = append(notes, "gRPC is not among the transports, so the streaming rpcs are served nowhere: "+strings.Join(streaming, ", "))
	}
	return notes
}
