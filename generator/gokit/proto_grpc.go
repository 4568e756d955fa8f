package gokit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/model"
)

// ProtoGRPC emits <out>/<name>transport/grpc_gen.go for a proto service:
// NewGRPCServer, which implements the generated XServer with a Go kit gRPC
// handler per unary rpc and hands streaming rpcs to the service directly,
// and NewGRPCClient, whose Set calls the unary rpcs through Go kit gRPC
// clients. The messages cross as they are; errors are gRPC statuses.
func ProtoGRPC(ps *ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := protoNewFile(l.Transport, ps)
	pbServer := jen.Qual(l.PB.Path, svc.GoName+"Server")
	methods := unaryMethods(svc)
	fields := handlerFields(methods)

	values := []jen.Code{jen.Id("svc").Op(":").Id("svc"), jen.Id("logger").Op(":").Id("logger")}
	for _, m := range methods {
		values = append(values, jen.Id(fields[m]).Op(":").Qual(kitGRPC, "NewServer").Call(
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
		jen.Id("logger").Qual(kitLog, "Logger"),
		jen.Id("options").Op("...").Qual(kitGRPC, "ServerOption"),
	).Add(pbServer.Clone()).Block(
		jen.Id("options").Op("=").Append(jen.Index().Qual(kitGRPC, "ServerOption").Values(
			jen.Qual(kitGRPC, "ServerErrorHandler").Call(jen.Qual(kitTransport, "NewLogErrorHandler").Call(
				jen.Qual(kitLog, "With").Call(jen.Id("logger"), jen.Lit("transport"), jen.Lit("gRPC")),
			)),
			jen.Qual(kitGRPC, "ServerBefore").Call(jen.Id("grpcRequestID")),
		), jen.Id("options").Op("...")),
		jen.Return(jen.Op("&").Id("grpcServer").Values(multiline(values)...)),
	)
	genGRPCRequestID(f, l)

	structFields := []jen.Code{
		jen.Qual(l.PB.Path, "Unimplemented"+svc.GoName+"Server"),
		jen.Id("svc").Qual(l.Service.Path, "Service"),
		jen.Id("logger").Qual(kitLog, "Logger"),
	}
	for _, m := range methods {
		structFields = append(structFields, jen.Id(fields[m]).Qual(kitGRPC, "Handler"))
	}
	f.Comment("grpcServer implements " + l.PB.Name + "." + svc.GoName + "Server.")
	f.Type().Id("grpcServer").Struct(structFields...)

	for _, m := range svc.Methods {
		pm := ps.method(m)
		f.Comment(m.Name + " implements " + l.PB.Name + "." + svc.GoName + "Server.")
		recv := jen.Id("s").Op("*").Id("grpcServer")
		if !m.IsStreaming() {
			f.Func().Params(recv).Id(m.Name).Params(
				jen.Id("ctx").Qual(pkgContext, "Context"), jen.Id("in").Add(msg(pm.Input)),
			).Params(msg(pm.Output), jen.Error()).Block(
				jen.List(jen.Id("_"), jen.Id("rep"), jen.Err()).Op(":=").Id("s").Dot(fields[m]).Dot("ServeGRPC").Call(jen.Id("ctx"), jen.Id("in")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("grpcStatusError").Call(jen.Err()))),
				jen.Return(jen.Id("rep").Assert(msg(pm.Output)), jen.Nil()),
			)
			continue
		}
		var ps2, args []jen.Code
		if m.Kind == model.ServerStream {
			ps2 = append(ps2, jen.Id("in").Add(msg(pm.Input)))
			args = append(args, jen.Id("in"))
		}
		ps2 = append(ps2, jen.Id("stream").Add(streamTypeCode(m, pm)))
		args = append(args, jen.Id("stream"))
		f.Func().Params(recv).Id(m.Name).Params(ps2...).Params(jen.Err().Error()).Block(
			jen.Defer().Id("s").Dot("recoverStream").Call(jen.Op("&").Err()),
			jen.Return(jen.Id("grpcStatusError").Call(jen.Id("s").Dot("svc").Dot(m.Name).Call(args...))),
		)
	}
	if ps.hasStreaming() {
		f.Comment("recoverStream turns a panic in a streaming rpc into an Internal status with a")
		f.Comment("request id, logged with its stack and that id, as the endpoints'")
		f.Comment("RecoveringMiddleware does for unary rpcs.")
		f.Func().Params(jen.Id("s").Op("*").Id("grpcServer")).Id("recoverStream").Params(jen.Err().Op("*").Error()).Block(
			jen.If(jen.Id("p").Op(":=").Recover(), jen.Id("p").Op("!=").Nil()).Block(
				jen.Id("id").Op(":=").Qual(ps.Layout.Service.Path, "RequestIDOrNew").Call(jen.Lit("")),
				jen.Id("_").Op("=").Id("s").Dot("logger").Dot("Log").Call(jen.Lit("panic"), jen.Id("p"), jen.Lit("request_id"), jen.Id("id"), jen.Lit("stack"), jen.String().Parens(jen.Qual(pkgDebug, "Stack").Call())),
				jen.Op("*").Err().Op("=").Qual(pkgGRPCStatus, "Error").Call(jen.Qual(pkgGRPCCodes, "Internal"), jen.Lit("internal error (request id ").Op("+").Id("id").Op("+").Lit(")")),
			),
		)
	}

	f.Comment("grpcStatusError returns err as gRPC should answer it: statuses as they are,")
	f.Comment("context errors as Canceled or DeadlineExceeded, nil as nil.")
	f.Func().Id("grpcStatusError").Params(jen.Err().Error()).Error().Block(
		jen.If(jen.Err().Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Qual(pkgGRPCStatus, "FromError").Call(jen.Err()), jen.Id("ok")).Block(jen.Return(jen.Err())),
		jen.If(jen.Qual(pkgErrors, "Is").Call(jen.Err(), jen.Qual(pkgContext, "Canceled")).Op("||").Qual(pkgErrors, "Is").Call(jen.Err(), jen.Qual(pkgContext, "DeadlineExceeded"))).Block(
			jen.Return(jen.Qual(pkgGRPCStatus, "FromContextError").Call(jen.Err()).Dot("Err").Call()),
		),
		jen.Return(jen.Err()),
	)

	// Client.
	cvalues := []jen.Code{}
	for _, m := range methods {
		pm := ps.method(m)
		cvalues = append(cvalues, jen.Id(m.EndpointName()).Op(":").Qual(kitGRPC, "NewClient").Call(
			jen.Id("conn"), jen.Id("service"), jen.Lit(pm.ProtoName),
			jen.Id("passGRPCMessage"), jen.Id("passGRPCMessage"),
			jen.Op("&").Qual(pm.Output.ImportPath, pm.Output.Name).Values(),
			jen.Id("options").Op("..."),
		).Dot("Endpoint").Call())
	}
	f.Comment("NewGRPCClient returns a Set whose endpoints call the " + ps.FullName + " service at")
	f.Comment("conn, one Go kit gRPC client each: a typed client of the unary rpcs, with")
	f.Comment("room for client middlewares. Errors come back as gRPC statuses.")
	if ps.hasStreaming() {
		f.Comment("Call the streaming rpcs (" + grpcOnly(svc) + ") with " + l.PB.Name + ".New" + svc.GoName + "Client(conn).")
	}
	var body []jen.Code
	if len(methods) > 0 {
		body = append(body, jen.Id("service").Op(":=").Qual(l.PB.Path, svc.GoName+"_ServiceDesc").Dot("ServiceName"))
	} else {
		// No unary rpc: nothing to call, and no parameter is used.
		body = append(body, jen.List(jen.Id("_"), jen.Id("_")).Op("=").List(jen.Id("conn"), jen.Id("options")))
	}
	body = append(body, jen.Return(jen.Qual(l.Endpoint.Path, "Set").Values(multiline(cvalues)...)))
	f.Func().Id("NewGRPCClient").Params(jen.Id("conn").Op("*").Qual(pkgGRPC, "ClientConn"), jen.Id("options").Op("...").Qual(kitGRPC, "ClientOption")).Qual(l.Endpoint.Path, "Set").Block(body...)

	f.Comment("passGRPCMessage is the request and response codec of the Go kit gRPC handlers")
	f.Comment("and clients: the endpoints take and return the generated messages themselves.")
	f.Func().Id("passGRPCMessage").Params(jen.Id("_").Qual(pkgContext, "Context"), jen.Id("msg").Any()).Params(jen.Any(), jen.Error()).Block(
		jen.Return(jen.Id("msg"), jen.Nil()),
	)
	return render(f)
}
