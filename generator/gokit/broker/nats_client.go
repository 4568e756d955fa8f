package broker

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

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
