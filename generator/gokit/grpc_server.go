package gokit

import (
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/model"
)

// pkgKeepalive is grpc-go's keepalive package.
const pkgKeepalive = "google.golang.org/grpc/keepalive"

// grpcSettings are the server settings the gRPC transport adds.
func grpcSettings() []setting {
	sec := func(n int) jen.Code { return jen.Lit(n).Op("*").Qual(pkgTime, "Second") }
	return []setting{
		{"GRPCAddr", "grpc-addr", "GRPC_ADDR", "gRPC listen address", "string", jen.Lit(":8081")},
		{"GRPCReflection", "grpc-reflection", "GRPC_REFLECTION", "switch of gRPC server reflection, which grpcurl list and describe use (-grpc-reflection=false turns it off)", "bool", jen.True()},
		{"GRPCConnectionTimeout", "grpc-connection-timeout", "GRPC_CONNECTION_TIMEOUT", "time a new gRPC connection has to complete its handshake (HTTP/2 preface, TLS)", "duration", sec(5)},
		{"GRPCMaxConcurrentStreams", "grpc-max-concurrent-streams", "GRPC_MAX_CONCURRENT_STREAMS", "most concurrent gRPC calls on one connection (more wait for a free stream)", "int64", jen.Lit(100)},
		{"GRPCMaxRecvMsgBytes", "grpc-max-recv-msg", "GRPC_MAX_RECV_MSG", "largest accepted gRPC request message, in bytes", "int64", jen.Lit(4 << 20)},
		{"GRPCMaxSendMsgBytes", "grpc-max-send-msg", "GRPC_MAX_SEND_MSG", "largest gRPC response message sent, in bytes", "int64", jen.Lit(16 << 20)},
		{"GRPCKeepaliveMinTime", "grpc-keepalive-min-time", "GRPC_KEEPALIVE_MIN_TIME", "shortest interval between client keepalive pings; a client pinging more often is disconnected", "duration", sec(10)},
		{"GRPCKeepaliveTime", "grpc-keepalive-time", "GRPC_KEEPALIVE_TIME", "idle time after which the server pings a gRPC client to check it is alive", "duration", sec(60)},
		{"GRPCKeepaliveTimeout", "grpc-keepalive-timeout", "GRPC_KEEPALIVE_TIMEOUT", "time a gRPC client has to answer a keepalive ping before its connection is closed", "duration", sec(20)},
		{"GRPCMaxConnectionAge", "grpc-max-connection-age", "GRPC_MAX_CONNECTION_AGE", "age at which a gRPC connection is gracefully closed so clients rebalance (0: never)", "duration", jen.Lit(0)},
	}
}

// serverSettings are the settings of the server of layout l: the gRPC ones,
// when gRPC is on, go after the HTTP ones.
func serverSettings(l Layout) []setting {
	all := settings()
	if l.NoOpenAPI {
		all = slices.DeleteFunc(all, func(s setting) bool { return s.Field == "OpenAPI" })
	}
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
		jen.Id("srv").Op(":=").Qual(pkgGRPC, "NewServer").Call(jen.Id("o").Dot("grpcServerOptions").Call(jen.Id("grpcConfigOptions").Call(jen.Id("cfg")).Op("...")).Op("...")),
		jen.Qual(l.PB.Path, "Register"+svc.GoName+"Server").Call(jen.Id("srv"), jen.Qual(l.Transport.Path, "NewGRPCServer").Call(append([]jen.Code{jen.Id("endpoints"), jen.Id("logger")}, mwServerOptions(l, "grpc")...)...)),
		jen.Id("hs").Op(":=").Qual(pkgGRPCHealth, "NewServer").Call(),
		jen.Id("hs").Dot("SetServingStatus").Call(jen.Lit(""), serving.Clone()),
		jen.Id("hs").Dot("SetServingStatus").Call(jen.Qual(l.PB.Path, svc.GoName+"_ServiceDesc").Dot("ServiceName"), serving.Clone()),
		jen.Qual(pkgHealthPB, "RegisterHealthServer").Call(jen.Id("srv"), jen.Id("hs")),
		jen.If(jen.Id("cfg").Dot("GRPCReflection")).Block(jen.Qual(pkgReflection, "Register").Call(jen.Id("srv"))),
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

// genGRPCServerOptions emits grpcConfigOptions, the gRPC server's options
// from Config.
func genGRPCServerOptions(f *jen.File) {
	cfg := func(field string) *jen.Statement { return jen.Id("cfg").Dot(field) }
	f.Comment("grpcConfigOptions are the gRPC server's options from cfg: a handshake")
	f.Comment("deadline (half-open connections are closed), a stream limit per connection,")
	f.Comment("message size limits, and keepalive enforcement and pings.")
	f.Func().Id("grpcConfigOptions").Params(jen.Id("cfg").Id("Config")).Index().Qual(pkgGRPC, "ServerOption").Block(
		jen.Return(jen.Index().Qual(pkgGRPC, "ServerOption").Values(multiline([]jen.Code{
			jen.Qual(pkgGRPC, "ConnectionTimeout").Call(cfg("GRPCConnectionTimeout")),
			jen.Qual(pkgGRPC, "MaxConcurrentStreams").Call(jen.Uint32().Call(cfg("GRPCMaxConcurrentStreams"))),
			jen.Qual(pkgGRPC, "MaxRecvMsgSize").Call(jen.Int().Call(cfg("GRPCMaxRecvMsgBytes"))),
			jen.Qual(pkgGRPC, "MaxSendMsgSize").Call(jen.Int().Call(cfg("GRPCMaxSendMsgBytes"))),
			jen.Qual(pkgGRPC, "KeepaliveEnforcementPolicy").Call(jen.Qual(pkgKeepalive, "EnforcementPolicy").Values(
				jen.Id("MinTime").Op(":").Add(cfg("GRPCKeepaliveMinTime")), jen.Id("PermitWithoutStream").Op(":").True(),
			)),
			jen.Qual(pkgGRPC, "KeepaliveParams").Call(jen.Qual(pkgKeepalive, "ServerParameters").Values(
				jen.Id("Time").Op(":").Add(cfg("GRPCKeepaliveTime")), jen.Id("Timeout").Op(":").Add(cfg("GRPCKeepaliveTimeout")),
				jen.Id("MaxConnectionAge").Op(":").Add(cfg("GRPCMaxConnectionAge")),
			)),
		})...)),
	)
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
