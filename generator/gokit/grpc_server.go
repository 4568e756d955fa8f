package gokit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/model"
)

// grpcSettings are the server settings the gRPC transport adds.
func grpcSettings() []setting {
	return []setting{
		{"GRPCAddr", "grpc-addr", "GRPC_ADDR", "gRPC listen address", "string", jen.Lit(":8081")},
	}
}

// serverSettings are the settings of the server of layout l: the gRPC ones,
// when gRPC is on, go after the HTTP ones.
func serverSettings(l Layout) []setting {
	all := settings()
	var extra []setting
	if l.GRPC {
		extra = append(extra, grpcSettings()...)
	}
	if l.NATS {
		extra = append(extra, natsSettings()...)
	}
	if l.AMQP {
		extra = append(extra, amqpSettings()...)
	}
	extra = append(extra, mwSettings(l)...)
	extra = append(extra, discoverySettings(l)...)
	if len(extra) == 0 {
		return all
	}
	at := len(all)
	for i, s := range all {
		if s.Field == "ShutdownTimeout" {
			at = i
		}
	}
	return append(all[:at:at], append(extra, all[at:]...)...)
}

// grpcServerImports names the packages the gRPC listener uses.
func grpcServerImports(f *jen.File, l Layout) {
	f.ImportName(l.PB.Path, l.PB.Name)
	f.ImportAlias(pkgHealthPB, "healthpb")
	f.ImportName(pkgGRPC, "grpc")
	f.ImportName(pkgGRPCHealth, "health")
	f.ImportName(pkgReflection, "reflection")
}

// grpcActor is the run group actor of the gRPC listener: the service, the
// standard health service (SERVING until shutdown begins) and server
// reflection on cfg.GRPCAddr, stopped gracefully. The proto service is
// named after the interface's service (svc.GoName), as protoschema names it.
func grpcActor(svc *model.Service, l Layout) jen.Code {
	serving := jen.Qual(pkgHealthPB, "HealthCheckResponse_SERVING")
	return jen.Block(
		jen.List(jen.Id("ln"), jen.Err()).Op(":=").Qual(pkgNet, "Listen").Call(jen.Lit("tcp"), jen.Id("cfg").Dot("GRPCAddr")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(pkgFmt, "Errorf").Call(jen.Lit("grpc listener: %w"), jen.Err()))),
		jen.Id("srv").Op(":=").Qual(pkgGRPC, "NewServer").Call(),
		jen.Qual(l.PB.Path, "Register"+svc.GoName+"Server").Call(jen.Id("srv"), jen.Qual(l.Transport.Path, "NewGRPCServer").Call(append([]jen.Code{jen.Id("endpoints"), jen.Id("logger")}, mwServerOptions(l, "grpc")...)...)),
		jen.Id("hs").Op(":=").Qual(pkgGRPCHealth, "NewServer").Call(),
		jen.Id("hs").Dot("SetServingStatus").Call(jen.Lit(""), serving.Clone()),
		jen.Id("hs").Dot("SetServingStatus").Call(jen.Qual(l.PB.Path, svc.GoName+"_ServiceDesc").Dot("ServiceName"), serving.Clone()),
		jen.Qual(pkgHealthPB, "RegisterHealthServer").Call(jen.Id("srv"), jen.Id("hs")),
		jen.Qual(pkgReflection, "Register").Call(jen.Id("srv")),
		jen.Id("shut").Dot("onBegin").Call(jen.Id("hs").Dot("Shutdown")),
		grpcDrain("srv"),
		jen.Id("g").Dot("Add").Call(
			jen.Func().Params().Error().Block(
				jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("transport"), jen.Lit("gRPC"), jen.Lit("addr"), jen.Id("ln").Dot("Addr").Call().Dot("String").Call()),
				jen.Return(jen.Id("srv").Dot("Serve").Call(jen.Id("ln"))),
			),
			jen.Func().Params(jen.Error()).Block(jen.Id("shut").Dot("drain").Call()),
		),
	)
}

// grpcDrain registers the graceful stop of the gRPC server named srv.
func grpcDrain(srv string) jen.Code {
	return jen.Id("shut").Dot("onDrain").Call(jen.Func().Params(jen.Id("ctx").Qual(pkgContext, "Context")).Block(
		jen.Id("stopGRPC").Call(jen.Id("ctx"), jen.Id(srv)),
	))
}

// genStopGRPC emits stopGRPC, the graceful stop of the gRPC server.
func genStopGRPC(f *jen.File) {
	f.Comment("stopGRPC stops srv gracefully: it stops accepting calls and waits for the")
	f.Comment("running ones until ctx ends, then closes every connection.")
	f.Func().Id("stopGRPC").Params(jen.Id("ctx").Qual(pkgContext, "Context"), jen.Id("srv").Op("*").Qual(pkgGRPC, "Server")).Block(
		jen.Id("done").Op(":=").Make(jen.Chan().Struct()),
		jen.Go().Func().Params().Block(
			jen.Id("srv").Dot("GracefulStop").Call(),
			jen.Close(jen.Id("done")),
		).Call(),
		jen.Select().Block(
			jen.Case(jen.Op("<-").Id("done")),
			jen.Case(jen.Op("<-").Id("ctx").Dot("Done").Call()).Block(
				jen.Id("srv").Dot("Stop").Call(),
			),
		),
	)
}
