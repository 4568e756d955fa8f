package broker

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// Import paths of the AMQP transport: Go kit's transport/amqp and the client
// library it is written against (go-kit v0.13.0's go.mod: amqp091-go, the
// maintained successor of streadway/amqp).
const (
	amqpGo        = "github.com/rabbitmq/amqp091-go"
	kitAMQP       = "github.com/go-kit/kit/transport/amqp"
	amqpStatusHdr = "Kitforge-Status"
)

// AMQP emits <out>/<name>transport/amqp_gen.go: a durable queue per method,
// consumed by every instance (competing consumers) through Go kit
// amqptransport.Subscribers, and a client that implements the service over
// request/reply (reply_to and correlation id). Bodies are JSON; an error
// reply carries its HTTP-style status in the Kitforge-Status header and
// {"error": "..."} as its body. Deliveries are acked once handled, so a
// delivery an instance could not finish is requeued for another. Methods
// marked kitforge:async are published without waiting for a reply.
func AMQP(svc *model.Service, l gokit.Layout) ([]byte, error) {
	return emitAMQP(goInput(svc, l))
}

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
	return emitAMQP(protoInput(ps))
}

// emitAMQP writes amqp_gen.go: the queues, ConsumeAMQP, and the server's
// codecs and the client of the input's kind.
func emitAMQP(in input) ([]byte, error) {
	f := in.f
	f.ImportAlias(kitAMQP, "amqptransport")
	f.ImportAlias(amqpGo, "amqp")
	if in.proto != nil {
		f.ImportAlias(pkgRPCStatus, "spb")
	}
	genAMQPQueue(f, in.name)
	handlers := make([]jen.Code, 0, len(in.methods))
	for _, m := range in.methods {
		handlers = append(handlers, amqpHandler(m, in.decoder("AMQP", m)))
	}
	genAMQPConsumer(f, in.name, in.l, handlers)
	if in.proto != nil {
		genProtoAMQPServerCodecs(f, in.proto, in.methods)
		genProtoAMQPClient(f, in.proto, in.methods)
	} else {
		genAMQPServerCodecs(f, in.l, in.methods)
		genAMQPClient(f, in.svc, in.l, in.methods)
	}
	return gokit.Render(f)
}

// genAMQPQueue emits AMQPQueue: a method of the service named name is served
// on the queue prefix + name + "." + method.
func genAMQPQueue(f *jen.File, name string) {
	f.Comment("AMQPQueue is the queue a method is served on: prefix + \"" + name + ".\" + method. It is")
	f.Comment("durable, so that it and its persistent messages (those of async methods)")
	f.Comment("outlive a broker restart.")
	f.Func().Id("AMQPQueue").Params(jen.Id("prefix"), jen.Id("method").String()).String().Block(
		jen.Return(jen.Id("prefix").Op("+").Lit(name + ".").Op("+").Id("method")),
	)
}

// amqpHandler is the {method, Go kit amqptransport.Subscriber} of m for
// ConsumeAMQP, whose requests decoder decodes.
func amqpHandler(m *model.Method, decoder string) jen.Code {
	return jen.Values(jen.Lit(m.Name), jen.Qual(kitAMQP, "NewSubscriber").Call(
		jen.Id("endpoints").Dot(m.EndpointName()), jen.Id(decoder), jen.Id("encodeAMQPResponse"), jen.Id("options").Op("...")))
}

// genAMQPConsumer emits AMQPConsumer and ConsumeAMQP for the service named
// name: declare, consume, handle each delivery (handlers: see amqpHandler)
// in its own goroutine, stop gracefully.
func genAMQPConsumer(f *jen.File, name string, l gokit.Layout, handlers []jen.Code) {
	fail := func(format string) jen.Code {
		return jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Id("c").Dot("stop").Call(),
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit(format), jen.Id("queue"), jen.Err())),
		)
	}
	delivery := jen.Op("*").Qual(amqpGo, "Delivery")

	f.Comment("AMQPConsumer serves the " + name + " endpoints on one AMQP channel; see ConsumeAMQP.")
	f.Type().Id("AMQPConsumer").Struct(
		jen.Id("ch").Op("*").Qual(amqpGo, "Channel"),
		jen.Id("tags").Index().String(),
		jen.Id("stopping").Qual(gokit.PkgSync, "Once"),
		jen.Id("handling").Qual(gokit.PkgSync, "WaitGroup"),
		jen.Id("done").Chan().Struct(),
	)

	f.Comment("ConsumeAMQP serves the " + name + " endpoints on ch: it declares each method's durable")
	f.Comment("queue, AMQPQueue(prefix, method), and consumes it beside the other instances")
	f.Comment("(competing consumers: each message goes to one of them). Each delivery is")
	f.Comment("handled in its own goroutine, answered on its reply_to queue with its")
	f.Comment("correlation id, and acked once handled, so that the broker requeues a delivery")
	f.Comment("whose instance died first. Set ch.Qos first: the prefetch count bounds the")
	f.Comment("deliveries handled at once per method. Stop with Shutdown; Done tells when it")
	f.Comment("has stopped on its own.")
	f.Func().Id("ConsumeAMQP").Params(
		jen.Id("ch").Op("*").Qual(amqpGo, "Channel"),
		jen.Id("prefix").String(),
		jen.Id("endpoints").Qual(l.Endpoint.Path, "Set"),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("options").Op("...").Qual(kitAMQP, "SubscriberOption"),
	).Params(jen.Op("*").Id("AMQPConsumer"), jen.Error()).Block(
		jen.Id("options").Op("=").Append(jen.Index().Qual(kitAMQP, "SubscriberOption").Values(gokit.Multiline([]jen.Code{
			jen.Qual(kitAMQP, "SubscriberResponsePublisher").Call(jen.Id("replyAMQP")),
			jen.Qual(kitAMQP, "SubscriberErrorEncoder").Call(jen.Id("encodeAMQPError")),
			jen.Qual(kitAMQP, "SubscriberErrorHandler").Call(jen.Qual(gokit.KitTransport, "NewLogErrorHandler").Call(jen.Id("logger"))),
		})...), jen.Id("options").Op("...")),
		jen.Id("handlers").Op(":=").Index().Struct(jen.Id("method").String(), jen.Id("sub").Op("*").Qual(kitAMQP, "Subscriber")).Values(gokit.Multiline(handlers)...),
		jen.Id("c").Op(":=").Op("&").Id("AMQPConsumer").Values(jen.Id("ch").Op(":").Id("ch"), jen.Id("done").Op(":").Make(jen.Chan().Struct())),
		jen.Type().Id("consumer").Struct(
			jen.Id("deliveries").Op("<-").Chan().Qual(amqpGo, "Delivery"),
			jen.Id("serve").Func().Params(delivery.Clone()),
		),
		jen.Var().Id("consumers").Index().Id("consumer"),
		jen.For(jen.List(jen.Id("_"), jen.Id("h")).Op(":=").Range().Id("handlers")).Block(
			jen.Id("queue").Op(":=").Id("AMQPQueue").Call(jen.Id("prefix"), jen.Id("h").Dot("method")),
			jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("ch").Dot("QueueDeclare").Call(jen.Id("queue"), jen.True(), jen.False(), jen.False(), jen.False(), jen.Nil()),
			fail("declare queue %s: %w"),
			jen.Comment("The queue's name is the consumer tag: one consumer per queue and channel."),
			jen.List(jen.Id("deliveries"), jen.Err()).Op(":=").Id("ch").Dot("Consume").Call(jen.Id("queue"), jen.Id("queue"), jen.False(), jen.False(), jen.False(), jen.False(), jen.Nil()),
			fail("consume %s: %w"),
			jen.Id("c").Dot("tags").Op("=").Append(jen.Id("c").Dot("tags"), jen.Id("queue")),
			jen.Id("consumers").Op("=").Append(jen.Id("consumers"), jen.Id("consumer").Values(jen.Id("deliveries"), jen.Id("h").Dot("sub").Dot("ServeDelivery").Call(jen.Id("ch")))),
		),
		jen.Var().Id("loops").Qual(gokit.PkgSync, "WaitGroup"),
		jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Id("consumers")).Block(
			jen.Id("loops").Dot("Go").Call(jen.Func().Params().Block(
				jen.For(jen.Id("d").Op(":=").Range().Id("k").Dot("deliveries")).Block(
					jen.Id("c").Dot("handling").Dot("Go").Call(jen.Func().Params().Block(jen.Id("k").Dot("serve").Call(jen.Op("&").Id("d")))),
				),
				jen.Comment("This consumer is gone (Shutdown, cancelled by the broker, or the channel"),
				jen.Comment("closed): stop the others too, so that Done reports it."),
				jen.Id("c").Dot("stop").Call(),
			)),
		),
		jen.Go().Func().Params().Block(
			jen.Id("loops").Dot("Wait").Call(),
			jen.Id("c").Dot("handling").Dot("Wait").Call(),
			jen.Close(jen.Id("c").Dot("done")),
		).Call(),
		jen.Return(jen.Id("c"), jen.Nil()),
	)

	f.Comment("Shutdown stops consuming: the broker sends no more deliveries, and those")
	f.Comment("already received are handled, answered and acked. It returns once they all")
	f.Comment("are, or with ctx's error when ctx ends first; a delivery not acked by then is")
	f.Comment("requeued by the broker when the channel closes, for another instance.")
	f.Func().Params(jen.Id("c").Op("*").Id("AMQPConsumer")).Id("Shutdown").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context")).Error().Block(
		jen.Id("c").Dot("stop").Call(),
		jen.Select().Block(
			jen.Case(jen.Op("<-").Id("c").Dot("done")).Block(jen.Return(jen.Nil())),
			jen.Case(jen.Op("<-").Id("ctx").Dot("Done").Call()).Block(jen.Return(jen.Id("ctx").Dot("Err").Call())),
		),
	)

	f.Comment("Done is closed once the consumers have stopped (after Shutdown, when the broker")
	f.Comment("cancels one of them, or when the channel or connection closes) and every")
	f.Comment("delivery received has been handled.")
	f.Func().Params(jen.Id("c").Op("*").Id("AMQPConsumer")).Id("Done").Params().Op("<-").Chan().Struct().Block(
		jen.Return(jen.Id("c").Dot("done")),
	)

	f.Comment("stop cancels every consumer (basic.cancel), once; their delivery channels")
	f.Comment("close after the deliveries the broker sent before the cancel.")
	f.Func().Params(jen.Id("c").Op("*").Id("AMQPConsumer")).Id("stop").Params().Block(
		jen.Id("c").Dot("stopping").Dot("Do").Call(jen.Func().Params().Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("tag")).Op(":=").Range().Id("c").Dot("tags")).Block(
				jen.Id("_").Op("=").Id("c").Dot("ch").Dot("Cancel").Call(jen.Id("tag"), jen.False()),
			),
		)),
	)
}

// genAMQPServerCodecs emits the server's request decoders, response encoder,
// reply publisher and error encoder.
func genAMQPServerCodecs(f *jen.File, l gokit.Layout, methods []*model.Method) {
	delivery := jen.Op("*").Qual(amqpGo, "Delivery")
	for _, m := range methods {
		f.Comment("decodeAMQP" + m.RequestName() + " is a transport/amqp.DecodeRequestFunc for " + m.Name + ".")
		f.Func().Id("decodeAMQP"+m.RequestName()).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("d").Add(delivery.Clone())).Params(jen.Any(), jen.Error()).Block(
			jen.Var().Id("req").Qual(l.Endpoint.Path, m.RequestName()),
			jen.If(jen.Len(jen.Id("d").Dot("Body")).Op(">").Lit(0)).Block(
				jen.If(jen.Err().Op(":=").Qual(gokit.PkgJSON, "Unmarshal").Call(jen.Id("d").Dot("Body"), jen.Op("&").Id("req")), jen.Err().Op("!=").Nil()).Block(
					jen.Return(jen.Nil(), jen.Op("&").Add(l.ServiceIdent("StatusError")).Values(
						jen.Id("Code").Op(":").Qual(gokit.PkgHTTP, "StatusBadRequest"),
						jen.Id("Message").Op(":").Lit("decode JSON message: ").Op("+").Err().Dot("Error").Call())),
				),
			),
			jen.Return(jen.Id("req"), jen.Nil()),
		)
	}

	f.Comment("encodeAMQPResponse is a transport/amqp.EncodeResponseFunc: the response as")
	f.Comment("JSON, or the business error it carries (see setAMQPError).")
	f.Func().Id("encodeAMQPResponse").Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("pub").Op("*").Qual(amqpGo, "Publishing"), jen.Id("response").Any()).Error().Block(
		jen.If(jen.List(jen.Id("f"), jen.Id("ok")).Op(":=").Id("response").Assert(jen.Qual(gokit.KitEndpoint, "Failer")), jen.Id("ok").Op("&&").Id("f").Dot("Failed").Call().Op("!=").Nil()).Block(
			jen.Id("setAMQPError").Call(jen.Id("pub"), jen.Id("f").Dot("Failed").Call()),
			jen.Return(jen.Nil()),
		),
		jen.List(jen.Id("body"), jen.Err()).Op(":=").Qual(gokit.PkgJSON, "Marshal").Call(jen.Id("response")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("pub").Dot("ContentType").Op("=").Lit("application/json"),
		jen.Id("pub").Dot("Body").Op("=").Id("body"),
		jen.Return(jen.Nil()),
	)

	f.Comment("setAMQPError makes pub an error reply: the error's HTTP status (see")
	f.Comment("HTTPStatus) in the " + amqpStatusHdr + " header and {\"error\": ...} as its body.")
	f.Func().Id("setAMQPError").Params(jen.Id("pub").Op("*").Qual(amqpGo, "Publishing"), jen.Err().Error()).Block(
		jen.List(jen.Id("body"), jen.Id("_")).Op(":=").Qual(gokit.PkgJSON, "Marshal").Call(jen.Id("errorBody").Values(jen.Id("Error").Op(":").Err().Dot("Error").Call())),
		jen.Id("pub").Dot("ContentType").Op("=").Lit("application/json"),
		jen.Id("pub").Dot("Headers").Op("=").Qual(amqpGo, "Table").Values(jen.Lit(amqpStatusHdr).Op(":").Int32().Call(jen.Id("HTTPStatus").Call(jen.Err()))),
		jen.Id("pub").Dot("Body").Op("=").Id("body"),
	)

	genAMQPReply(f)
}

// genAMQPReply emits replyAMQP and encodeAMQPError, which answer and ack a
// delivery; setAMQPError, which makes an error reply, is the transport's.
func genAMQPReply(f *jen.File) {
	delivery := jen.Op("*").Qual(amqpGo, "Delivery")
	f.Comment("replyAMQP is a transport/amqp.ResponsePublisher: it publishes pub to the")
	f.Comment("delivery's reply_to queue with its correlation id, if it has one (an async")
	f.Comment("call has none), then acks the delivery.")
	f.Func().Id("replyAMQP").Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("d").Add(delivery.Clone()), jen.Id("ch").Qual(kitAMQP, "Channel"), jen.Id("pub").Op("*").Qual(amqpGo, "Publishing")).Error().Block(
		jen.If(jen.Id("d").Dot("ReplyTo").Op("!=").Lit("")).Block(
			jen.Id("pub").Dot("CorrelationId").Op("=").Id("d").Dot("CorrelationId"),
			jen.If(jen.Err().Op(":=").Id("ch").Dot("Publish").Call(jen.Lit(""), jen.Id("d").Dot("ReplyTo"), jen.False(), jen.False(), jen.Op("*").Id("pub")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("reply to %s: %w"), jen.Id("d").Dot("ReplyTo"), jen.Err())),
			),
		),
		jen.Return(jen.Id("d").Dot("Ack").Call(jen.False())),
	)

	f.Comment("encodeAMQPError is a transport/amqp.ErrorEncoder: it replies with the error")
	f.Comment("(see setAMQPError) and acks the delivery, so that a message that cannot be")
	f.Comment("handled is not redelivered forever. When the channel itself failed")
	f.Comment("(*amqp.Error) it does neither: the broker requeues the delivery.")
	f.Func().Id("encodeAMQPError").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Err().Error(), jen.Id("d").Add(delivery.Clone()), jen.Id("ch").Qual(kitAMQP, "Channel"), jen.Id("pub").Op("*").Qual(amqpGo, "Publishing")).Block(
		jen.Var().Id("broken").Op("*").Qual(amqpGo, "Error"),
		jen.If(jen.Qual(gokit.PkgErrors, "As").Call(jen.Err(), jen.Op("&").Id("broken"))).Block(jen.Return()),
		jen.Id("setAMQPError").Call(jen.Id("pub"), jen.Err()),
		jen.Id("_").Op("=").Id("replyAMQP").Call(jen.Id("ctx"), jen.Id("d"), jen.Id("ch"), jen.Id("pub")),
	)
}

// genProtoAMQPServerCodecs emits the server's protobuf request decoders,
// response encoder, status error reply and reply publisher of a proto
// service.
func genProtoAMQPServerCodecs(f *jen.File, ps *gokit.ProtoService, methods []*model.Method) {
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
}

// amqpProtoBody is the statements that set pub's body to the message v in
// protobuf's binary encoding, returning the error of an unencodable one.
func amqpProtoBody(v string) jen.Code {
	return gokit.When(true, []jen.Code{
		jen.List(jen.Id("body"), jen.Err()).Op(":=").Qual(gokit.PkgProto, "Marshal").Call(jen.Id(v).Assert(jen.Qual(gokit.PkgProto, "Message"))),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("pub").Dot("ContentType").Op("=").Lit(natsProtoMediaType),
		jen.Id("pub").Dot("Body").Op("=").Id("body"),
	})
}
