package broker

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// ProtoAMQP emits <out>/<name>transport/amqp_gen.go for a proto service: a
// durable queue per unary rpc, AMQPQueue(prefix, rpc) named from the
// service's full proto name, consumed by every instance through Go kit
// amqptransport.Subscribers (ConsumeAMQP, shared with Go services), and
// NewAMQPClient, whose Set calls the unary rpcs over request/reply through
// Go kit amqptransport.Publishers. Requests and responses are the messages
// in protobuf's binary encoding; an error reply carries its gRPC code in the
// Kitforge-Grpc-Status header and the google.rpc.Status as its body, as over
// NATS, which the client turns back into the status error. Streaming rpcs
// are not carried.
func ProtoAMQP(ps *gokit.ProtoService) ([]byte, error) {
	l := ps.Layout
	f := gokit.ProtoNewFile(l.Transport, ps)
	f.ImportAlias(kitAMQP, "amqptransport")
	f.ImportAlias(amqpGo, "amqp")
	f.ImportAlias(pkgRPCStatus, "spb")
	methods := gokit.UnaryMethods(ps.Svc)

	genAMQPQueue(f, ps.FullName)
	handlers := make([]jen.Code, 0, len(methods))
	for _, m := range methods {
		handlers = append(handlers, amqpHandler(m, "decodeAMQP"+m.Name+"Request"))
	}
	genAMQPConsumer(f, ps.FullName, l, handlers)

	delivery := jen.Id("d").Op("*").Qual(amqpGo, "Delivery")
	for _, m := range methods {
		pm := ps.Method(m)
		genProtoDecoder(f, "amqp", delivery.Clone(), jen.Id("d").Dot("Body"), "decodeAMQP"+m.Name+"Request",
			"DecodeRequestFunc for "+pm.ProtoName+": a binary *"+pm.Input.Name+".", pm.Input, nil, "InvalidArgument", "decode protobuf message: %v")
	}

	f.Comment("encodeAMQPResponse is a transport/amqp.EncodeResponseFunc: the response")
	f.Comment("message in protobuf's binary encoding.")
	f.Func().Id("encodeAMQPResponse").Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("pub").Op("*").Qual(amqpGo, "Publishing"), jen.Id("response").Any()).Error().Block(
		amqpProtoBody("response"),
		jen.Return(jen.Nil()),
	)

	f.Comment("setAMQPError makes pub an error reply: the error's gRPC code in the")
	f.Comment(natsGRPCStatusHdr + " header (an int32) and its google.rpc.Status (code, message")
	f.Comment("and details) as a binary body. Errors that are not gRPC statuses are Unknown;")
	f.Comment("context errors Canceled or DeadlineExceeded.")
	f.Func().Id("setAMQPError").Params(jen.Id("pub").Op("*").Qual(amqpGo, "Publishing"), jen.Err().Error()).Block(
		protoErrorStatus("body"),
		jen.Id("pub").Dot("ContentType").Op("=").Lit(natsProtoMediaType),
		jen.Id("pub").Dot("Headers").Op("=").Qual(amqpGo, "Table").Values(jen.Lit(natsGRPCStatusHdr).Op(":").Int32().Call(jen.Id("st").Dot("Code").Call())),
		jen.Id("pub").Dot("Body").Op("=").Id("body"),
	)
	genAMQPReply(f)

	genProtoAMQPClient(f, ps, methods)
	return gokit.Render(f)
}

// amqpProtoBody is the statements that set pub's body to the message v in
// protobuf's binary encoding, returning the error of an unencodable one.
func amqpProtoBody(v string) jen.Code {
	return when(true, []jen.Code{
		jen.List(jen.Id("body"), jen.Err()).Op(":=").Qual(gokit.PkgProto, "Marshal").Call(jen.Id(v).Assert(jen.Qual(gokit.PkgProto, "Message"))),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("pub").Dot("ContentType").Op("=").Lit(natsProtoMediaType),
		jen.Id("pub").Dot("Body").Op("=").Id("body"),
	})
}

// genProtoAMQPClient emits NewAMQPClient and its codecs.
func genProtoAMQPClient(f *jen.File, ps *gokit.ProtoService, methods []*model.Method) {
	l := ps.Layout
	values, async := protoClientEndpoints(methods, "amqpStatusErrors", func(m *model.Method) jen.Code {
		queue := jen.Id("AMQPQueue").Call(jen.Id("prefix"), jen.Lit(m.Name))
		if m.Async {
			return jen.Id("publishAMQP").Call(jen.Id("ch"), queue, jen.Id("options"))
		}
		return jen.Id("replies").Dot("endpoint").Call(queue, jen.Id("decodeAMQP"+m.Name+"Response"), jen.Id("options"))
	})
	f.Comment(gokit.WrapComment("NewAMQPClient returns a Set whose endpoints call the unary rpcs of "+ps.FullName+" over AMQP on ch, one Go kit amqptransport.Publisher each: a typed client with room for client middlewares. "+
		"A call publishes its request through the default exchange to the rpc's queue, AMQPQueue(prefix, rpc), with a correlation id and reply_to naming an exclusive reply queue that the client declares and consumes, and waits for the matching reply "+
		"(PublisherTimeout sets the timeout, Go kit's default is 10 s; the request expires in the queue with it). "+
		"Errors come back as gRPC statuses: the service's own, Unavailable when no instance ever declared the queue or ch is closed, DeadlineExceeded when the reply does not come in time. "+
		"The client fails every call once ch is closed: make a new one on a new channel.", 77))
	protoClientNotes(f, ps, async, "published as persistent messages", "the broker", "AMQP")
	repliesVar := "replies"
	if len(async) == len(methods) {
		repliesVar = "_" // no rpc waits for a reply (an empty service, or only async rpcs)
	}
	f.Func().Id("NewAMQPClient").Params(
		jen.Id("ch").Op("*").Qual(amqpGo, "Channel"), jen.Id("prefix").String(), jen.Id("options").Op("...").Qual(kitAMQP, "PublisherOption"),
	).Params(jen.Qual(l.Endpoint.Path, "Set"), jen.Error()).Block(
		jen.List(jen.Id(repliesVar), jen.Err()).Op(":=").Id("newAMQPReplies").Call(jen.Id("ch")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(l.Endpoint.Path, "Set").Values(), jen.Err())),
		jen.Return(jen.Qual(l.Endpoint.Path, "Set").Values(gokit.Multiline(values)...), jen.Nil()),
	)

	genAMQPReplies(f, "Unavailable", func(msg jen.Code) jen.Code {
		return jen.Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "Unavailable"), msg)
	})
	if len(async) > 0 {
		genPublishAMQP(f, false)
	}

	f.Comment("encodeAMQPRequest is a transport/amqp.EncodeRequestFunc: the request message")
	f.Comment("in protobuf's binary encoding.")
	f.Func().Id("encodeAMQPRequest").Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("pub").Op("*").Qual(amqpGo, "Publishing"), jen.Id("request").Any()).Error().Block(
		amqpProtoBody("request"),
		jen.Return(jen.Nil()),
	)

	delivery := jen.Id("d").Op("*").Qual(amqpGo, "Delivery")
	for _, m := range methods {
		if m.Async {
			continue
		}
		pm := ps.Method(m)
		genProtoDecoder(f, "amqp", delivery.Clone(), jen.Id("d").Dot("Body"), "decodeAMQP"+m.Name+"Response",
			"DecodeResponseFunc for "+pm.ProtoName+": a binary *"+pm.Output.Name+", or the status error of an error reply.",
			pm.Output, []jen.Code{jen.If(jen.Err().Op(":=").Id("amqpReplyError").Call(jen.Id("d")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err()))},
			"Internal", "decode reply: %v")
	}

	f.Comment("amqpReplyError returns the status error an error reply carries (see")
	f.Comment("setAMQPError), or nil for a reply that is not one.")
	f.Func().Id("amqpReplyError").Params(delivery.Clone()).Error().Block(
		jen.List(jen.Id("code"), jen.Id("ok")).Op(":=").Id("d").Dot("Headers").Index(jen.Lit(natsGRPCStatusHdr)),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil())),
		protoReplyStatus(jen.Id("d").Dot("Body"),
			jen.List(jen.Id("n"), jen.Id("ok")).Op(":=").Id("code").Assert(jen.Int32()),
			jen.If(jen.Op("!").Id("ok").Op("||").Id("n").Op("==").Lit(0)).Block(jen.Id("n").Op("=").Int32().Call(jen.Qual(gokit.PkgGRPCCodes, "Unknown"))),
		),
	)

	genStatusErrors(f, "amqpStatusErrors", []string{
		"amqpStatusErrors turns the errors of an AMQP call that are not the service's",
		"into gRPC statuses: a reply that did not come in time is DeadlineExceeded, a",
		"cancelled call Canceled, a channel or connection that failed Unavailable.",
	}, nil, jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgContext, "DeadlineExceeded")),
		jen.Return(jen.Nil(), jen.Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "Unavailable"), jen.Err().Dot("Error").Call())))
}

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

// ProtoAMQPActor is the run-group actor of the AMQP transport of proto
// services: one connection and channel consuming every service's queues, or
// nothing without AMQP.
func ProtoAMQPActor(services []*gokit.ProtoService) jen.Code {
	if !services[0].Layout.AMQP {
		return jen.Null()
	}
	return amqpActorFor(ProtoAMQPSubs(services))
}

// ProtoAMQPSubs lists the services an AMQP connection serves.
func ProtoAMQPSubs(services []*gokit.ProtoService) []amqpSub {
	subs := make([]amqpSub, len(services))
	for i, ps := range services {
		subs[i] = amqpSub{ps.Layout.Transport.Path, ps.Layout.Endpoint.Path, gokit.ProtoVar(services, ps, "endpoints")}
	}
	return subs
}

// protoAMQPRunDoc is the paragraph of Run's doc comment about AMQP.
func protoAMQPRunDoc(services []*gokit.ProtoService) string {
	names := make([]string, len(services))
	for i, ps := range services {
		names[i] = ps.FullName
	}
	return gokit.WrapComment("Over AMQP (cfg.AMQPURL) it consumes the queue of every unary rpc of "+strings.Join(names, ", ")+" beside the other instances, reconnecting with backoff while the broker is unreachable; on shutdown it stops consuming and finishes the deliveries in flight first.", 76)
}
