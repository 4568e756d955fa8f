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
	f := l.NewFile(l.Transport)
	f.ImportAlias(kitNATS, "natstransport")
	f.ImportName(NATSGo, "nats")
	methods := gokit.UnaryMethods(svc)

	genNATSNames(f, svc.Name)
	genSubscribeNATS(f, svc.Name, l, natsHandlers(methods, func(m *model.Method) string { return "decodeNATS" + m.RequestName() }))

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

	genNATSClient(f, svc, l, methods)
	return gokit.Render(f)
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

func genNATSClient(f *jen.File, svc *model.Service, l gokit.Layout, methods []*model.Method) {
	values := make([]jen.Code, 0, len(methods))
	for _, m := range methods {
		subject := jen.Id("NATSSubject").Call(jen.Id("prefix"), jen.Lit(m.Name))
		if m.Async {
			values = append(values, jen.Id(m.EndpointName()).Op(":").Id("publishNATS").Types(jen.Qual(l.Endpoint.Path, m.ResponseName())).Call(jen.Id("nc"), subject))
			continue
		}
		values = append(values, jen.Id(m.EndpointName()).Op(":").Qual(kitNATS, "NewPublisher").Call(
			jen.Id("nc"), subject, jen.Qual(kitNATS, "EncodeJSONRequest"),
			jen.Id("decodeNATSResponse").Types(jen.Qual(l.Endpoint.Path, m.ResponseName())), jen.Id("options").Op("..."),
		).Dot("Endpoint").Call())
	}
	f.Comment("NewNATSClient returns a " + l.Service.Name + "." + svc.Interface.Name + " that calls the service over NATS")
	f.Comment("request/reply (PublisherTimeout sets the timeout; Go kit's default is 10 s). Error")
	f.Comment("replies come back as *" + l.Service.Name + ".StatusError. Methods marked kitforge:async are")
	f.Comment("published without waiting for a reply.")
	f.Func().Id("NewNATSClient").Params(
		jen.Id("nc").Op("*").Qual(NATSGo, "Conn"), jen.Id("prefix").String(), jen.Id("options").Op("...").Qual(kitNATS, "PublisherOption"),
	).Qual(l.Service.Path, svc.Interface.Name).Block(
		jen.Return(jen.Qual(l.Endpoint.Path, "Set").Values(gokit.Multiline(values)...)),
	)

	f.Comment("publishNATS is the endpoint of an async method: it publishes the request as")
	f.Comment("JSON and returns the empty response T as soon as NATS has the message.")
	f.Func().Id("publishNATS").Types(jen.Id("T").Any()).Params(jen.Id("nc").Op("*").Qual(NATSGo, "Conn"), jen.Id("subject").String()).Qual(gokit.KitEndpoint, "Endpoint").Block(
		jen.Return(jen.Func().Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(
			jen.Var().Id("zero").Id("T"),
			jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual(gokit.PkgJSON, "Marshal").Call(jen.Id("request")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("zero"), jen.Err())),
			jen.Return(jen.Id("zero"), jen.Id("nc").Dot("Publish").Call(jen.Id("subject"), jen.Id("data"))),
		)),
	)

	f.Comment("decodeNATSResponse is a transport/nats.DecodeResponseFunc that decodes a JSON")
	f.Comment("reply of type T, or turns an error reply into a *StatusError.")
	f.Func().Id("decodeNATSResponse").Types(jen.Id("T").Any()).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("msg").Op("*").Qual(NATSGo, "Msg")).Params(jen.Any(), jen.Error()).Block(
		jen.If(jen.Id("status").Op(":=").Id("msg").Dot("Header").Dot("Get").Call(jen.Lit(natsStatusHdr)), jen.Id("status").Op("!=").Lit("")).Block(
			jen.List(jen.Id("code"), jen.Id("_")).Op(":=").Qual(gokit.PkgStrconv, "Atoi").Call(jen.Id("status")),
			jen.Var().Id("body").Id("errorBody"),
			jen.Id("_").Op("=").Qual(gokit.PkgJSON, "Unmarshal").Call(jen.Id("msg").Dot("Data"), jen.Op("&").Id("body")),
			jen.Return(jen.Nil(), jen.Op("&").Add(l.ServiceIdent("StatusError")).Values(jen.Id("Code").Op(":").Id("code"), jen.Id("Message").Op(":").Id("body").Dot("Error"))),
		),
		jen.Var().Id("resp").Id("T"),
		jen.If(jen.Err().Op(":=").Qual(gokit.PkgJSON, "Unmarshal").Call(jen.Id("msg").Dot("Data"), jen.Op("&").Id("resp")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("decode reply: %w"), jen.Err())),
		),
		jen.Return(jen.Id("resp"), jen.Nil()),
	)
}

// NATSSettings are the server settings of the NATS transport.
func NATSSettings() []gokit.Setting {
	return []gokit.Setting{
		{Field: "NATSURL", Flag: "nats-url", Env: "NATS_URL", Usage: "NATS server URL(s), comma-separated", Kind: "string", Default: jen.Lit("nats://127.0.0.1:4222")},
		{Field: "NATSSubjectPrefix", Flag: "nats-subject-prefix", Env: "NATS_SUBJECT_PREFIX", Usage: "prefix of every NATS subject", Kind: "string", Default: jen.Lit("")},
	}
}

// NATSActor connects to NATS (retrying in the background while the server
// is unreachable, so the service still starts), subscribes every method and
// adds a run-group actor whose interrupt drains the connection.
func NATSActor(svc *model.Service, l gokit.Layout) jen.Code {
	return natsConnActor(svc.Name, []natsSub{{l.Transport.Path, "endpoints"}})
}

// natsSub is a service a NATS connection serves: the import path of its
// transport package and the local of Run that holds its endpoints.
type natsSub struct{ transport, endpoints string }

// natsConnActor is natsActor for the services subs, on one connection named
// name.
func natsConnActor(name string, subs []natsSub) jen.Code {
	logKV := func(kv ...jen.Code) jen.Code {
		return jen.Id("_").Op("=").Id("logger").Dot("Log").Call(append([]jen.Code{jen.Lit("transport"), jen.Lit("NATS")}, kv...)...)
	}
	code := []jen.Code{
		jen.Id("closed").Op(":=").Make(jen.Chan().Struct()),
		jen.List(jen.Id("nc"), jen.Err()).Op(":=").Qual(NATSGo, "Connect").Call(
			jen.Id("cfg").Dot("NATSURL"),
			jen.Qual(NATSGo, "Name").Call(jen.Lit(name)),
			jen.Qual(NATSGo, "RetryOnFailedConnect").Call(jen.True()),
			jen.Qual(NATSGo, "MaxReconnects").Call(jen.Lit(-1)),
			jen.Qual(NATSGo, "ReconnectWait").Call(jen.Qual(gokit.PkgTime, "Second")),
			jen.Qual(NATSGo, "DrainTimeout").Call(jen.Id("cfg").Dot("ShutdownTimeout")),
			jen.Qual(NATSGo, "DisconnectErrHandler").Call(jen.Func().Params(jen.Id("_").Op("*").Qual(NATSGo, "Conn"), jen.Err().Error()).Block(
				jen.If(jen.Err().Op("!=").Nil()).Block(logKV(jen.Lit("msg"), jen.Lit("disconnected"), jen.Lit("err"), jen.Err())),
			)),
			jen.Qual(NATSGo, "ConnectHandler").Call(jen.Func().Params(jen.Id("c").Op("*").Qual(NATSGo, "Conn")).Block(
				logKV(jen.Lit("msg"), jen.Lit("connected"), jen.Lit("url"), jen.Id("c").Dot("ConnectedUrlRedacted").Call()),
			)),
			jen.Qual(NATSGo, "ReconnectHandler").Call(jen.Func().Params(jen.Id("c").Op("*").Qual(NATSGo, "Conn")).Block(
				logKV(jen.Lit("msg"), jen.Lit("reconnected"), jen.Lit("url"), jen.Id("c").Dot("ConnectedUrlRedacted").Call()),
			)),
			jen.Qual(NATSGo, "ClosedHandler").Call(jen.Func().Params(jen.Op("*").Qual(NATSGo, "Conn")).Block(jen.Close(jen.Id("closed")))),
		),
	}
	code = append(code, jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("nats: %w"), jen.Err()))))
	queues := []jen.Code{jen.Lit("url"), jen.Id("cfg").Dot("NATSURL")}
	for _, s := range subs {
		code = append(code, jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Qual(s.transport, "SubscribeNATS").Call(jen.Id("nc"), jen.Id("cfg").Dot("NATSSubjectPrefix"), jen.Id(s.endpoints), jen.Id("logger")), jen.Err().Op("!=").Nil()).Block(
			jen.Id("nc").Dot("Close").Call(),
			jen.Return(jen.Err()),
		))
		queues = append(queues, jen.Lit("queue"), jen.Qual(s.transport, "NATSQueue"))
	}
	return jen.Block(append(code,
		jen.Id("shut").Dot("onDrain").Call(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context")).Block(
			jen.Comment("Drain: no new messages, finish those in flight, then close."),
			jen.If(jen.Err().Op(":=").Id("nc").Dot("Drain").Call(), jen.Err().Op("!=").Nil()).Block(
				logKV(jen.Lit("during"), jen.Lit("drain"), jen.Lit("err"), jen.Err()),
				jen.Id("nc").Dot("Close").Call(),
			),
			jen.Select().Block(
				jen.Case(jen.Op("<-").Id("closed")),
				jen.Case(jen.Op("<-").Id("ctx").Dot("Done").Call()).Block(jen.Id("nc").Dot("Close").Call()),
			),
		)),
		jen.Id("g").Dot("Add").Call(
			jen.Func().Params().Error().Block(
				logKV(queues...),
				jen.Op("<-").Id("closed"),
				jen.Return(jen.Nil()),
			),
			jen.Func().Params(jen.Error()).Block(jen.Id("shut").Dot("drain").Call()),
		),
	)...)
}
