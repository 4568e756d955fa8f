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

// serverSettings are the settings of the server of layout l: TLS, then the
// gRPC ones when gRPC is on, go after the HTTP ones.
func serverSettings(l Layout) []setting {
	all := settings()
	if l.NoOpenAPI {
		all = slices.DeleteFunc(all, func(s setting) bool { return s.Field == "OpenAPI" })
	}
	extra := tlsSettings()
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
		newGRPCServer("srv"),
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
		jen.Id("stopGRPC").Call(jen.Id("ctx"), jen.Id(srv).Dot("Server")),
	))
}

// genGRPCServerOptions emits grpcConfigOptions, the gRPC server's options
// from Config.
func genGRPCServerOptions(f *jen.File) {
	cfg := func(field string) *jen.Statement { return jen.Id("cfg").Dot(field) }
	f.Comment("grpcConfigOptions are the gRPC server's options from cfg: a handshake")
	f.Comment("deadline (half-open connections are closed), a stream limit per connection,")
	f.Comment("message size limits, keepalive enforcement and pings, and TLS with tlsConfig")
	f.Comment("when it is not nil.")
	f.Func().Id("grpcConfigOptions").Params(jen.Id("cfg").Id("Config"), jen.Id("tlsConfig").Op("*").Qual(pkgTLS, "Config")).Index().Qual(pkgGRPC, "ServerOption").Block(
		jen.Id("opts").Op(":=").Index().Qual(pkgGRPC, "ServerOption").Values(multiline([]jen.Code{
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
		})...),
		jen.If(jen.Id("tlsConfig").Op("!=").Nil()).Block(
			jen.Id("opts").Op("=").Append(jen.Id("opts"), jen.Qual(pkgGRPC, "Creds").Call(jen.Qual(pkgCredentials, "NewTLS").Call(jen.Id("tlsConfig")))),
		),
		jen.Return(jen.Id("opts")),
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

// Import paths of grpc-go's codec packages.
const (
	pkgGRPCEncoding = "google.golang.org/grpc/encoding"
	pkgGRPCMem      = "google.golang.org/grpc/mem"
)

// newGRPCServer is the statement that creates the decodingServer named srv
// with Config's and the options' gRPC server options.
func newGRPCServer(srv string) jen.Code {
	return jen.Id(srv).Op(":=").Id("newDecodingServer").Call(jen.Id("o").Dot("grpcServerOptions").Call(jen.Id("grpcConfigOptions").Call(jen.Id("cfg"), jen.Id("tlsConfig")).Op("...")).Op("..."))
}

// genDecodingServer emits decodingServer, the gRPC server that answers a
// request message that does not unmarshal (invalid UTF-8 in a proto3
// string, malformed wire data) with InvalidArgument rather than grpc-go's
// Internal. grpc-go writes the status of a failed unmarshal itself, before
// any interceptor or handler can change it, and keeps only the text of the
// codec's error; so the codec records the failure and succeeds, and the
// handlers, wrapped at registration, answer it.
func genDecodingServer(f *jen.File) {
	failed := jen.Op("*").Qual(pkgSync, "Map")
	f.Comment("decodingServer is a gRPC server on which a request message that does not")
	f.Comment("unmarshal (invalid UTF-8 in a string, malformed wire data), the client's")
	f.Comment("mistake, answers InvalidArgument rather than grpc-go's Internal: its codec")
	f.Comment("records the failure in failed, keyed by the message, and the handlers of the")
	f.Comment("services registered on it answer it.")
	f.Type().Id("decodingServer").Struct(
		jen.Op("*").Qual(pkgGRPC, "Server"),
		jen.Id("failed").Add(failed.Clone()),
	)

	f.Comment("newDecodingServer returns a decodingServer with opts; a codec among opts")
	f.Comment("replaces the recording one.")
	f.Func().Id("newDecodingServer").Params(jen.Id("opts").Op("...").Qual(pkgGRPC, "ServerOption")).Id("decodingServer").Block(
		jen.Id("failed").Op(":=").Op("&").Qual(pkgSync, "Map").Values(),
		jen.Id("codec").Op(":=").Id("recordingCodec").Values(jen.Qual(pkgGRPCEncoding, "GetCodecV2").Call(jen.Lit("proto")), jen.Id("failed")),
		jen.Id("opts").Op("=").Append(jen.Index().Qual(pkgGRPC, "ServerOption").Values(jen.Qual(pkgGRPC, "ForceServerCodecV2").Call(jen.Id("codec"))), jen.Id("opts").Op("...")),
		jen.Return(jen.Id("decodingServer").Values(jen.Qual(pkgGRPC, "NewServer").Call(jen.Id("opts").Op("...")), jen.Id("failed"))),
	)

	f.Comment("RegisterService registers impl as desc, with desc's handlers answering")
	f.Comment("InvalidArgument to a request message that did not unmarshal.")
	f.Func().Params(jen.Id("s").Id("decodingServer")).Id("RegisterService").Params(jen.Id("desc").Op("*").Qual(pkgGRPC, "ServiceDesc"), jen.Id("impl").Any()).Block(
		jen.Id("d").Op(":=").Op("*").Id("desc"),
		jen.Id("d").Dot("Methods").Op("=").Make(jen.Index().Qual(pkgGRPC, "MethodDesc"), jen.Len(jen.Id("desc").Dot("Methods"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("m")).Op(":=").Range().Id("desc").Dot("Methods")).Block(
			jen.Id("handle").Op(":=").Id("m").Dot("Handler"),
			jen.Id("m").Dot("Handler").Op("=").Func().Params(
				jen.Id("srv").Any(), jen.Id("ctx").Qual(pkgContext, "Context"), jen.Id("dec").Func().Params(jen.Any()).Error(), jen.Id("interceptor").Qual(pkgGRPC, "UnaryServerInterceptor"),
			).Params(jen.Any(), jen.Error()).Block(
				jen.Return(jen.Id("handle").Call(jen.Id("srv"), jen.Id("ctx"), jen.Func().Params(jen.Id("v").Any()).Error().Block(
					jen.Return(jen.Id("s").Dot("decoded").Call(jen.Id("v"), jen.Id("dec").Call(jen.Id("v")))),
				), jen.Id("interceptor"))),
			),
			jen.Id("d").Dot("Methods").Index(jen.Id("i")).Op("=").Id("m"),
		),
		jen.Id("d").Dot("Streams").Op("=").Make(jen.Index().Qual(pkgGRPC, "StreamDesc"), jen.Len(jen.Id("desc").Dot("Streams"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("sd")).Op(":=").Range().Id("desc").Dot("Streams")).Block(
			jen.Id("handle").Op(":=").Id("sd").Dot("Handler"),
			jen.Id("sd").Dot("Handler").Op("=").Func().Params(jen.Id("srv").Any(), jen.Id("stream").Qual(pkgGRPC, "ServerStream")).Error().Block(
				jen.Return(jen.Id("handle").Call(jen.Id("srv"), jen.Id("decodingStream").Values(jen.Id("stream"), jen.Id("s")))),
			),
			jen.Id("d").Dot("Streams").Index(jen.Id("i")).Op("=").Id("sd"),
		),
		jen.Id("s").Dot("Server").Dot("RegisterService").Call(jen.Op("&").Id("d"), jen.Id("impl")),
	)

	f.Comment("decoded returns err, or InvalidArgument when the codec could not unmarshal v.")
	f.Func().Params(jen.Id("s").Id("decodingServer")).Id("decoded").Params(jen.Id("v").Any(), jen.Err().Error()).Error().Block(
		jen.If(jen.List(jen.Id("failure"), jen.Id("ok")).Op(":=").Id("s").Dot("failed").Dot("LoadAndDelete").Call(jen.Id("v")), jen.Id("ok")).Block(
			jen.Return(jen.Qual(pkgGRPCStatus, "Errorf").Call(jen.Qual(pkgGRPCCodes, "InvalidArgument"), jen.Lit("request message: %v"), jen.Id("failure"))),
		),
		jen.Return(jen.Err()),
	)

	f.Comment("decodingStream is a server stream whose messages that do not unmarshal answer")
	f.Comment("InvalidArgument.")
	f.Type().Id("decodingStream").Struct(jen.Qual(pkgGRPC, "ServerStream"), jen.Id("s").Id("decodingServer"))
	f.Comment("RecvMsg receives the next message of the stream into m.")
	f.Func().Params(jen.Id("ds").Id("decodingStream")).Id("RecvMsg").Params(jen.Id("m").Any()).Error().Block(
		jen.Return(jen.Id("ds").Dot("s").Dot("decoded").Call(jen.Id("m"), jen.Id("ds").Dot("ServerStream").Dot("RecvMsg").Call(jen.Id("m")))),
	)

	f.Comment("recordingCodec is grpc-go's protobuf codec, except that a message that does")
	f.Comment("not unmarshal is recorded in failed rather than returned as an error.")
	f.Type().Id("recordingCodec").Struct(
		jen.Qual(pkgGRPCEncoding, "CodecV2"),
		jen.Id("failed").Add(failed.Clone()),
	)
	f.Comment("Unmarshal unmarshals data into v, recording a failure.")
	f.Func().Params(jen.Id("c").Id("recordingCodec")).Id("Unmarshal").Params(jen.Id("data").Qual(pkgGRPCMem, "BufferSlice"), jen.Id("v").Any()).Error().Block(
		jen.If(jen.Err().Op(":=").Id("c").Dot("CodecV2").Dot("Unmarshal").Call(jen.Id("data"), jen.Id("v")), jen.Err().Op("!=").Nil()).Block(
			jen.Id("c").Dot("failed").Dot("Store").Call(jen.Id("v"), jen.Err()),
		),
		jen.Return(jen.Nil()),
	)
}
