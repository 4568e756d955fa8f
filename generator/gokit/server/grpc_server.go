package server

import (
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/broker"
	"github.com/kitforge/kitforge/generator/gokit/middleware"
	"github.com/kitforge/kitforge/generator/gokit/sd"
	"github.com/kitforge/kitforge/generator/model"
)

// pkgKeepalive is grpc-go's keepalive package.
const pkgKeepalive = "google.golang.org/grpc/keepalive"

// grpcSettings are the server settings the gRPC transport adds.
func grpcSettings() []gokit.Setting {
	sec := func(n int) jen.Code { return jen.Lit(n).Op("*").Qual(gokit.PkgTime, "Second") }
	return []gokit.Setting{
		{Field: "GRPCAddr", Flag: "grpc-addr", Env: "GRPC_ADDR", Usage: "gRPC listen address", Kind: "string", Default: jen.Lit(":8081")},
		{Field: "GRPCReflection", Flag: "grpc-reflection", Env: "GRPC_REFLECTION", Usage: "switch of gRPC server reflection, which grpcurl list and describe use (-grpc-reflection=false turns it off)", Kind: "bool", Default: jen.True()},
		{Field: "GRPCConnectionTimeout", Flag: "grpc-connection-timeout", Env: "GRPC_CONNECTION_TIMEOUT", Usage: "time a new gRPC connection has to complete its handshake (HTTP/2 preface, TLS)", Kind: "duration", Default: sec(5)},
		{Field: "GRPCMaxConcurrentStreams", Flag: "grpc-max-concurrent-streams", Env: "GRPC_MAX_CONCURRENT_STREAMS", Usage: "most concurrent gRPC calls on one connection (more wait for a free stream)", Kind: "int64", Default: jen.Lit(100)},
		{Field: "GRPCMaxRecvMsgBytes", Flag: "grpc-max-recv-msg", Env: "GRPC_MAX_RECV_MSG", Usage: "largest accepted gRPC request message, in bytes", Kind: "int64", Default: jen.Lit(4 << 20)},
		{Field: "GRPCMaxSendMsgBytes", Flag: "grpc-max-send-msg", Env: "GRPC_MAX_SEND_MSG", Usage: "largest gRPC response message sent, in bytes", Kind: "int64", Default: jen.Lit(16 << 20)},
		{Field: "GRPCKeepaliveMinTime", Flag: "grpc-keepalive-min-time", Env: "GRPC_KEEPALIVE_MIN_TIME", Usage: "shortest interval between client keepalive pings; a client pinging more often is disconnected", Kind: "duration", Default: sec(10)},
		{Field: "GRPCKeepaliveTime", Flag: "grpc-keepalive-time", Env: "GRPC_KEEPALIVE_TIME", Usage: "idle time after which the server pings a gRPC client to check it is alive", Kind: "duration", Default: sec(60)},
		{Field: "GRPCKeepaliveTimeout", Flag: "grpc-keepalive-timeout", Env: "GRPC_KEEPALIVE_TIMEOUT", Usage: "time a gRPC client has to answer a keepalive ping before its connection is closed", Kind: "duration", Default: sec(20)},
		{Field: "GRPCMaxConnectionAge", Flag: "grpc-max-connection-age", Env: "GRPC_MAX_CONNECTION_AGE", Usage: "age at which a gRPC connection is gracefully closed so clients rebalance (0: never)", Kind: "duration", Default: jen.Lit(0)},
	}
}

// serverSettings are the settings of the server of layout l: TLS, then the
// gRPC ones when gRPC is on, go after the HTTP ones.
func serverSettings(l gokit.Layout) []gokit.Setting {
	all := settings()
	if l.NoOpenAPI {
		all = slices.DeleteFunc(all, func(s gokit.Setting) bool { return s.Field == "OpenAPI" })
	}
	extra := tlsSettings()
	if l.GRPC {
		extra = append(extra, grpcSettings()...)
	}
	if l.NATS {
		extra = append(extra, broker.NATSSettings()...)
	}
	if l.AMQP {
		extra = append(extra, broker.AMQPSettings()...)
	}
	extra = append(extra, middleware.MWSettings(l)...)
	extra = append(extra, sd.DiscoverySettings(l)...)
	at := len(all)
	for i, s := range all {
		if s.Field == "ShutdownTimeout" {
			at = i
		}
	}
	return append(all[:at:at], append(extra, all[at:]...)...)
}

// grpcServerImports names the packages the gRPC listener uses.
func grpcServerImports(f *jen.File, l gokit.Layout) {
	f.ImportName(l.PB.Path, l.PB.Name)
	f.ImportAlias(gokit.PkgHealthPB, "healthpb")
	f.ImportName(gokit.PkgGRPC, "grpc")
	f.ImportName(gokit.PkgGRPCHealth, "health")
	f.ImportName(gokit.PkgReflection, "reflection")
}

// grpcActor is the run group actor of the gRPC listener: the service, the
// standard health service (SERVING until shutdown begins) and server
// reflection on cfg.GRPCAddr, stopped gracefully. The proto service is
// named after the interface's service (svc.GoName), as protoschema names it.
func grpcActor(svc *model.Service, l gokit.Layout) jen.Code {
	serving := jen.Qual(gokit.PkgHealthPB, "HealthCheckResponse_SERVING")
	return jen.Block(
		jen.List(jen.Id("ln"), jen.Err()).Op(":=").Qual(gokit.PkgNet, "Listen").Call(jen.Lit("tcp"), jen.Id("cfg").Dot("GRPCAddr")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("grpc listener: %w"), jen.Err()))),
		newGRPCServer("srv"),
		jen.Qual(l.PB.Path, "Register"+svc.GoName+"Server").Call(jen.Id("srv"), jen.Qual(l.Transport.Path, "NewGRPCServer").Call(append([]jen.Code{jen.Id("endpoints"), jen.Id("logger")}, middleware.MWServerOptions(l, "grpc")...)...)),
		jen.Id("hs").Op(":=").Qual(gokit.PkgGRPCHealth, "NewServer").Call(),
		jen.Id("hs").Dot("SetServingStatus").Call(jen.Lit(""), serving.Clone()),
		jen.Id("hs").Dot("SetServingStatus").Call(jen.Qual(l.PB.Path, svc.GoName+"_ServiceDesc").Dot("ServiceName"), serving.Clone()),
		jen.Qual(gokit.PkgHealthPB, "RegisterHealthServer").Call(jen.Id("srv"), jen.Id("hs")),
		jen.If(jen.Id("cfg").Dot("GRPCReflection")).Block(jen.Qual(gokit.PkgReflection, "Register").Call(jen.Id("srv"))),
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
	return jen.Id("shut").Dot("onDrain").Call(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context")).Block(
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
	f.Func().Id("grpcConfigOptions").Params(jen.Id("cfg").Id("Config"), jen.Id("tlsConfig").Op("*").Qual(gokit.PkgTLS, "Config")).Index().Qual(gokit.PkgGRPC, "ServerOption").Block(
		jen.Id("opts").Op(":=").Index().Qual(gokit.PkgGRPC, "ServerOption").Values(gokit.Multiline([]jen.Code{
			jen.Qual(gokit.PkgGRPC, "ConnectionTimeout").Call(cfg("GRPCConnectionTimeout")),
			jen.Qual(gokit.PkgGRPC, "MaxConcurrentStreams").Call(jen.Uint32().Call(cfg("GRPCMaxConcurrentStreams"))),
			jen.Qual(gokit.PkgGRPC, "MaxRecvMsgSize").Call(jen.Int().Call(cfg("GRPCMaxRecvMsgBytes"))),
			jen.Qual(gokit.PkgGRPC, "MaxSendMsgSize").Call(jen.Int().Call(cfg("GRPCMaxSendMsgBytes"))),
			jen.Qual(gokit.PkgGRPC, "KeepaliveEnforcementPolicy").Call(jen.Qual(pkgKeepalive, "EnforcementPolicy").Values(
				jen.Id("MinTime").Op(":").Add(cfg("GRPCKeepaliveMinTime")), jen.Id("PermitWithoutStream").Op(":").True(),
			)),
			jen.Qual(gokit.PkgGRPC, "KeepaliveParams").Call(jen.Qual(pkgKeepalive, "ServerParameters").Values(
				jen.Id("Time").Op(":").Add(cfg("GRPCKeepaliveTime")), jen.Id("Timeout").Op(":").Add(cfg("GRPCKeepaliveTimeout")),
				jen.Id("MaxConnectionAge").Op(":").Add(cfg("GRPCMaxConnectionAge")),
			)),
		})...),
		jen.If(jen.Id("tlsConfig").Op("!=").Nil()).Block(
			jen.Id("opts").Op("=").Append(jen.Id("opts"), jen.Qual(gokit.PkgGRPC, "Creds").Call(jen.Qual(gokit.PkgCredentials, "NewTLS").Call(jen.Id("tlsConfig")))),
		),
		jen.Return(jen.Id("opts")),
	)
}

// genStopGRPC emits stopGRPC, the graceful stop of the gRPC server.
func genStopGRPC(f *jen.File) {
	f.Comment("stopGRPC stops srv gracefully: it stops accepting calls and waits for the")
	f.Comment("running ones until ctx ends, then closes every connection.")
	f.Func().Id("stopGRPC").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("srv").Op("*").Qual(gokit.PkgGRPC, "Server")).Block(
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
	failed := jen.Op("*").Qual(gokit.PkgSync, "Map")
	f.Comment("decodingServer is a gRPC server on which a request message that does not")
	f.Comment("unmarshal (invalid UTF-8 in a string, malformed wire data), the client's")
	f.Comment("mistake, answers InvalidArgument rather than grpc-go's Internal: its codec")
	f.Comment("records the failure in failed, keyed by the message, and the handlers of the")
	f.Comment("services registered on it answer it.")
	f.Type().Id("decodingServer").Struct(
		jen.Op("*").Qual(gokit.PkgGRPC, "Server"),
		jen.Id("failed").Add(failed.Clone()),
	)

	f.Comment("newDecodingServer returns a decodingServer with opts; a codec among opts")
	f.Comment("replaces the recording one.")
	f.Func().Id("newDecodingServer").Params(jen.Id("opts").Op("...").Qual(gokit.PkgGRPC, "ServerOption")).Id("decodingServer").Block(
		jen.Id("failed").Op(":=").Op("&").Qual(gokit.PkgSync, "Map").Values(),
		jen.Id("codec").Op(":=").Id("recordingCodec").Values(jen.Qual(pkgGRPCEncoding, "GetCodecV2").Call(jen.Lit("proto")), jen.Id("failed")),
		jen.Id("opts").Op("=").Append(jen.Index().Qual(gokit.PkgGRPC, "ServerOption").Values(jen.Qual(gokit.PkgGRPC, "ForceServerCodecV2").Call(jen.Id("codec"))), jen.Id("opts").Op("...")),
		jen.Return(jen.Id("decodingServer").Values(jen.Qual(gokit.PkgGRPC, "NewServer").Call(jen.Id("opts").Op("...")), jen.Id("failed"))),
	)

	f.Comment("RegisterService registers impl as desc, with desc's handlers answering")
	f.Comment("InvalidArgument to a request message that did not unmarshal.")
	f.Func().Params(jen.Id("s").Id("decodingServer")).Id("RegisterService").Params(jen.Id("desc").Op("*").Qual(gokit.PkgGRPC, "ServiceDesc"), jen.Id("impl").Any()).Block(
		jen.Id("d").Op(":=").Op("*").Id("desc"),
		jen.Id("d").Dot("Methods").Op("=").Make(jen.Index().Qual(gokit.PkgGRPC, "MethodDesc"), jen.Len(jen.Id("desc").Dot("Methods"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("m")).Op(":=").Range().Id("desc").Dot("Methods")).Block(
			jen.Id("handle").Op(":=").Id("m").Dot("Handler"),
			jen.Id("m").Dot("Handler").Op("=").Func().Params(
				jen.Id("srv").Any(), jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("dec").Func().Params(jen.Any()).Error(), jen.Id("interceptor").Qual(gokit.PkgGRPC, "UnaryServerInterceptor"),
			).Params(jen.Any(), jen.Error()).Block(
				jen.Return(jen.Id("handle").Call(jen.Id("srv"), jen.Id("ctx"), jen.Func().Params(jen.Id("v").Any()).Error().Block(
					jen.Return(jen.Id("s").Dot("decoded").Call(jen.Id("v"), jen.Id("dec").Call(jen.Id("v")))),
				), jen.Id("interceptor"))),
			),
			jen.Id("d").Dot("Methods").Index(jen.Id("i")).Op("=").Id("m"),
		),
		jen.Id("d").Dot("Streams").Op("=").Make(jen.Index().Qual(gokit.PkgGRPC, "StreamDesc"), jen.Len(jen.Id("desc").Dot("Streams"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("sd")).Op(":=").Range().Id("desc").Dot("Streams")).Block(
			jen.Id("handle").Op(":=").Id("sd").Dot("Handler"),
			jen.Id("sd").Dot("Handler").Op("=").Func().Params(jen.Id("srv").Any(), jen.Id("stream").Qual(gokit.PkgGRPC, "ServerStream")).Error().Block(
				jen.Return(jen.Id("handle").Call(jen.Id("srv"), jen.Id("decodingStream").Values(jen.Id("stream"), jen.Id("s")))),
			),
			jen.Id("d").Dot("Streams").Index(jen.Id("i")).Op("=").Id("sd"),
		),
		jen.Id("s").Dot("Server").Dot("RegisterService").Call(jen.Op("&").Id("d"), jen.Id("impl")),
	)

	f.Comment("decoded returns err, or InvalidArgument when the codec could not unmarshal v.")
	f.Func().Params(jen.Id("s").Id("decodingServer")).Id("decoded").Params(jen.Id("v").Any(), jen.Err().Error()).Error().Block(
		jen.If(jen.List(jen.Id("failure"), jen.Id("ok")).Op(":=").Id("s").Dot("failed").Dot("LoadAndDelete").Call(jen.Id("v")), jen.Id("ok")).Block(
			jen.Return(jen.Qual(gokit.PkgGRPCStatus, "Errorf").Call(jen.Qual(gokit.PkgGRPCCodes, "InvalidArgument"), jen.Lit("request message: %v"), jen.Id("failure"))),
		),
		jen.Return(jen.Err()),
	)

	f.Comment("decodingStream is a server stream whose messages that do not unmarshal answer")
	f.Comment("InvalidArgument.")
	f.Type().Id("decodingStream").Struct(jen.Qual(gokit.PkgGRPC, "ServerStream"), jen.Id("s").Id("decodingServer"))
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
