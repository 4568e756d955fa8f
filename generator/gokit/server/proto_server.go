package server

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/broker"
	"github.com/kitforge/kitforge/generator/gokit/middleware"
	"github.com/kitforge/kitforge/generator/gokit/sd"
	"github.com/kitforge/kitforge/generator/gokit/service"
	"github.com/kitforge/kitforge/generator/model"
)

// ProtoServer emits <out>/<name>server/server_gen.go for the proto services
// of a module: Config (the settings of every server, gRPC's included),
// Services, and Run, which builds each service's onion and serves them all:
// the HTTP/JSON transcoding routes, /healthz, /readyz and /metrics on one
// HTTP listener, and every service with the standard health service and
// server reflection on one gRPC listener.
func ProtoServer(name string, server gokit.Pkg, services []*gokit.ProtoService) ([]byte, error) {
	l := gokit.ProtoServerLayout(server, services)
	setProtoTransports(&l, services)
	f := gokit.NewFile(server)
	if l.NATS {
		f.ImportName(broker.NATSGo, "nats")
	}
	f.ImportAlias(gokit.PkgHealthPB, "healthpb")
	f.ImportName(gokit.PkgGRPC, "grpc")
	f.ImportName(gokit.PkgGRPCHealth, "health")
	f.ImportName(gokit.PkgReflection, "reflection")
	for _, ps := range services {
		pl := ps.Layout
		ps.ImportNames(f)
		for _, p := range []gokit.Pkg{pl.Service, pl.Endpoint, pl.Transport} {
			f.ImportName(p.Path, p.Name)
		}
	}
	if !services[0].Layout.NoGoGenerate {
		f.Comment(service.GoGenerateDirective)
		f.Line()
	}
	genConfig(f, &model.Service{Name: name}, l)

	fields := make([]jen.Code, 0, len(services))
	for _, ps := range services {
		fields = append(fields,
			jen.Comment(ps.Svc.GoName+" implements "+ps.FullName+"."),
			jen.Id(ps.Svc.GoName).Qual(ps.Layout.Service.Path, "Service"))
	}
	f.Comment("Services are the implementations Run serves, one per service of the .proto files.")
	f.Type().Id("Services").Struct(fields...)

	f.Comment(protoRunDoc(l, services))
	for _, line := range sd.DiscoveryRunDoc(l) {
		f.Comment(line)
	}
	f.Func().Id("Run").Params(
		jen.Id("ctx").Qual(gokit.PkgContext, "Context"),
		jen.Id("cfg").Id("Config"),
		jen.Id("services").Id("Services"),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("opts").Op("...").Id("Option"),
	).Error().Block(protoRunBody(l, services)...)

	genProbes(f)
	genShutdown(f)
	genServerTLS(f)
	genOptions(f, l.GRPC, true)
	if l.GRPC {
		genGRPCServerOptions(f)
		genStopGRPC(f)
		genDecodingServer(f)
	}
	if l.AMQP {
		broker.GenServeAMQPFor(f, name, broker.ProtoAMQPSubs(services))
	}
	return gokit.Render(f)
}

// protoRunBody is the body of Run.
func protoRunBody(l gokit.Layout, services []*gokit.ProtoService) []jen.Code {
	server := l.Server
	labels := jen.Index().String().Values(jen.Lit("method"), jen.Lit("outcome"))
	body := []jen.Code{
		optionsStart(),
	}
	body = append(body, tlsStart()...)
	for _, ps := range services {
		body = append(body, jen.If(jen.Id("services").Dot(ps.Svc.GoName).Op("==").Nil()).Block(
			jen.Return(jen.Qual(gokit.PkgErrors, "New").Call(jen.Lit(server.Name+".Run: Services."+ps.Svc.GoName+" is nil: set it in main.go"))),
		))
	}
	if len(l.Middleware) > 0 {
		body = append(body, jen.Line())
		body = append(body, middleware.MWRunSetup()...)
	}
	body = append(body, jen.Line(),
		jen.Id("reg").Op(":=").Id("o").Dot("registry"),
		jen.Id("reg").Dot("MustRegister").Call(
			jen.Qual(gokit.PromColl, "NewGoCollector").Call(),
			jen.Qual(gokit.PromColl, "NewProcessCollector").Call(jen.Qual(gokit.PromColl, "ProcessCollectorOpts").Values()),
		),
		jen.Id("mux").Op(":=").Qual(gokit.PkgHTTP, "NewServeMux").Call(),
	)
	body = append(body, shutdownStart()...)
	body = append(body,
		onGRPC(services,
			newGRPCServer("grpcServer"),
			jen.Id("hs").Op(":=").Qual(gokit.PkgGRPCHealth, "NewServer").Call(),
			jen.Id("hs").Dot("SetServingStatus").Call(jen.Lit(""), jen.Qual(gokit.PkgHealthPB, "HealthCheckResponse_SERVING")),
			jen.Id("shut").Dot("onBegin").Call(jen.Id("hs").Dot("Shutdown")),
		),
	)
	for _, ps := range services {
		body = append(body, protoServiceSetup(services, ps, labels)...)
	}
	// The first service's routes are tried first, then the next service's.
	last := services[len(services)-1]
	handler := jen.Id(gokit.ProtoVar(services, last, "handler"))
	for i := len(services) - 2; i >= 0; i-- {
		ps := services[i]
		handler = jen.Qual(ps.Layout.Transport.Path, "WithNextHTTPHandler").Call(jen.Id(gokit.ProtoVar(services, ps, "handler")), handler)
	}
	body = append(body,
		jen.Line(),
		onHTTP(services, jen.Id("mux").Dot("Handle").Call(jen.Lit("/"), jen.Qual(gokit.PkgHTTP, "MaxBytesHandler").Call(handler, jen.Id("cfg").Dot("HTTPMaxBodyBytes")))),
		onHTTP(services, jen.If(jen.Id("cfg").Dot("OpenAPI")).Block(jen.Id("mux").Dot("Handle").Call(jen.Lit("GET /openapi.json"), jen.Id("OpenAPIHandler").Call()))),
		jen.Id("mux").Dot("HandleFunc").Call(jen.Lit("GET /healthz"), jen.Id("healthz")),
		jen.Id("mux").Dot("Handle").Call(jen.Lit("GET /readyz"), jen.Id("readyz").Call(jen.Op("&").Id("ready"))),
		jen.Id("mux").Dot("Handle").Call(jen.Lit("GET /metrics"), jen.Qual(gokit.PromHTTP, "HandlerFor").Call(jen.Id("reg"), jen.Qual(gokit.PromHTTP, "HandlerOpts").Values())),
		onGRPC(services,
			jen.Qual(gokit.PkgHealthPB, "RegisterHealthServer").Call(jen.Id("grpcServer"), jen.Id("hs")),
			jen.If(jen.Id("cfg").Dot("GRPCReflection")).Block(jen.Qual(gokit.PkgReflection, "Register").Call(jen.Id("grpcServer"))),
		),
		jen.Line(),
		jen.Var().Id("g").Qual(gokit.OklogRun, "Group"),
		shutdownActor(),
		sd.DiscoveryHook(l),
		protoHTTPActor(),
		onGRPC(services, protoGRPCActor()),
		broker.ProtoNATSActor(services),
		broker.ProtoAMQPActor(services),
	)
	return append(body, runGroupEnd()...)
}

// protoServiceSetup builds one service's onion (logging and instrumenting
// middlewares, endpoints with panic recovery) and mounts it on both
// transports.
func protoServiceSetup(services []*gokit.ProtoService, ps *gokit.ProtoService, labels *jen.Statement) []jen.Code {
	l := ps.Layout
	v := func(name string) *jen.Statement { return jen.Id(gokit.ProtoVar(services, ps, name)) }
	ns := model.Snake(ps.Svc.Name)
	serving := jen.Qual(gokit.PkgHealthPB, "HealthCheckResponse_SERVING")
	return []jen.Code{
		jen.Line(),
		jen.Comment(ps.FullName + ", innermost first: the service, its logging and instrumenting"),
		jen.Comment("middlewares, the endpoints with panic recovery, then the transports."),
		v("requests").Op(":=").Qual(gokit.PromClient, "NewCounterVec").Call(jen.Qual(gokit.PromClient, "CounterOpts").Values(
			jen.Id("Namespace").Op(":").Lit(ns), jen.Id("Name").Op(":").Lit("requests_total"),
			jen.Id("Help").Op(":").Lit("Calls of "+ps.FullName+" rpcs, by method and outcome."),
		), labels.Clone()),
		v("latency").Op(":=").Qual(gokit.PromClient, "NewHistogramVec").Call(jen.Qual(gokit.PromClient, "HistogramOpts").Values(
			jen.Id("Namespace").Op(":").Lit(ns), jen.Id("Name").Op(":").Lit("request_duration_seconds"),
			jen.Id("Help").Op(":").Lit("Latency of "+ps.FullName+" rpcs, by method and outcome."),
			jen.Id("Buckets").Op(":").Qual(gokit.PromClient, "DefBuckets"),
		), labels.Clone()),
		jen.Id("reg").Dot("MustRegister").Call(v("requests"), v("latency")),
		v("svc").Op(":=").Qual(l.Service.Path, "LoggingMiddleware").Call(jen.Id("logger")).Call(jen.Id("services").Dot(ps.Svc.GoName)),
		v("svc").Op("=").Qual(l.Service.Path, "InstrumentingMiddleware").Call(
			jen.Qual(gokit.KitProm, "NewCounter").Call(v("requests")),
			jen.Qual(gokit.KitProm, "NewHistogram").Call(v("latency")),
		).Call(v("svc")),
		v("endpoints").Op(":=").Add(middleware.ProtoEndpoints(l, v("svc"))),
		onHTTP(services, v("handler").Op(":=").Qual(l.Transport.Path, "NewHTTPHandler").Call(append([]jen.Code{v("endpoints"), jen.Id("logger")}, middleware.MWServerOptions(l, "http")...)...)),
		gokit.When(len(gokit.HTTPStreams(ps.Svc)) > 0, []jen.Code{onHTTP(services, v("handler").Op("=").Qual(l.Transport.Path, "NewHTTPStreamHandler").Call(v("svc"), v("handler")))}),
		onGRPC(services,
			jen.Qual(l.PB.Path, "Register"+ps.Svc.GoName+"Server").Call(jen.Id("grpcServer"),
				jen.Qual(l.Transport.Path, "NewGRPCServer").Call(append([]jen.Code{v("endpoints"), v("svc"), jen.Id("logger")}, middleware.MWServerOptions(l, "grpc")...)...)),
			jen.Id("hs").Dot("SetServingStatus").Call(jen.Qual(l.PB.Path, ps.Svc.GoName+"_ServiceDesc").Dot("ServiceName"), serving),
		),
	}
}

// protoHTTPActor is the run group actor of the HTTP listener.
func protoHTTPActor() jen.Code {
	return jen.Block(
		jen.List(jen.Id("ln"), jen.Err()).Op(":=").Qual(gokit.PkgNet, "Listen").Call(jen.Lit("tcp"), jen.Id("cfg").Dot("HTTPAddr")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("http listener: %w"), jen.Err()))),
		jen.Id("srv").Op(":=").Op("&").Qual(gokit.PkgHTTP, "Server").Values(
			jen.Id("Handler").Op(":").Id("o").Dot("handler").Call(jen.Id("mux"), jen.Id("mux")),
			jen.Id("ReadHeaderTimeout").Op(":").Id("cfg").Dot("HTTPReadHeaderTimeout"),
			jen.Id("ReadTimeout").Op(":").Id("cfg").Dot("HTTPReadTimeout"),
			jen.Id("WriteTimeout").Op(":").Id("cfg").Dot("HTTPWriteTimeout"),
			jen.Id("IdleTimeout").Op(":").Id("cfg").Dot("HTTPIdleTimeout"),
			jen.Id("TLSConfig").Op(":").Id("tlsConfig"),
		),
		httpDrain(),
		httpActor(),
	)
}

// protoGRPCActor is the run group actor of the gRPC listener.
func protoGRPCActor() jen.Code {
	return jen.Block(
		jen.List(jen.Id("ln"), jen.Err()).Op(":=").Qual(gokit.PkgNet, "Listen").Call(jen.Lit("tcp"), jen.Id("cfg").Dot("GRPCAddr")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("grpc listener: %w"), jen.Err()))),
		grpcDrain("grpcServer"),
		jen.Id("g").Dot("Add").Call(
			jen.Func().Params().Error().Block(
				jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("transport"), jen.Lit("gRPC"), jen.Lit("addr"), jen.Id("ln").Dot("Addr").Call().Dot("String").Call()),
				jen.Return(jen.Id("grpcServer").Dot("Serve").Call(jen.Id("ln"))),
			),
			jen.Func().Params(jen.Error()).Block(jen.Id("shut").Dot("drain").Call()),
		),
	)
}

// setProtoTransports sets the transports of the server of proto services
// from theirs (every service of a module has the same).
func setProtoTransports(l *gokit.Layout, services []*gokit.ProtoService) {
	l.GRPC, l.NATS, l.AMQP = services[0].Layout.GRPC, services[0].Layout.NATS, services[0].Layout.AMQP
	l.NoOpenAPI = !services[0].HTTP
}

// onHTTP is code, one statement per line, when the proto services have the
// HTTP/JSON transport, and nothing when they do not.
func onHTTP(services []*gokit.ProtoService, code ...jen.Code) jen.Code {
	return gokit.When(services[0].HTTP, code)
}

// onGRPC is code, one statement per line, when the proto services have the
// gRPC transport, and nothing when they do not.
func onGRPC(services []*gokit.ProtoService, code ...jen.Code) jen.Code {
	return gokit.When(services[0].Layout.GRPC, code)
}

// protoRunDoc is the doc comment of Run for proto services, which says what
// each transport serves.
func protoRunDoc(l gokit.Layout, services []*gokit.ProtoService) string {
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
		doc += "\n//\n" + broker.ProtoAMQPRunDoc(services)
	}
	return doc
}
