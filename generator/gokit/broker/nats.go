package broker

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// Import paths of the NATS transport.
const (
	NATSGo        = "github.com/nats-io/nats.go"
	kitNATS       = "github.com/go-kit/kit/transport/nats"
	natsStatusHdr = "Kitforge-Status"
)

// NATS emits <out>/<name>transport/nats_gen.go: a queue-group subscription
// per method (Go kit natstransport.Subscriber) and a client that implements
// the service over NATS request/reply. Bodies are JSON; an error reply
// carries its HTTP-style status in the Kitforge-Status header and
// {"error": "..."} as its body. Methods marked kitforge:async are published
// without waiting for a reply.
func NATS(svc *model.Service, l gokit.Layout) ([]byte, error) {
	return emitNATS(goInput(svc, l))
}

// ProtoNATS emits <out>/<name>transport/nats_gen.go for a proto service: a
// queue-group subscription per unary rpc (Go kit natstransport.Subscriber)
// on NATSSubject(prefix, rpc), and NewNATSClient, whose Set calls the unary
// rpcs over NATS request/reply through Go kit natstransport.Publishers.
// Requests and responses are the messages in protobuf's binary encoding; an
// error reply carries its gRPC code in the Kitforge-Grpc-Status header and
// the google.rpc.Status as its body, which the client turns back into the
// status error. Streaming rpcs are not carried: NATS request/reply is unary.
func ProtoNATS(ps *gokit.ProtoService) ([]byte, error) {
	return emitNATS(protoInput(ps))
}

// emitNATS writes nats_gen.go: the subjects and SubscribeNATS, then the
// server's codecs and the client of the input's kind.
func emitNATS(in input) ([]byte, error) {
	f := in.f
	f.ImportAlias(kitNATS, "natstransport")
	f.ImportName(NATSGo, "nats")
	if in.proto != nil {
		f.ImportAlias(pkgRPCStatus, "spb")
	}
	genNATSNames(f, in.name)
	genSubscribeNATS(f, in.name, in.l, natsHandlers(in.methods, func(m *model.Method) string { return in.decoder("NATS", m) }))
	if in.proto != nil {
		genProtoNATSCodecs(f, in.proto, in.methods)
		genProtoNATSClient(f, in.proto, in.methods)
	} else {
		genNATSCodecs(f, in.l, in.methods)
		genNATSClient(f, in.svc, in.l, in.methods)
	}
	return gokit.Render(f)
}

// genNATSCodecs emits the server's JSON request decoders, response encoder
// and error encoder of a Go interface.
func genNATSCodecs(f *jen.File, l gokit.Layout, methods []*model.Method) {
	for _, m := range methods {
		f.Comment("decodeNATS" + m.RequestName() + " is a transport/nats.DecodeRequestFunc for " + m.Name + ".")
		f.Func().Id("decodeNATS"+m.RequestName()).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("msg").Op("*").Qual(NATSGo, "Msg")).Params(jen.Any(), jen.Error()).Block(
			jen.Var().Id("req").Qual(l.Endpoint.Path, m.RequestName()),
			jen.If(jen.Len(jen.Id("msg").Dot("Data")).Op(">").Lit(0)).Block(
				jen.If(jen.Err().Op(":=").Qual(gokit.PkgJSON, "Unmarshal").Call(jen.Id("msg").Dot("Data"), jen.Op("&").Id("req")), jen.Err().Op("!=").Nil()).Block(
					jen.Return(jen.Nil(), jen.Op("&").Add(l.ServiceIdent("StatusError")).Values(
						jen.Id("Code").Op(":").Qual(gokit.PkgHTTP, "StatusBadRequest"),
						jen.Id("Message").Op(":").Lit("decode JSON message: ").Op("+").Err().Dot("Error").Call())),
				),
			),
			jen.Return(jen.Id("req"), jen.Nil()),
		)
	}

	f.Comment("encodeNATSResponse is a transport/nats.EncodeResponseFunc that replies with the")
	f.Comment("response as JSON, or with the business error it carries.")
	f.Func().Id("encodeNATSResponse").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("reply").String(), jen.Id("nc").Op("*").Qual(NATSGo, "Conn"), jen.Id("response").Any()).Error().Block(
		jen.If(jen.List(jen.Id("f"), jen.Id("ok")).Op(":=").Id("response").Assert(jen.Qual(gokit.KitEndpoint, "Failer")), jen.Id("ok").Op("&&").Id("f").Dot("Failed").Call().Op("!=").Nil()).Block(
			jen.Id("encodeNATSError").Call(jen.Id("ctx"), jen.Id("f").Dot("Failed").Call(), jen.Id("reply"), jen.Id("nc")),
			jen.Return(jen.Nil()),
		),
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual(gokit.PkgJSON, "Marshal").Call(jen.Id("response")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Return(jen.Id("nc").Dot("Publish").Call(jen.Id("reply"), jen.Id("data"))),
	)

	f.Comment("encodeNATSError is a transport/nats.ErrorEncoder: the reply carries the error's")
	f.Comment("HTTP status (see HTTPStatus) in the " + natsStatusHdr + " header and {\"error\": ...}.")
	f.Func().Id("encodeNATSError").Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Err().Error(), jen.Id("reply").String(), jen.Id("nc").Op("*").Qual(NATSGo, "Conn")).Block(
		jen.List(jen.Id("data"), jen.Id("_")).Op(":=").Qual(gokit.PkgJSON, "Marshal").Call(jen.Id("errorBody").Values(jen.Id("Error").Op(":").Err().Dot("Error").Call())),
		jen.Id("msg").Op(":=").Qual(NATSGo, "NewMsg").Call(jen.Id("reply")),
		jen.Id("msg").Dot("Data").Op("=").Id("data"),
		jen.Id("msg").Dot("Header").Dot("Set").Call(jen.Lit(natsStatusHdr), jen.Qual(gokit.PkgStrconv, "Itoa").Call(jen.Id("HTTPStatus").Call(jen.Err()))),
		jen.Id("_").Op("=").Id("nc").Dot("PublishMsg").Call(jen.Id("msg")),
	)
}

// natsHandlers lists a {method, Go kit natstransport.Subscriber} per method
// for SubscribeNATS; decoder names each method's request decoder.
func natsHandlers(methods []*model.Method, decoder func(*model.Method) string) []jen.Code {
	out := make([]jen.Code, 0, len(methods))
	for _, m := range methods {
		out = append(out, jen.Values(jen.Lit(m.Name), jen.Qual(kitNATS, "NewSubscriber").Call(
			jen.Id("endpoints").Dot(m.EndpointName()), jen.Id(decoder(m)), jen.Id("encodeNATSResponse"), jen.Id("options").Op("..."))))
	}
	return out
}

// genNATSNames emits NATSSubject and NATSQueue: a method of the service
// named name is served on prefix + name + "." + method, in the queue group
// name.
func genNATSNames(f *jen.File, name string) {
	f.Comment("NATSSubject is the subject a method is served on: prefix + \"" + name + ".\" + method.")
	f.Func().Id("NATSSubject").Params(jen.Id("prefix"), jen.Id("method").String()).String().Block(
		jen.Return(jen.Id("prefix").Op("+").Lit(name + ".").Op("+").Id("method")),
	)
	f.Comment("NATSQueue is the queue group every instance joins, so that each message is")
	f.Comment("handled by one instance.")
	f.Const().Id("NATSQueue").Op("=").Lit(name)
}

// genSubscribeNATS emits SubscribeNATS, which subscribes every handler (see
// natsHandlers) in the queue group, with the errors encoded by
// encodeNATSError and logged.
func genSubscribeNATS(f *jen.File, name string, l gokit.Layout, handlers []jen.Code) {
	subs := []jen.Code{
		jen.Id("options").Op("=").Append(jen.Index().Qual(kitNATS, "SubscriberOption").Values(gokit.Multiline([]jen.Code{
			jen.Qual(kitNATS, "SubscriberErrorEncoder").Call(jen.Id("encodeNATSError")),
			jen.Qual(kitNATS, "SubscriberErrorHandler").Call(jen.Qual(gokit.KitTransport, "NewLogErrorHandler").Call(jen.Id("logger"))),
		})...), jen.Id("options").Op("...")),
		jen.Id("handlers").Op(":=").Index().Struct(jen.Id("method").String(), jen.Id("sub").Op("*").Qual(kitNATS, "Subscriber")).Values(gokit.Multiline(handlers)...),
		jen.Var().Id("subscriptions").Index().Op("*").Qual(NATSGo, "Subscription"),
		jen.For(jen.List(jen.Id("_"), jen.Id("h")).Op(":=").Range().Id("handlers")).Block(
			jen.List(jen.Id("s"), jen.Err()).Op(":=").Id("nc").Dot("QueueSubscribe").Call(jen.Id("NATSSubject").Call(jen.Id("prefix"), jen.Id("h").Dot("method")), jen.Id("NATSQueue"), jen.Id("h").Dot("sub").Dot("ServeMsg").Call(jen.Id("nc"))),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.For(jen.List(jen.Id("_"), jen.Id("s")).Op(":=").Range().Id("subscriptions")).Block(jen.Id("_").Op("=").Id("s").Dot("Unsubscribe").Call()),
				jen.Return(jen.Nil(), jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("subscribe %s: %w"), jen.Id("h").Dot("method"), jen.Err())),
			),
			jen.Id("subscriptions").Op("=").Append(jen.Id("subscriptions"), jen.Id("s")),
		),
		jen.Return(jen.Id("subscriptions"), jen.Nil()),
	}
	f.Comment("SubscribeNATS serves the " + name + " endpoints on nc: one queue subscription per")
	f.Comment("method on NATSSubject(prefix, method). Drain the connection to stop: in-flight")
	f.Comment("messages are finished first.")
	f.Func().Id("SubscribeNATS").Params(
		jen.Id("nc").Op("*").Qual(NATSGo, "Conn"),
		jen.Id("prefix").String(),
		jen.Id("endpoints").Qual(l.Endpoint.Path, "Set"),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("options").Op("...").Qual(kitNATS, "SubscriberOption"),
	).Params(jen.Index().Op("*").Qual(NATSGo, "Subscription"), jen.Error()).Block(subs...)
}

// genNATSDecoder emits a transport/nats decoder named name that runs pre,
// then unmarshals the message data into a new typ; an undecodable message is
// a status error of code.
func genNATSDecoder(f *jen.File, name, doc string, typ model.Ident, pre []jen.Code, code, format string) {
	genProtoDecoder(f, "nats", jen.Id("msg").Op("*").Qual(NATSGo, "Msg"), jen.Id("msg").Dot("Data"), name, doc, typ, pre, code, format)
}

// genProtoNATSCodecs emits the server's protobuf request decoders, response
// encoder and status error encoder of a proto service.
func genProtoNATSCodecs(f *jen.File, ps *gokit.ProtoService, methods []*model.Method) {
	for _, m := range methods {
		pm := ps.Method(m)
		genNATSDecoder(f, "decodeNATS"+m.Name+"Request", "DecodeRequestFunc for "+pm.ProtoName+": a binary *"+pm.Input.Name+".",
			pm.Input, nil, "InvalidArgument", "decode protobuf message: %v")
	}

	f.Comment("encodeNATSResponse is a transport/nats.EncodeResponseFunc that replies with the")
	f.Comment("response message in protobuf's binary encoding.")
	f.Func().Id("encodeNATSResponse").Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("reply").String(), jen.Id("nc").Op("*").Qual(NATSGo, "Conn"), jen.Id("response").Any()).Error().Block(
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual(gokit.PkgProto, "Marshal").Call(jen.Id("response").Assert(jen.Qual(gokit.PkgProto, "Message"))),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("msg").Op(":=").Qual(NATSGo, "NewMsg").Call(jen.Id("reply")),
		jen.Id("msg").Dot("Header").Dot("Set").Call(jen.Lit("Content-Type"), jen.Lit(natsProtoMediaType)),
		jen.Id("msg").Dot("Data").Op("=").Id("data"),
		jen.Return(jen.Id("nc").Dot("PublishMsg").Call(jen.Id("msg"))),
	)

	f.Comment("encodeNATSError is a transport/nats.ErrorEncoder: the reply carries the error's")
	f.Comment("gRPC code in the " + natsGRPCStatusHdr + " header and its google.rpc.Status (code,")
	f.Comment("message and details) as a binary body. Errors that are not gRPC statuses are")
	f.Comment("Unknown; context errors Canceled or DeadlineExceeded.")
	f.Func().Id("encodeNATSError").Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Err().Error(), jen.Id("reply").String(), jen.Id("nc").Op("*").Qual(NATSGo, "Conn")).Block(
		protoErrorStatus("data"),
		jen.Id("msg").Op(":=").Qual(NATSGo, "NewMsg").Call(jen.Id("reply")),
		jen.Id("msg").Dot("Header").Dot("Set").Call(jen.Lit(natsGRPCStatusHdr), jen.Qual(gokit.PkgStrconv, "Itoa").Call(jen.Int().Call(jen.Id("st").Dot("Code").Call()))),
		jen.Id("msg").Dot("Header").Dot("Set").Call(jen.Lit("Content-Type"), jen.Lit(natsProtoMediaType)),
		jen.Id("msg").Dot("Data").Op("=").Id("data"),
		jen.Id("_").Op("=").Id("nc").Dot("PublishMsg").Call(jen.Id("msg")),
	)
}
