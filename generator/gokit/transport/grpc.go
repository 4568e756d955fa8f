package transport

import (
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// GRPC emits <out>/<name>transport/grpc_gen.go: the gRPC server
// (NewGRPCServer, a Go kit gRPC handler per method), the gRPC client
// (NewGRPCClient, which implements the service interface), the error
// mapping between Go errors and gRPC statuses, and the converters between
// the Go types and the generated messages, as in addsvc's
// addtransport/grpc.go. pb describes the generated messages.
func GRPC(svc *model.Service, l gokit.Layout, pb *PB) ([]byte, error) {
	f := l.NewFile(l.Transport)
	gokit.GRPCImports(f, l)
	c := &converter{pb: pb, pbPath: l.PB.Path, used: map[string]bool{}}
	genGRPCServer(f, svc, l, c)
	genGRPCClient(f, svc, l, c)
	genGRPCErrors(f, svc, l)
	c.genStructConverters(f)
	c.genConvHelpers(f)
	return gokit.Render(f)
}

// handlerFields names grpcServer's field for each method: "sumHandler",
// or "handleSum" for all when lower-casing would make two names equal.
func handlerFields(methods []*model.Method) map[*model.Method]string {
	out := make(map[*model.Method]string, len(methods))
	seen := map[string]bool{}
	for _, m := range methods {
		name := model.LowerCamel(m.Name) + "Handler"
		if seen[name] {
			for _, m := range methods {
				out[m] = "handle" + m.Name
			}
			return out
		}
		seen[name] = true
		out[m] = name
	}
	return out
}

func genGRPCServer(f *jen.File, svc *model.Service, l gokit.Layout, c *converter) {
	methods := gokit.UnaryMethods(svc)
	fields := handlerFields(methods)
	pbServer := jen.Qual(l.PB.Path, c.pb.GoName+"Server")

	values := make([]jen.Code, 0, len(methods))
	for _, m := range methods {
		values = append(values, jen.Id(fields[m]).Op(":").Qual(gokit.KitGRPC, "NewServer").Call(
			jen.Id("endpoints").Dot(m.EndpointName()),
			jen.Id("decodeGRPC"+m.RequestName()),
			jen.Id("encodeGRPC"+m.ResponseName()),
			jen.Id("options").Op("..."),
		))
	}
	f.Comment("NewGRPCServer returns a " + l.PB.Name + "." + c.pb.GoName + "Server that serves the " + svc.Name + " endpoints over")
	f.Comment("gRPC, one Go kit gRPC handler per method. Business errors become gRPC statuses")
	f.Comment("(see GRPCCode); register the result with " + l.PB.Name + ".Register" + c.pb.GoName + "Server.")
	f.Func().Id("NewGRPCServer").Params(
		jen.Id("endpoints").Qual(l.Endpoint.Path, "Set"),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("options").Op("...").Qual(gokit.KitGRPC, "ServerOption"),
	).Add(pbServer.Clone()).Block(
		jen.Id("options").Op("=").Append(jen.Index().Qual(gokit.KitGRPC, "ServerOption").Values(gokit.Multiline([]jen.Code{
			jen.Qual(gokit.KitGRPC, "ServerErrorHandler").Call(jen.Id("grpcErrorHandler").Values(jen.Qual(gokit.KitTransport, "NewLogErrorHandler").Call(
				jen.Qual(gokit.KitLog, "With").Call(jen.Id("logger"), jen.Lit("transport"), jen.Lit("gRPC")),
			))),
			jen.Qual(gokit.KitGRPC, "ServerBefore").Call(jen.Id("grpcRequestID")),
		})...), jen.Id("options").Op("...")),
		jen.Return(jen.Op("&").Id("grpcServer").Values(gokit.Multiline(values)...)),
	)
	genGRPCRequestID(f, l)

	structFields := []jen.Code{jen.Qual(l.PB.Path, "Unimplemented"+c.pb.GoName+"Server")}
	for _, m := range methods {
		structFields = append(structFields, jen.Id(fields[m]).Qual(gokit.KitGRPC, "Handler"))
	}
	f.Comment("grpcServer implements " + l.PB.Name + "." + c.pb.GoName + "Server with a Go kit gRPC handler per method.")
	f.Type().Id("grpcServer").Struct(structFields...)

	for _, m := range methods {
		req := jen.Op("*").Qual(l.PB.Path, c.pb.message(m, false).GoName)
		resp := jen.Op("*").Qual(l.PB.Path, c.pb.message(m, true).GoName)
		f.Comment(m.Name + " implements " + l.PB.Name + "." + c.pb.GoName + "Server.")
		f.Func().Params(jen.Id("s").Op("*").Id("grpcServer")).Id(m.Name).Params(
			jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("req").Add(req),
		).Params(resp.Clone(), jen.Error()).Block(
			jen.List(jen.Id("_"), jen.Id("rep"), jen.Err()).Op(":=").Id("s").Dot(fields[m]).Dot("ServeGRPC").Call(jen.Id("ctx"), jen.Id("req")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("grpcError").Call(jen.Err()))),
			jen.Return(jen.Id("rep").Assert(resp.Clone()), jen.Nil()),
		)
	}

	for _, m := range methods {
		genGRPCDecodeRequest(f, m, l, c)
		genGRPCEncodeResponse(f, m, l, c)
	}
}

// genGRPCDecodeRequest emits the server-side decoder of one method.
func genGRPCDecodeRequest(f *jen.File, m *model.Method, l gokit.Layout, c *converter) {
	msg := c.pb.message(m, false)
	name := "decodeGRPC" + m.RequestName()
	f.Comment(name + " is a transport/grpc.DecodeRequestFunc that converts a")
	f.Comment(l.PB.Name + "." + msg.GoName + " to a " + l.Endpoint.Name + "." + m.RequestName() + ".")
	reqType := jen.Qual(l.Endpoint.Path, m.RequestName())
	if len(msg.Fields) == 0 {
		f.Func().Id(name).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("_").Any()).Params(jen.Any(), jen.Error()).Block(
			jen.Return(reqType.Values(), jen.Nil()),
		)
		return
	}
	values := make([]jen.Code, 0, len(msg.Fields))
	for _, fl := range msg.Fields {
		values = append(values, jen.Id(fl.GoName).Op(":").Add(c.fromPB(fl.Type, jen.Id("req").Dot(fl.PBGoName))))
	}
	f.Func().Id(name).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("grpcReq").Any()).Params(jen.Any(), jen.Error()).Block(
		jen.Id("req").Op(":=").Id("grpcReq").Assert(jen.Op("*").Qual(l.PB.Path, msg.GoName)),
		jen.Return(reqType.Values(gokit.Multiline(values)...), jen.Nil()),
	)
}

// genGRPCEncodeResponse emits the server-side encoder of one method.
func genGRPCEncodeResponse(f *jen.File, m *model.Method, l gokit.Layout, c *converter) {
	msg := c.pb.message(m, true)
	name := "encodeGRPC" + m.ResponseName()
	f.Comment(name + " is a transport/grpc.EncodeResponseFunc that converts a")
	f.Comment(l.Endpoint.Name + "." + m.ResponseName() + " to a " + l.PB.Name + "." + msg.GoName + ", or the business error it")
	f.Comment("carries to the error the call fails with.")
	var body []jen.Code
	if len(msg.Fields) > 0 || m.HasError {
		body = append(body, jen.Id("resp").Op(":=").Id("response").Assert(jen.Qual(l.Endpoint.Path, m.ResponseName())))
	} else {
		body = append(body, jen.Id("_").Op("=").Id("response"))
	}
	if m.HasError {
		body = append(body, jen.If(jen.Id("resp").Dot("Err").Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Id("failedResponse").Values(jen.Id("resp").Dot("Err"))),
		))
	}
	values := make([]jen.Code, 0, len(msg.Fields))
	for _, fl := range msg.Fields {
		values = append(values, jen.Id(fl.PBGoName).Op(":").Add(c.toPB(fl.Type, jen.Id("resp").Dot(fl.GoName))))
	}
	body = append(body, jen.Return(jen.Op("&").Qual(l.PB.Path, msg.GoName).Values(gokit.Multiline(values)...), jen.Nil()))
	f.Func().Id(name).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("response").Any()).Params(jen.Any(), jen.Error()).Block(body...)
}

func genGRPCClient(f *jen.File, svc *model.Service, l gokit.Layout, c *converter) {
	methods := gokit.UnaryMethods(svc)
	values := make([]jen.Code, 0, len(methods))
	for _, m := range methods {
		values = append(values, jen.Id(m.EndpointName()).Op(":").Id("grpcClientEndpoint").Call(jen.Qual(gokit.KitGRPC, "NewClient").Call(
			jen.Id("conn"), jen.Qual(l.PB.Path, c.pb.GoName+"_ServiceDesc").Dot("ServiceName"), jen.Lit(m.Name),
			jen.Id("encodeGRPC"+m.RequestName()),
			jen.Id("decodeGRPC"+m.ResponseName()),
			jen.Op("&").Qual(l.PB.Path, c.pb.message(m, true).GoName).Values(),
			jen.Id("options").Op("..."),
		)))
	}
	iface := l.Service.Name + "." + svc.Interface.Name
	f.Comment("NewGRPCClient returns a " + iface + " backed by the gRPC server on conn, e.g.")
	f.Comment("from grpc.NewClient(\"localhost:8081\", grpc.WithTransportCredentials(insecure.NewCredentials())).")
	f.Comment("Errors the server answers with come back as *" + l.Service.Name + ".StatusError, with the HTTP")
	f.Comment("status matching the gRPC code (see GRPCCode).")
	f.Func().Id("NewGRPCClient").Params(
		jen.Id("conn").Op("*").Qual(gokit.PkgGRPC, "ClientConn"),
		jen.Id("options").Op("...").Qual(gokit.KitGRPC, "ClientOption"),
	).Qual(l.Service.Path, svc.Interface.Name).Block(
		jen.Return(jen.Qual(l.Endpoint.Path, "Set").Values(gokit.Multiline(values)...)),
	)

	f.Comment("grpcClientEndpoint returns c's endpoint, turning the gRPC status of a failed")
	f.Comment("call into a *" + l.Service.Name + ".StatusError.")
	f.Func().Id("grpcClientEndpoint").Params(jen.Id("c").Op("*").Qual(gokit.KitGRPC, "Client")).Qual(gokit.KitEndpoint, "Endpoint").Block(
		jen.Id("e").Op(":=").Id("c").Dot("Endpoint").Call(),
		jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(
			jen.List(jen.Id("response"), jen.Err()).Op(":=").Id("e").Call(jen.Id("ctx"), jen.Id("request")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("statusErrorOf").Call(jen.Err()))),
			jen.Return(jen.Id("response"), jen.Nil()),
		)),
	)

	for _, m := range methods {
		genGRPCEncodeRequest(f, m, l, c)
		genGRPCDecodeResponse(f, m, l, c)
	}
}

// genGRPCEncodeRequest emits the client-side encoder of one method.
func genGRPCEncodeRequest(f *jen.File, m *model.Method, l gokit.Layout, c *converter) {
	msg := c.pb.message(m, false)
	name := "encodeGRPC" + m.RequestName()
	f.Comment(name + " is a transport/grpc.EncodeRequestFunc that converts a")
	f.Comment(l.Endpoint.Name + "." + m.RequestName() + " to a " + l.PB.Name + "." + msg.GoName + ".")
	var body []jen.Code
	if len(msg.Fields) > 0 {
		body = append(body, jen.Id("req").Op(":=").Id("request").Assert(jen.Qual(l.Endpoint.Path, m.RequestName())))
	} else {
		body = append(body, jen.Id("_").Op("=").Id("request"))
	}
	values := make([]jen.Code, 0, len(msg.Fields))
	for _, fl := range msg.Fields {
		values = append(values, jen.Id(fl.PBGoName).Op(":").Add(c.toPB(fl.Type, jen.Id("req").Dot(fl.GoName))))
	}
	body = append(body, jen.Return(jen.Op("&").Qual(l.PB.Path, msg.GoName).Values(gokit.Multiline(values)...), jen.Nil()))
	f.Func().Id(name).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(body...)
}

// genGRPCDecodeResponse emits the client-side decoder of one method.
func genGRPCDecodeResponse(f *jen.File, m *model.Method, l gokit.Layout, c *converter) {
	msg := c.pb.message(m, true)
	name := "decodeGRPC" + m.ResponseName()
	f.Comment(name + " is a transport/grpc.DecodeResponseFunc that converts a")
	f.Comment(l.PB.Name + "." + msg.GoName + " to a " + l.Endpoint.Name + "." + m.ResponseName() + ".")
	respType := jen.Qual(l.Endpoint.Path, m.ResponseName())
	if len(msg.Fields) == 0 {
		f.Func().Id(name).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("_").Any()).Params(jen.Any(), jen.Error()).Block(
			jen.Return(respType.Values(), jen.Nil()),
		)
		return
	}
	values := make([]jen.Code, 0, len(msg.Fields))
	for _, fl := range msg.Fields {
		values = append(values, jen.Id(fl.GoName).Op(":").Add(c.fromPB(fl.Type, jen.Id("reply").Dot(fl.PBGoName))))
	}
	f.Func().Id(name).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("grpcReply").Any()).Params(jen.Any(), jen.Error()).Block(
		jen.Id("reply").Op(":=").Id("grpcReply").Assert(jen.Op("*").Qual(l.PB.Path, msg.GoName)),
		jen.Return(respType.Values(gokit.Multiline(values)...), jen.Nil()),
	)
}

// ProtoGRPC emits <out>/<name>transport/grpc_gen.go for a proto service:
// NewGRPCServer, which implements the generated XServer with a Go kit gRPC
// handler per unary rpc and hands streaming rpcs to the service directly,
// and NewGRPCClient, whose Set calls the unary rpcs through Go kit gRPC
// clients. The messages cross as they are; errors are gRPC statuses.
func ProtoGRPC(ps *gokit.ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := gokit.ProtoNewFile(l.Transport, ps)
	pbServer := jen.Qual(l.PB.Path, svc.GoName+"Server")
	methods := gokit.UnaryMethods(svc)
	fields := handlerFields(methods)

	values := []jen.Code{jen.Id("svc").Op(":").Id("svc"), jen.Id("logger").Op(":").Id("logger")}
	for _, m := range methods {
		values = append(values, jen.Id(fields[m]).Op(":").Qual(gokit.KitGRPC, "NewServer").Call(
			jen.Id("endpoints").Dot(m.EndpointName()),
			jen.Id("passGRPCMessage"), jen.Id("passGRPCMessage"),
			jen.Id("options").Op("..."),
		))
	}
	f.Comment("NewGRPCServer returns a " + l.PB.Name + "." + svc.GoName + "Server that serves the unary rpcs through")
	f.Comment("the endpoints (one Go kit gRPC handler each) and the streaming rpcs through svc")
	f.Comment("directly; register it with " + l.PB.Name + ".Register" + svc.GoName + "Server. Errors that are")
	f.Comment("not gRPC statuses answer Unknown (context errors Canceled and DeadlineExceeded).")
	f.Func().Id("NewGRPCServer").Params(
		jen.Id("endpoints").Qual(l.Endpoint.Path, "Set"),
		jen.Id("svc").Qual(l.Service.Path, "Service"),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("options").Op("...").Qual(gokit.KitGRPC, "ServerOption"),
	).Add(pbServer.Clone()).Block(
		jen.Id("options").Op("=").Append(jen.Index().Qual(gokit.KitGRPC, "ServerOption").Values(
			jen.Qual(gokit.KitGRPC, "ServerErrorHandler").Call(jen.Qual(gokit.KitTransport, "NewLogErrorHandler").Call(
				jen.Qual(gokit.KitLog, "With").Call(jen.Id("logger"), jen.Lit("transport"), jen.Lit("gRPC")),
			)),
			jen.Qual(gokit.KitGRPC, "ServerBefore").Call(jen.Id("grpcRequestID")),
		), jen.Id("options").Op("...")),
		jen.Return(jen.Op("&").Id("grpcServer").Values(gokit.Multiline(values)...)),
	)
	genGRPCRequestID(f, l)

	structFields := []jen.Code{
		jen.Qual(l.PB.Path, "Unimplemented"+svc.GoName+"Server"),
		jen.Id("svc").Qual(l.Service.Path, "Service"),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
	}
	for _, m := range methods {
		structFields = append(structFields, jen.Id(fields[m]).Qual(gokit.KitGRPC, "Handler"))
	}
	f.Comment("grpcServer implements " + l.PB.Name + "." + svc.GoName + "Server.")
	f.Type().Id("grpcServer").Struct(structFields...)

	for _, m := range svc.Methods {
		pm := ps.Method(m)
		f.Comment(m.Name + " implements " + l.PB.Name + "." + svc.GoName + "Server.")
		recv := jen.Id("s").Op("*").Id("grpcServer")
		if !m.IsStreaming() {
			f.Func().Params(recv).Id(m.Name).Params(
				jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("in").Add(gokit.Msg(pm.Input)),
			).Params(gokit.Msg(pm.Output), jen.Error()).Block(
				jen.List(jen.Id("_"), jen.Id("rep"), jen.Err()).Op(":=").Id("s").Dot(fields[m]).Dot("ServeGRPC").Call(jen.Id("ctx"), jen.Id("in")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("grpcStatusError").Call(jen.Err()))),
				jen.Return(jen.Id("rep").Assert(gokit.Msg(pm.Output)), jen.Nil()),
			)
			continue
		}
		var ps2, args []jen.Code
		if m.Kind == model.ServerStream {
			ps2 = append(ps2, jen.Id("in").Add(gokit.Msg(pm.Input)))
			args = append(args, jen.Id("in"))
		}
		ps2 = append(ps2, jen.Id("stream").Add(gokit.StreamTypeCode(m, pm)))
		wrapper, types := streamWrapper(m, pm)
		args = append(args, jen.Id(wrapper).Types(types...).Values(jen.Id("stream"), jen.Id("ctx")))
		f.Func().Params(recv).Id(m.Name).Params(ps2...).Params(jen.Err().Error()).Block(
			jen.Id("ctx").Op(":=").Id("streamRequestID").Call(jen.Id("stream").Dot("Context").Call()),
			jen.Defer().Id("s").Dot("recoverStream").Call(jen.Id("ctx"), jen.Op("&").Err()),
			jen.Return(jen.Id("grpcStatusError").Call(jen.Id("s").Dot("svc").Dot(m.Name).Call(args...))),
		)
	}
	if ps.HasStreaming() {
		genStreamRequestIDs(f, ps.Svc)
		f.Comment("recoverStream turns a panic in a streaming rpc into an Internal status with the")
		f.Comment("call's request id, logged with its stack and that id, as the endpoints'")
		f.Comment("RecoveringMiddleware does for unary rpcs.")
		f.Func().Params(jen.Id("s").Op("*").Id("grpcServer")).Id("recoverStream").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Err().Op("*").Error()).Block(
			jen.If(jen.Id("p").Op(":=").Recover(), jen.Id("p").Op("!=").Nil()).Block(
				jen.Id("id").Op(":=").Qual(ps.Layout.Service.Path, "RequestIDOrNew").Call(jen.Qual(ps.Layout.Service.Path, "RequestIDFromContext").Call(jen.Id("ctx"))),
				jen.Id("_").Op("=").Id("s").Dot("logger").Dot("Log").Call(jen.Lit("panic"), jen.Id("p"), jen.Lit("request_id"), jen.Id("id"), jen.Lit("stack"), jen.String().Parens(jen.Qual(gokit.PkgDebug, "Stack").Call())),
				jen.Op("*").Err().Op("=").Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "Internal"), jen.Lit("internal error (request id ").Op("+").Id("id").Op("+").Lit(")")),
			),
		)
	}

	f.Comment("grpcStatusError returns err as gRPC should answer it: statuses as they are,")
	f.Comment("context errors as Canceled or DeadlineExceeded, nil as nil.")
	f.Func().Id("grpcStatusError").Params(jen.Err().Error()).Error().Block(
		jen.If(jen.Err().Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Qual(gokit.PkgGRPCStatus, "FromError").Call(jen.Err()), jen.Id("ok")).Block(jen.Return(jen.Err())),
		jen.If(jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgContext, "Canceled")).Op("||").Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgContext, "DeadlineExceeded"))).Block(
			jen.Return(jen.Qual(gokit.PkgGRPCStatus, "FromContextError").Call(jen.Err()).Dot("Err").Call()),
		),
		jen.Return(jen.Err()),
	)

	// Client.
	cvalues := []jen.Code{}
	for _, m := range methods {
		pm := ps.Method(m)
		cvalues = append(cvalues, jen.Id(m.EndpointName()).Op(":").Qual(gokit.KitGRPC, "NewClient").Call(
			jen.Id("conn"), jen.Id("service"), jen.Lit(pm.ProtoName),
			jen.Id("passGRPCMessage"), jen.Id("passGRPCMessage"),
			jen.Op("&").Qual(pm.Output.ImportPath, pm.Output.Name).Values(),
			jen.Id("options").Op("..."),
		).Dot("Endpoint").Call())
	}
	f.Comment("NewGRPCClient returns a Set whose endpoints call the " + ps.FullName + " service at")
	f.Comment("conn, one Go kit gRPC client each: a typed client of the unary rpcs, with")
	f.Comment("room for client middlewares. Errors come back as gRPC statuses.")
	if ps.HasStreaming() {
		f.Comment("Call the streaming rpcs (" + gokit.GRPCOnly(svc) + ") with " + l.PB.Name + ".New" + svc.GoName + "Client(conn).")
	}
	var body []jen.Code
	if len(methods) > 0 {
		body = append(body, jen.Id("service").Op(":=").Qual(l.PB.Path, svc.GoName+"_ServiceDesc").Dot("ServiceName"))
	} else {
		// No unary rpc: nothing to call, and no parameter is used.
		body = append(body, jen.List(jen.Id("_"), jen.Id("_")).Op("=").List(jen.Id("conn"), jen.Id("options")))
	}
	body = append(body, jen.Return(jen.Qual(l.Endpoint.Path, "Set").Values(gokit.Multiline(cvalues)...)))
	f.Func().Id("NewGRPCClient").Params(jen.Id("conn").Op("*").Qual(gokit.PkgGRPC, "ClientConn"), jen.Id("options").Op("...").Qual(gokit.KitGRPC, "ClientOption")).Qual(l.Endpoint.Path, "Set").Block(body...)

	f.Comment("passGRPCMessage is the request and response codec of the Go kit gRPC handlers")
	f.Comment("and clients: the endpoints take and return the generated messages themselves.")
	f.Func().Id("passGRPCMessage").Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("msg").Any()).Params(jen.Any(), jen.Error()).Block(
		jen.Return(jen.Id("msg"), jen.Nil()),
	)
	return gokit.Render(f)
}

// streamKinds are the stream wrappers of each streaming kind: their name and
// the grpc-go interface they wrap.
var streamKinds = map[model.MethodKind][2]string{
	model.ServerStream: {"serverStream", "ServerStreamingServer"},
	model.ClientStream: {"clientStream", "ClientStreamingServer"},
	model.BidiStream:   {"bidiStream", "BidiStreamingServer"},
}

// streamWrapper names the wrapper of m's stream and its type arguments.
func streamWrapper(m *model.Method, pm gokit.ProtoMethod) (string, []jen.Code) {
	in, out := jen.Qual(pm.Input.ImportPath, pm.Input.Name), jen.Qual(pm.Output.ImportPath, pm.Output.Name)
	if m.Kind == model.ServerStream {
		return streamKinds[m.Kind][0], []jen.Code{out}
	}
	return streamKinds[m.Kind][0], []jen.Code{in, out}
}

// genStreamRequestIDs emits streamRequestID and the stream wrappers the
// streaming rpcs of svc use: a stream whose Context carries the call's
// request id, read from the x-request-id metadata (or made) and sent back
// as the x-request-id header, as grpcRequestID does for unary rpcs.
func genStreamRequestIDs(f *jen.File, svc *model.Service) {
	f.Comment("streamRequestID is grpcRequestID for a streaming rpc: ctx, the stream's context,")
	f.Comment("with the call's request id.")
	f.Func().Id("streamRequestID").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context")).Qual(gokit.PkgContext, "Context").Block(
		jen.List(jen.Id("md"), jen.Id("_")).Op(":=").Qual(gokit.PkgGRPCMeta, "FromIncomingContext").Call(jen.Id("ctx")),
		jen.Return(jen.Id("grpcRequestID").Call(jen.Id("ctx"), jen.Id("md"))),
	)
	for _, kind := range []model.MethodKind{model.ServerStream, model.ClientStream, model.BidiStream} {
		if !slices.ContainsFunc(svc.Methods, func(m *model.Method) bool { return m.Kind == kind }) {
			continue
		}
		name, iface := streamKinds[kind][0], streamKinds[kind][1]
		params := []jen.Code{jen.Id("Req"), jen.Id("Res").Any()}
		args := []jen.Code{jen.Id("Req"), jen.Id("Res")}
		if kind == model.ServerStream {
			params, args = []jen.Code{jen.Id("Res").Any()}, []jen.Code{jen.Id("Res")}
		}
		f.Comment(name + " is a grpc." + iface + " whose Context carries the call's request id.")
		f.Type().Id(name).Types(params...).Struct(
			jen.Qual(gokit.PkgGRPC, iface).Types(args...),
			jen.Id("ctx").Qual(gokit.PkgContext, "Context"),
		)
		f.Comment("Context returns the stream's context with the call's request id.")
		f.Func().Params(jen.Id("s").Id(name).Types(args...)).Id("Context").Params().Qual(gokit.PkgContext, "Context").Block(jen.Return(jen.Id("s").Dot("ctx")))
	}
}
