package broker

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// Import paths and header of the NATS transport of proto services.
const (
	pkgRPCStatus       = "google.golang.org/genproto/googleapis/rpc/status"
	pkgEmptyPB         = "google.golang.org/protobuf/types/known/emptypb"
	natsGRPCStatusHdr  = "Kitforge-Grpc-Status"
	natsProtoMediaType = "application/protobuf"
)

// ProtoNATS emits <out>/<name>transport/nats_gen.go for a proto service: a
// queue-group subscription per unary rpc (Go kit natstransport.Subscriber)
// on NATSSubject(prefix, rpc), and NewNATSClient, whose Set calls the unary
// rpcs over NATS request/reply through Go kit natstransport.Publishers.
// Requests and responses are the messages in protobuf's binary encoding; an
// error reply carries its gRPC code in the Kitforge-Grpc-Status header and
// the google.rpc.Status as its body, which the client turns back into the
// status error. Streaming rpcs are not carried: NATS request/reply is unary.
func ProtoNATS(ps *gokit.ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := gokit.ProtoNewFile(l.Transport, ps)
	f.ImportAlias(kitNATS, "natstransport")
	f.ImportName(NATSGo, "nats")
	f.ImportAlias(pkgRPCStatus, "spb")
	methods := gokit.UnaryMethods(svc)

	genNATSNames(f, ps.FullName)
	genSubscribeNATS(f, ps.FullName, l, natsHandlers(methods, func(m *model.Method) string { return "decodeNATS" + m.Name + "Request" }))

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

	genProtoNATSClient(f, ps, methods)
	return gokit.Render(f)
}

// genProtoNATSClient emits NewNATSClient and its codecs.
func genProtoNATSClient(f *jen.File, ps *gokit.ProtoService, methods []*model.Method) {
	l := ps.Layout
	values, async := protoClientEndpoints(methods, "natsStatusErrors", func(m *model.Method) jen.Code {
		subject := jen.Id("NATSSubject").Call(jen.Id("prefix"), jen.Lit(m.Name))
		if m.Async {
			return jen.Id("publishNATS").Call(jen.Id("nc"), subject)
		}
		return jen.Qual(kitNATS, "NewPublisher").Call(
			jen.Id("nc"), subject, jen.Id("encodeNATSRequest"),
			jen.Id("decodeNATS"+m.Name+"Response"), jen.Id("options").Op("..."),
		).Dot("Endpoint").Call()
	})
	f.Comment("NewNATSClient returns a Set whose endpoints call the unary rpcs of " + ps.FullName)
	f.Comment("over NATS request/reply on nc, one Go kit natstransport.Publisher each: a typed")
	f.Comment("client with room for client middlewares. PublisherTimeout sets the request")
	f.Comment("timeout (Go kit's default is 10 s). Errors come back as gRPC statuses: the")
	f.Comment("service's own, Unavailable when no instance is subscribed, DeadlineExceeded")
	f.Comment("when the reply does not come in time.")
	protoClientNotes(f, ps, async, "published", "NATS", "NATS")
	f.Func().Id("NewNATSClient").Params(
		jen.Id("nc").Op("*").Qual(NATSGo, "Conn"), jen.Id("prefix").String(), jen.Id("options").Op("...").Qual(kitNATS, "PublisherOption"),
	).Qual(l.Endpoint.Path, "Set").Block(
		jen.Return(jen.Qual(l.Endpoint.Path, "Set").Values(gokit.Multiline(values)...)),
	)

	f.Comment("encodeNATSRequest is a transport/nats.EncodeRequestFunc: the request message in")
	f.Comment("protobuf's binary encoding.")
	f.Func().Id("encodeNATSRequest").Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("msg").Op("*").Qual(NATSGo, "Msg"), jen.Id("request").Any()).Error().Block(
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual(gokit.PkgProto, "Marshal").Call(jen.Id("request").Assert(jen.Qual(gokit.PkgProto, "Message"))),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("msg").Dot("Data").Op("=").Id("data"),
		jen.Return(jen.Nil()),
	)

	if len(async) > 0 {
		f.Comment("publishNATS is the client endpoint of an async rpc: it publishes the request")
		f.Comment("in protobuf's binary encoding and returns an empty response as soon as NATS")
		f.Comment("has the message, without waiting for the rpc to run.")
		f.Func().Id("publishNATS").Params(jen.Id("nc").Op("*").Qual(NATSGo, "Conn"), jen.Id("subject").String()).Qual(gokit.KitEndpoint, "Endpoint").Block(
			jen.Return(jen.Func().Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(
				jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual(gokit.PkgProto, "Marshal").Call(jen.Id("request").Assert(jen.Qual(gokit.PkgProto, "Message"))),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
				jen.If(jen.Err().Op(":=").Id("nc").Dot("Publish").Call(jen.Id("subject"), jen.Id("data")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
				jen.Return(jen.New(jen.Qual(pkgEmptyPB, "Empty")), jen.Nil()),
			)),
		)
	}

	for _, m := range methods {
		if m.Async {
			continue
		}
		pm := ps.Method(m)
		genNATSDecoder(f, "decodeNATS"+m.Name+"Response", "DecodeResponseFunc for "+pm.ProtoName+": a binary *"+pm.Output.Name+", or the status error of an error reply.",
			pm.Output, []jen.Code{jen.If(jen.Err().Op(":=").Id("natsReplyError").Call(jen.Id("msg")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err()))},
			"Internal", "decode reply: %v")
	}

	f.Comment("natsReplyError returns the status error an error reply carries (see")
	f.Comment("encodeNATSError), or nil for a reply that is not one.")
	f.Func().Id("natsReplyError").Params(jen.Id("msg").Op("*").Qual(NATSGo, "Msg")).Error().Block(
		jen.Id("code").Op(":=").Id("msg").Dot("Header").Dot("Get").Call(jen.Lit(natsGRPCStatusHdr)),
		jen.If(jen.Id("code").Op("==").Lit("")).Block(jen.Return(jen.Nil())),
		protoReplyStatus(jen.Id("msg").Dot("Data"), jen.List(jen.Id("n"), jen.Id("_")).Op(":=").Qual(gokit.PkgStrconv, "Atoi").Call(jen.Id("code"))),
	)

	genStatusErrors(f, "natsStatusErrors", []string{
		"natsStatusErrors turns the errors of a NATS request that are not the",
		"service's into gRPC statuses: no instance subscribed is Unavailable, a reply",
		"that did not come in time DeadlineExceeded, a cancelled call Canceled.",
	}, jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(NATSGo, "ErrNoResponders")),
		jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(NATSGo, "ErrTimeout")).Op("||").Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgContext, "DeadlineExceeded")),
		jen.Return(jen.Nil(), jen.Err()))
}

// protoReplyStatus is the statements that return the status error of an
// error reply whose body is body: its google.rpc.Status, or when that cannot
// be decoded a status of the code n that setN sets.
func protoReplyStatus(body jen.Code, setN ...jen.Code) jen.Code {
	return when(true, []jen.Code{
		jen.Id("st").Op(":=").New(jen.Qual(pkgRPCStatus, "Status")),
		jen.If(jen.Err().Op(":=").Qual(gokit.PkgProto, "Unmarshal").Call(body, jen.Id("st")), jen.Err().Op("!=").Nil()).Block(append(setN,
			jen.Return(jen.Qual(gokit.PkgGRPCStatus, "Errorf").Call(jen.Qual(gokit.PkgGRPCCodes, "Code").Call(jen.Id("n")), jen.Lit("undecodable error reply: %v"), jen.Err())),
		)...),
		jen.Return(jen.Qual(gokit.PkgGRPCStatus, "ErrorProto").Call(jen.Id("st"))),
	})
}

// genStatusErrors emits the client endpoint middleware named name (doc, one
// line each) that turns errors which are not gRPC statuses into statuses:
// those for which unavailable holds (when not nil) into Unavailable, those
// for which deadline holds into DeadlineExceeded, context.Canceled into
// Canceled; any other error ends in last.
func genStatusErrors(f *jen.File, name string, doc []string, unavailable, deadline, last jen.Code) {
	for _, line := range doc {
		f.Comment(line)
	}
	var cases []jen.Code
	if unavailable != nil {
		cases = append(cases, jen.Case(unavailable).Block(
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgGRPCStatus, "Errorf").Call(jen.Qual(gokit.PkgGRPCCodes, "Unavailable"), jen.Lit("%v: is the service running?"), jen.Err())),
		))
	}
	cases = append(cases,
		jen.Case(deadline).Block(
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "DeadlineExceeded"), jen.Err().Dot("Error").Call())),
		),
		jen.Case(jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgContext, "Canceled"))).Block(
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "Canceled"), jen.Err().Dot("Error").Call())),
		),
	)
	f.Func().Id(name).Params(jen.Id("next").Qual(gokit.KitEndpoint, "Endpoint")).Qual(gokit.KitEndpoint, "Endpoint").Block(
		jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(
			jen.List(jen.Id("resp"), jen.Err()).Op(":=").Id("next").Call(jen.Id("ctx"), jen.Id("request")),
			jen.If(jen.Err().Op("==").Nil()).Block(jen.Return(jen.Id("resp"), jen.Nil())),
			jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Qual(gokit.PkgGRPCStatus, "FromError").Call(jen.Err()), jen.Id("ok")).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Switch().Block(cases...),
			last,
		)),
	)
}

// methodNames lists the names of methods, comma-separated.
func methodNames(methods []*model.Method) string {
	names := make([]string, len(methods))
	for i, m := range methods {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}

// genNATSDecoder emits a transport/nats decoder named name that runs pre,
// then unmarshals the message data into a new typ; an undecodable message is
// a status error of code.
func genNATSDecoder(f *jen.File, name, doc string, typ model.Ident, pre []jen.Code, code, format string) {
	genProtoDecoder(f, "nats", jen.Id("msg").Op("*").Qual(NATSGo, "Msg"), jen.Id("msg").Dot("Data"), name, doc, typ, pre, code, format)
}

// protoErrorStatus is the statements that set st to the gRPC status of err
// (Unknown for errors that are not statuses, Canceled or DeadlineExceeded
// for context errors) and data to its google.rpc.Status in protobuf's binary
// encoding: the body of an error reply over NATS and AMQP.
func protoErrorStatus(data string) jen.Code {
	return when(true, []jen.Code{
		jen.List(jen.Id("st"), jen.Id("ok")).Op(":=").Qual(gokit.PkgGRPCStatus, "FromError").Call(jen.Err()),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Id("st").Op("=").Qual(gokit.PkgGRPCStatus, "FromContextError").Call(jen.Err())),
		jen.List(jen.Id(data), jen.Id("_")).Op(":=").Qual(gokit.PkgProto, "Marshal").Call(jen.Id("st").Dot("Proto").Call()),
	})
}

// genProtoDecoder emits a decoder of transport/<transport> named name, whose
// second parameter is param and whose message body is data: it runs pre,
// then unmarshals data into a new typ; an undecodable message is a status
// error of code.
func genProtoDecoder(f *jen.File, transport string, param, data *jen.Statement, name, doc string, typ model.Ident, pre []jen.Code, code, format string) {
	f.Comment(gokit.WrapComment(name+" is a transport/"+transport+"."+doc, 77))
	f.Func().Id(name).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), param).Params(jen.Any(), jen.Error()).Block(append(pre,
		jen.Id("v").Op(":=").New(jen.Qual(typ.ImportPath, typ.Name)),
		jen.If(jen.Err().Op(":=").Qual(gokit.PkgProto, "Unmarshal").Call(data, jen.Id("v")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgGRPCStatus, "Errorf").Call(jen.Qual(gokit.PkgGRPCCodes, code), jen.Lit(format), jen.Err())),
		),
		jen.Return(jen.Id("v"), jen.Nil()),
	)...)
}

// SetProtoTransports sets the transports of the server of proto services
// from theirs (every service of a module has the same).
func SetProtoTransports(l *gokit.Layout, services []*gokit.ProtoService) {
	l.GRPC, l.NATS, l.AMQP = services[0].Layout.GRPC, services[0].Layout.NATS, services[0].Layout.AMQP
	l.NoOpenAPI = !services[0].HTTP
}

// OnHTTP is code, one statement per line, when the proto services have the
// HTTP/JSON transport, and nothing when they do not.
func OnHTTP(services []*gokit.ProtoService, code ...jen.Code) jen.Code {
	return when(services[0].HTTP, code)
}

// OnGRPC is code, one statement per line, when the proto services have the
// gRPC transport, and nothing when they do not.
func OnGRPC(services []*gokit.ProtoService, code ...jen.Code) jen.Code {
	return when(services[0].Layout.GRPC, code)
}

// when is code, one statement per line, if cond, and nothing otherwise.
func when(cond bool, code []jen.Code) jen.Code {
	if !cond {
		return jen.Null()
	}
	s := &jen.Statement{}
	for i, c := range code {
		if i > 0 {
			s.Line()
		}
		s.Add(c)
	}
	return s
}

// ProtoNATSActor is the run-group actor of the NATS transport of proto
// services: one connection serving every service, or nothing without NATS.
func ProtoNATSActor(services []*gokit.ProtoService) jen.Code {
	if !services[0].Layout.NATS {
		return jen.Null()
	}
	subs := make([]natsSub, len(services))
	for i, ps := range services {
		subs[i] = natsSub{ps.Layout.Transport.Path, gokit.ProtoVar(services, ps, "endpoints")}
	}
	return natsConnActor(strings.TrimSuffix(services[0].Layout.Server.Name, "server"), subs)
}

// ProtoRunDoc is the doc comment of Run for proto services, which says what
// each transport serves.
func ProtoRunDoc(l gokit.Layout, services []*gokit.ProtoService) string {
	httpOn := services[0].HTTP
	var doc string
	if httpOn && l.GRPC { // kept as it was written by hand before transports could be dropped
		doc = strings.Join([]string{
			"// Run serves services until ctx is cancelled or the process receives SIGINT or",
			"// SIGTERM, then shuts down gracefully, letting in-flight calls finish within",
			"// cfg.ShutdownTimeout. On cfg.HTTPAddr it serves the unary rpcs as HTTP/JSON (their",
			"// google.api.http routes), GET /healthz, GET /readyz and GET /metrics (Prometheus);",
			"// on cfg.GRPCAddr every rpc over gRPC, with the standard health service (SERVING,",
			"// NOT_SERVING from the start of shutdown) and server reflection. A signal or",
			"// cancellation is a clean exit (nil).",
		}, "\n")
	} else {
		text := "Run serves services until ctx is cancelled or the process receives SIGINT or SIGTERM, then shuts down gracefully, letting in-flight calls finish within cfg.ShutdownTimeout. On cfg.HTTPAddr it serves "
		if httpOn {
			text += "the unary rpcs as HTTP/JSON (their google.api.http routes), "
		}
		text += "GET /healthz, GET /readyz and GET /metrics (Prometheus)"
		if l.GRPC {
			text += "; on cfg.GRPCAddr every rpc over gRPC, with the standard health service (SERVING, NOT_SERVING from the start of shutdown) and server reflection"
		}
		doc = gokit.WrapComment(text+". A signal or cancellation is a clean exit (nil).", 76)
	}
	if l.NATS {
		doc += "\n//\n" + gokit.WrapComment("Over NATS (cfg.NATSURL) it serves every unary rpc on its subject, in the queue group of its service; on shutdown the connection is drained, so that messages in flight are finished before exit.", 76)
	}
	if l.AMQP {
		doc += "\n//\n" + protoAMQPRunDoc(services)
	}
	return doc
}
