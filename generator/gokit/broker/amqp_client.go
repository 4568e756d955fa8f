package broker

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// genAMQPClient emits NewAMQPClient and what it is made of: a Go kit
// amqptransport.Publisher per method whose Deliverer waits for the reply on
// one reply queue shared by all calls (Go kit's DefaultDeliverer starts a
// consumer per call, which loses replies when calls overlap), and for async
// methods a Publisher with Go kit's SendAndForgetDeliverer.
func genAMQPClient(f *jen.File, svc *model.Service, l gokit.Layout, methods []*model.Method) {
	values := make([]jen.Code, 0, len(methods))
	async := false
	for _, m := range methods {
		queue := jen.Id("AMQPQueue").Call(jen.Id("prefix"), jen.Lit(m.Name))
		resp := jen.Qual(l.Endpoint.Path, m.ResponseName())
		if m.Async {
			async = true
			values = append(values, jen.Id(m.EndpointName()).Op(":").Id("publishAMQP").Types(resp).Call(jen.Id("ch"), queue, jen.Id("options")))
			continue
		}
		values = append(values, jen.Id(m.EndpointName()).Op(":").Id("replies").Dot("endpoint").Call(queue, jen.Id("decodeAMQPResponse").Types(resp), jen.Id("options")))
	}
	f.Comment("NewAMQPClient returns a " + l.Service.Name + "." + svc.Interface.Name + " that calls the service over AMQP on")
	f.Comment("ch. A call publishes its JSON request through the default exchange to the")
	f.Comment("method's queue, AMQPQueue(prefix, method), with a correlation id and reply_to")
	f.Comment("naming an exclusive reply queue that the client declares and consumes, and")
	f.Comment("waits for the matching reply (PublisherTimeout sets the timeout, Go kit's")
	f.Comment("default is 10 s; the request expires in the queue with it). Error replies come")
	f.Comment("back as *" + l.Service.Name + ".StatusError; a request no queue takes (no instance ever")
	f.Comment("started) fails at once with status 503. Methods marked kitforge:async are")
	f.Comment("published as persistent messages without waiting for a reply. The client")
	f.Comment("fails every call once ch is closed: make a new one on a new channel.")
	f.Func().Id("NewAMQPClient").Params(
		jen.Id("ch").Op("*").Qual(amqpGo, "Channel"), jen.Id("prefix").String(), jen.Id("options").Op("...").Qual(kitAMQP, "PublisherOption"),
	).Params(jen.Qual(l.Service.Path, svc.Interface.Name), jen.Error()).Block(
		jen.List(jen.Id("replies"), jen.Err()).Op(":=").Id("newAMQPReplies").Call(jen.Id("ch")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Qual(l.Endpoint.Path, "Set").Values(gokit.Multiline(values)...), jen.Nil()),
	)

	genAMQPReplies(f, "status 503", func(msg jen.Code) jen.Code {
		return jen.Op("&").Add(l.ServiceIdent("StatusError")).Values(
			jen.Id("Code").Op(":").Qual(gokit.PkgHTTP, "StatusServiceUnavailable"),
			jen.Id("Message").Op(":").Add(msg),
		)
	})
	if async {
		genPublishAMQP(f, true)
	}
	genAMQPClientCodecs(f, l)
}

// genPublishAMQP emits publishAMQP, the client endpoint of async methods:
// typed, it returns the empty response T (Go services), otherwise an empty
// google.protobuf.Empty (proto services, decodeAMQPEmpty).
func genPublishAMQP(f *jen.File, typed bool) {
	result, dec, fn := "an empty\nmessage", jen.Id("decodeAMQPEmpty"), jen.Func().Id("publishAMQP")
	if typed {
		result, dec, fn = "the empty\nresponse T", jen.Id("decodeAMQPResponse").Types(jen.Id("T")), fn.Types(jen.Id("T").Any())
	}
	f.Comment("publishAMQP is the client endpoint of an async " + map[bool]string{true: "method", false: "rpc"}[typed] + ": a Go kit Publisher that")
	for _, line := range strings.Split("publishes the request to queue as a persistent message and returns "+result+" without waiting (amqptransport.SendAndForgetDeliverer).", "\n") {
		f.Comment(line)
	}
	f.Add(fn.Params(
		jen.Id("ch").Op("*").Qual(amqpGo, "Channel"), jen.Id("queue").String(), jen.Id("options").Index().Qual(kitAMQP, "PublisherOption"),
	).Qual(gokit.KitEndpoint, "Endpoint").Block(
		jen.Id("options").Op("=").Append(jen.Index().Qual(kitAMQP, "PublisherOption").Values(gokit.Multiline([]jen.Code{
			jen.Qual(kitAMQP, "PublisherBefore").Call(jen.Qual(kitAMQP, "SetPublishKey").Call(jen.Id("queue")), jen.Qual(kitAMQP, "SetPublishDeliveryMode").Call(jen.Qual(amqpGo, "Persistent"))),
			jen.Qual(kitAMQP, "PublisherDeliverer").Call(jen.Qual(kitAMQP, "SendAndForgetDeliverer")),
		})...), jen.Id("options").Op("...")),
		jen.Comment("An empty reply queue name: the message has no reply_to."),
		jen.Return(jen.Qual(kitAMQP, "NewPublisher").Call(jen.Id("ch"), jen.Op("&").Qual(amqpGo, "Queue").Values(), jen.Id("encodeAMQPRequest"), dec, jen.Id("options").Op("...")).Dot("Endpoint").Call()),
	))
	if !typed {
		f.Comment("decodeAMQPEmpty is the transport/amqp.DecodeResponseFunc of async rpcs, which")
		f.Comment("get no reply: an empty message.")
		f.Func().Id("decodeAMQPEmpty").Params(jen.Qual(gokit.PkgContext, "Context"), jen.Op("*").Qual(amqpGo, "Delivery")).Params(jen.Any(), jen.Error()).Block(
			jen.Return(jen.New(jen.Qual(pkgEmptyPB, "Empty")), jen.Nil()),
		)
	}

}

// genAMQPClientCodecs emits the client's request encoder and reply decoder.
func genAMQPClientCodecs(f *jen.File, l gokit.Layout) {
	f.Comment("encodeAMQPRequest is a transport/amqp.EncodeRequestFunc: the request as JSON.")
	f.Func().Id("encodeAMQPRequest").Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("pub").Op("*").Qual(amqpGo, "Publishing"), jen.Id("request").Any()).Error().Block(
		jen.List(jen.Id("body"), jen.Err()).Op(":=").Qual(gokit.PkgJSON, "Marshal").Call(jen.Id("request")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("pub").Dot("ContentType").Op("=").Lit("application/json"),
		jen.Id("pub").Dot("Body").Op("=").Id("body"),
		jen.Return(jen.Nil()),
	)

	f.Comment("decodeAMQPResponse is a transport/amqp.DecodeResponseFunc that decodes a JSON")
	f.Comment("reply of type T, or turns an error reply into a *" + l.Service.Name + ".StatusError. Without")
	f.Comment("a reply (an async call) it returns the zero T.")
	f.Func().Id("decodeAMQPResponse").Types(jen.Id("T").Any()).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("d").Op("*").Qual(amqpGo, "Delivery")).Params(jen.Any(), jen.Error()).Block(
		jen.Var().Id("resp").Id("T"),
		jen.If(jen.Id("d").Op("==").Nil()).Block(jen.Return(jen.Id("resp"), jen.Nil())),
		jen.If(jen.List(jen.Id("status"), jen.Id("ok")).Op(":=").Id("d").Dot("Headers").Index(jen.Lit(amqpStatusHdr)), jen.Id("ok")).Block(
			jen.Var().Id("body").Id("errorBody"),
			jen.Id("_").Op("=").Qual(gokit.PkgJSON, "Unmarshal").Call(jen.Id("d").Dot("Body"), jen.Op("&").Id("body")),
			jen.Return(jen.Nil(), jen.Op("&").Add(l.ServiceIdent("StatusError")).Values(jen.Id("Code").Op(":").Id("amqpStatus").Call(jen.Id("status")), jen.Id("Message").Op(":").Id("body").Dot("Error"))),
		),
		jen.If(jen.Err().Op(":=").Qual(gokit.PkgJSON, "Unmarshal").Call(jen.Id("d").Dot("Body"), jen.Op("&").Id("resp")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("decode reply: %w"), jen.Err())),
		),
		jen.Return(jen.Id("resp"), jen.Nil()),
	)

	f.Comment("amqpStatus reads the " + amqpStatusHdr + " header: an int32 from this service's")
	f.Comment("instances, an int16, int64 or decimal string from other repliers; 500 when it")
	f.Comment("is none of these.")
	f.Func().Id("amqpStatus").Params(jen.Id("v").Any()).Int().Block(
		jen.Switch(jen.Id("v").Op(":=").Id("v").Assert(jen.Type())).Block(
			jen.Case(jen.Int16()).Block(jen.Return(jen.Int().Call(jen.Id("v")))),
			jen.Case(jen.Int32()).Block(jen.Return(jen.Int().Call(jen.Id("v")))),
			jen.Case(jen.Int64()).Block(jen.Return(jen.Int().Call(jen.Id("v")))),
			jen.Case(jen.String()).Block(
				jen.If(jen.List(jen.Id("n"), jen.Err()).Op(":=").Qual(gokit.PkgStrconv, "Atoi").Call(jen.Id("v")), jen.Err().Op("==").Nil()).Block(jen.Return(jen.Id("n"))),
			),
		),
		jen.Return(jen.Qual(gokit.PkgHTTP, "StatusInternalServerError")),
	)
}

// genAMQPReplies emits amqpReplies: the client's reply queue and the calls
// waiting on it, by correlation id. A request the broker returns ends its
// call with the error unroutable makes of a message, which the comments call
// unavailable.
func genAMQPReplies(f *jen.File, unavailable string, unroutable func(msg jen.Code) jen.Code) {
	lock := func(body ...jen.Code) []jen.Code {
		return append(append([]jen.Code{jen.Id("r").Dot("mu").Dot("Lock").Call()}, body...), jen.Id("r").Dot("mu").Dot("Unlock").Call())
	}
	f.Comment("amqpReplies routes the replies arriving on a client's reply queue to the calls")
	f.Comment("waiting for them, by correlation id.")
	f.Type().Id("amqpReplies").Struct(
		jen.Id("ch").Op("*").Qual(amqpGo, "Channel"),
		jen.Id("queue").Qual(amqpGo, "Queue"),
		jen.Line(),
		jen.Id("mu").Qual(gokit.PkgSync, "Mutex"),
		jen.Id("waiting").Map(jen.String()).Chan().Id("amqpReply"),
		jen.Id("err").Error().Comment("why there will be no more replies; nil while there may be"),
	)

	f.Comment("amqpReply is what a call waits for: a reply, or why there is none.")
	f.Type().Id("amqpReply").Struct(
		jen.Id("d").Qual(amqpGo, "Delivery"),
		jen.Err().Error(),
	)

	f.Comment("newAMQPReplies declares an exclusive, server-named reply queue on ch and")
	f.Comment("consumes it; a reply nobody waits for any more (its call timed out) is dropped.")
	f.Comment("A request the broker returns as unroutable ends its call with " + unavailable + ".")
	f.Func().Id("newAMQPReplies").Params(jen.Id("ch").Op("*").Qual(amqpGo, "Channel")).Params(jen.Op("*").Id("amqpReplies"), jen.Error()).Block(
		jen.List(jen.Id("q"), jen.Err()).Op(":=").Id("ch").Dot("QueueDeclare").Call(jen.Lit(""), jen.False(), jen.True(), jen.True(), jen.False(), jen.Nil()),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("declare reply queue: %w"), jen.Err()))),
		jen.List(jen.Id("deliveries"), jen.Err()).Op(":=").Id("ch").Dot("Consume").Call(jen.Id("q").Dot("Name"), jen.Lit(""), jen.True(), jen.True(), jen.False(), jen.False(), jen.Nil()),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("consume reply queue: %w"), jen.Err()))),
		jen.Id("r").Op(":=").Op("&").Id("amqpReplies").Values(jen.Id("ch").Op(":").Id("ch"), jen.Id("queue").Op(":").Id("q"), jen.Id("waiting").Op(":").Map(jen.String()).Chan().Id("amqpReply").Values()),
		jen.Id("returns").Op(":=").Id("ch").Dot("NotifyReturn").Call(jen.Make(jen.Chan().Qual(amqpGo, "Return"), jen.Lit(1))),
		jen.Go().Func().Params().Block(
			jen.For(jen.Id("ret").Op(":=").Range().Id("returns")).Block(
				jen.Id("r").Dot("answer").Call(jen.Id("ret").Dot("CorrelationId"), jen.Id("amqpReply").Values(jen.Err().Op(":").Add(unroutable(
					jen.Lit("no queue ").Op("+").Id("ret").Dot("RoutingKey").Op("+").Lit(" (").Op("+").Id("ret").Dot("ReplyText").Op("+").Lit("): is the service running?"),
				)))),
			),
		).Call(),
		jen.Go().Func().Params().Block(
			jen.For(jen.Id("d").Op(":=").Range().Id("deliveries")).Block(
				jen.Id("r").Dot("answer").Call(jen.Id("d").Dot("CorrelationId"), jen.Id("amqpReply").Values(jen.Id("d").Op(":").Id("d"))),
			),
			jen.Id("r").Dot("mu").Dot("Lock").Call(),
			jen.Defer().Id("r").Dot("mu").Dot("Unlock").Call(),
			jen.Id("r").Dot("err").Op("=").Qual(gokit.PkgErrors, "New").Call(jen.Lit("amqp: the reply queue is gone (channel closed)")),
			jen.For(jen.List(jen.Id("id"), jen.Id("wait")).Op(":=").Range().Id("r").Dot("waiting")).Block(
				jen.Id("wait").Op("<-").Id("amqpReply").Values(jen.Err().Op(":").Id("r").Dot("err")),
				jen.Delete(jen.Id("r").Dot("waiting"), jen.Id("id")),
			),
		).Call(),
		jen.Return(jen.Id("r"), jen.Nil()),
	)

	f.Comment("answer hands reply to the call waiting for correlation id, if any.")
	f.Func().Params(jen.Id("r").Op("*").Id("amqpReplies")).Id("answer").Params(jen.Id("id").String(), jen.Id("reply").Id("amqpReply")).Block(
		append(lock(
			jen.List(jen.Id("wait"), jen.Id("ok")).Op(":=").Id("r").Dot("waiting").Index(jen.Id("id")),
			jen.Delete(jen.Id("r").Dot("waiting"), jen.Id("id")),
		), jen.If(jen.Id("ok")).Block(jen.Id("wait").Op("<-").Id("reply")))...,
	)

	f.Comment("endpoint is the client endpoint of a method served on queue: a Go kit")
	f.Comment("Publisher that sends the request with reply_to set to r's queue, whose")
	f.Comment("Deliverer (r.deliverer) waits for the reply.")
	f.Func().Params(jen.Id("r").Op("*").Id("amqpReplies")).Id("endpoint").Params(
		jen.Id("queue").String(), jen.Id("dec").Qual(kitAMQP, "DecodeResponseFunc"), jen.Id("options").Index().Qual(kitAMQP, "PublisherOption"),
	).Qual(gokit.KitEndpoint, "Endpoint").Block(
		jen.Id("options").Op("=").Append(jen.Index().Qual(kitAMQP, "PublisherOption").Values(jen.Qual(kitAMQP, "PublisherDeliverer").Call(jen.Id("r").Dot("deliverer").Call(jen.Id("queue")))), jen.Id("options").Op("...")),
		jen.Return(jen.Qual(kitAMQP, "NewPublisher").Call(jen.Id("r").Dot("ch"), jen.Op("&").Id("r").Dot("queue"), jen.Id("encodeAMQPRequest"), jen.Id("dec"), jen.Id("options").Op("...")).Dot("Endpoint").Call()),
	)

	f.Comment("deliverer is a transport/amqp.Deliverer that publishes a request to queue")
	f.Comment("(mandatory, so that the broker returns it when no queue takes it) and waits")
	f.Comment("for its reply, or for the end of ctx.")
	f.Func().Params(jen.Id("r").Op("*").Id("amqpReplies")).Id("deliverer").Params(jen.Id("queue").String()).Qual(kitAMQP, "Deliverer").Block(
		jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("_").Qual(kitAMQP, "Publisher"), jen.Id("pub").Op("*").Qual(amqpGo, "Publishing")).Params(jen.Op("*").Qual(amqpGo, "Delivery"), jen.Error()).Block(
			jen.If(jen.List(jen.Id("deadline"), jen.Id("ok")).Op(":=").Id("ctx").Dot("Deadline").Call(), jen.Id("ok")).Block(
				jen.Comment("A request whose caller has given up expires in the queue."),
				jen.Id("pub").Dot("Expiration").Op("=").Qual(gokit.PkgStrconv, "FormatInt").Call(jen.Max(jen.Qual(gokit.PkgTime, "Until").Call(jen.Id("deadline")).Dot("Milliseconds").Call(), jen.Lit(1)), jen.Lit(10)),
			),
			jen.Id("wait").Op(":=").Make(jen.Chan().Id("amqpReply"), jen.Lit(1)),
			jen.Id("r").Dot("mu").Dot("Lock").Call(),
			jen.If(jen.Id("r").Dot("err").Op("!=").Nil()).Block(
				jen.Id("r").Dot("mu").Dot("Unlock").Call(),
				jen.Return(jen.Nil(), jen.Id("r").Dot("err")),
			),
			jen.Id("r").Dot("waiting").Index(jen.Id("pub").Dot("CorrelationId")).Op("=").Id("wait"),
			jen.Id("r").Dot("mu").Dot("Unlock").Call(),
			jen.Defer().Func().Params().Block(lock(jen.Delete(jen.Id("r").Dot("waiting"), jen.Id("pub").Dot("CorrelationId")))...).Call(),
			jen.If(jen.Err().Op(":=").Id("r").Dot("ch").Dot("PublishWithContext").Call(jen.Id("ctx"), jen.Lit(""), jen.Id("queue"), jen.True(), jen.False(), jen.Op("*").Id("pub")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), jen.Err()),
			),
			jen.Select().Block(
				jen.Case(jen.Id("reply").Op(":=").Op("<-").Id("wait")).Block(
					jen.If(jen.Id("reply").Dot("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("reply").Dot("err"))),
					jen.Return(jen.Op("&").Id("reply").Dot("d"), jen.Nil()),
				),
				jen.Case(jen.Op("<-").Id("ctx").Dot("Done").Call()).Block(jen.Return(jen.Nil(), jen.Id("ctx").Dot("Err").Call())),
			),
		)),
	)
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
