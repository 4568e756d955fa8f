package broker

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// protoClientEndpoints lists the fields of the Set a broker's client
// returns: each method's endpoint (see endpoint) wrapped in the middleware
// named wrap; and the async methods among them.
func protoClientEndpoints(methods []*model.Method, wrap string, endpoint func(*model.Method) jen.Code) (values []jen.Code, async []*model.Method) {
	for _, m := range methods {
		if m.Async {
			async = append(async, m)
		}
		values = append(values, jen.Id(m.EndpointName()).Op(":").Id(wrap).Call(endpoint(m)))
	}
	return values, async
}

// protoClientNotes ends the doc comment of the client of a broker (named
// transport) with what it does with the async rpcs (published as published,
// returning once holder has the message) and the streaming rpcs.
func protoClientNotes(f *jen.File, ps *gokit.ProtoService, async []*model.Method, published, holder, transport string) {
	if len(async) > 0 {
		f.Comment("")
		f.Comment(gokit.WrapComment("The async rpcs (kitforge:async: "+methodNames(async)+") are "+published+" without waiting for a reply: their calls return an empty response as soon as "+holder+" has the message, and one instance runs them.", 77))
	}
	if ps.HasStreaming() {
		f.Comment("")
		f.Comment("The streaming rpcs (" + gokit.GRPCOnly(ps.Svc) + ") are not carried over " + transport + ".")
	}
}

// methodNames lists the names of methods, comma-separated.
func methodNames(methods []*model.Method) string {
	names := make([]string, len(methods))
	for i, m := range methods {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}
