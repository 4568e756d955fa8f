package server

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/broker"
	"github.com/kitforge/kitforge/generator/gokit/middleware"
	"github.com/kitforge/kitforge/generator/gokit/sd"
	"github.com/kitforge/kitforge/generator/model"
)

// settings lists the server's settings in the order flags are registered.
func settings() []gokit.Setting {
	sec := func(n int) jen.Code { return jen.Lit(n).Op("*").Qual(gokit.PkgTime, "Second") }
	all := []gokit.Setting{
		{Field: "HTTPAddr", Flag: "http-addr", Env: "HTTP_ADDR", Usage: "HTTP listen address", Kind: "string", Default: jen.Lit(":8080")},
		{Field: "HTTPMaxBodyBytes", Flag: "http-max-body", Env: "HTTP_MAX_BODY", Usage: "largest accepted HTTP request body, in bytes", Kind: "int64", Default: jen.Lit(1 << 20)},
		{Field: "HTTPReadHeaderTimeout", Flag: "http-read-header-timeout", Env: "HTTP_READ_HEADER_TIMEOUT", Usage: "time allowed to read request headers", Kind: "duration", Default: sec(5)},
		{Field: "HTTPReadTimeout", Flag: "http-read-timeout", Env: "HTTP_READ_TIMEOUT", Usage: "time allowed to read a whole request", Kind: "duration", Default: sec(30)},
		{Field: "HTTPWriteTimeout", Flag: "http-write-timeout", Env: "HTTP_WRITE_TIMEOUT", Usage: "time allowed to write a response", Kind: "duration", Default: sec(30)},
		{Field: "HTTPIdleTimeout", Flag: "http-idle-timeout", Env: "HTTP_IDLE_TIMEOUT", Usage: "how long idle keep-alive connections stay open", Kind: "duration", Default: sec(120)},
		{Field: "OpenAPI", Flag: "openapi", Env: "OPENAPI", Usage: "switch of GET /openapi.json, the OpenAPI document (-openapi=false turns it off)", Kind: "bool", Default: jen.True()},
	}
	all = append(all, shutdownSettings()...)
	return append(all,
		gokit.Setting{Field: "HealthCheck", Flag: "healthcheck", Env: "", Usage: "probe /healthz of the server at -http-addr and exit 0 if healthy (for Docker HEALTHCHECK)", Kind: "bool", Default: jen.False()},
	)
}

// Server emits <out>/<name>server/server_gen.go: Config with flags and
// environment variables, and Run, which builds the middleware onion and
// serves every transport until SIGINT or SIGTERM (addsvc's cmd/addsvc).
func Server(svc *model.Service, l gokit.Layout) ([]byte, error) {
	f := l.NewFile(l.Server)
	f.ImportName(l.Endpoint.Path, l.Endpoint.Name)
	f.ImportName(l.Transport.Path, l.Transport.Name)
	if l.GRPC {
		grpcServerImports(f, l)
	}
	if l.NATS {
		f.ImportName(broker.NATSGo, "nats")
	}
	genConfig(f, svc, l)
	genRun(f, svc, l)
	genShutdown(f)
	genServerTLS(f)
	genOptions(f, l.GRPC, l.GRPC)
	if l.GRPC {
		genGRPCServerOptions(f)
		genStopGRPC(f)
		genDecodingServer(f)
	}
	if l.AMQP {
		broker.GenServeAMQP(f, svc, l)
	}
	return gokit.Render(f)
}

func genConfig(f *jen.File, svc *model.Service, l gokit.Layout) {
	fields := []jen.Code{}
	defaults := []jen.Code{}
	register := []jen.Code{}
	for _, s := range serverSettings(l) {
		usage, doc := s.Usage+" (env "+s.Env+")", s.Field+" is the "+s.Usage+" (flag -"+s.Flag+", env "+s.Env+")."
		if s.Env == "" { // a mode, not a setting: never from the environment
			usage, doc = s.Usage, s.Field+" asks Run to "+s.Usage+" (flag -"+s.Flag+")."
		}
		fields = append(fields, jen.Comment(doc))
		var fn string
		switch s.Kind {
		case "string":
			fields = append(fields, jen.Id(s.Field).String())
			fn = "StringVar"
		case "int64":
			fields = append(fields, jen.Id(s.Field).Int64())
			fn = "Int64Var"
		case "duration":
			fields = append(fields, jen.Id(s.Field).Qual(gokit.PkgTime, "Duration"))
			fn = "DurationVar"
		case "bool":
			fields = append(fields, jen.Id(s.Field).Bool())
			fn = "BoolVar"
		case "float64":
			fields = append(fields, jen.Id(s.Field).Float64())
			fn = "Float64Var"
		}
		defaults = append(defaults, jen.Id(s.Field).Op(":").Add(s.Default))
		register = append(register, jen.Id("fs").Dot(fn).Call(jen.Op("&").Id("c").Dot(s.Field), jen.Lit(s.Flag), jen.Id("c").Dot(s.Field), jen.Lit(usage)))
	}
	f.Comment("Config holds the settings of a " + svc.Name + " server. Start from DefaultConfig.")
	f.Type().Id("Config").Struct(fields...)

	f.Comment("DefaultConfig returns safe defaults: bounded header, read, write and idle")
	f.Comment("timeouts, a 1 MiB request body limit and a 15 s graceful shutdown.")
	f.Func().Id("DefaultConfig").Params().Id("Config").Block(jen.Return(jen.Id("Config").Values(gokit.Multiline(defaults)...)))

	envs := []jen.Code{}
	for _, s := range serverSettings(l) {
		if s.Env != "" {
			envs = append(envs, jen.Values(jen.Lit(s.Flag), jen.Lit(s.Env)))
		}
	}
	f.Comment("envVars maps each flag to the environment variable that can set it.")
	f.Var().Id("envVars").Op("=").Index().Index(jen.Lit(2)).String().Values(gokit.Multiline(envs)...)

	f.Comment("Parse registers c's settings as flags on fs, applies the environment")
	f.Comment("variables, then parses args; flags win over the environment, which wins over")
	f.Comment("the values already in c. A malformed value is reported like a bad flag.")
	f.Func().Params(jen.Id("c").Op("*").Id("Config")).Id("Parse").Params(jen.Id("fs").Op("*").Qual(gokit.PkgFlag, "FlagSet"), jen.Id("args").Index().String()).Error().Block(
		append(register,
			jen.For(jen.List(jen.Id("_"), jen.Id("fe")).Op(":=").Range().Id("envVars")).Block(
				jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Qual(gokit.PkgOS, "LookupEnv").Call(jen.Id("fe").Index(jen.Lit(1))), jen.Id("ok")).Block(
					jen.If(jen.Err().Op(":=").Id("fs").Dot("Set").Call(jen.Id("fe").Index(jen.Lit(0)), jen.Id("v")), jen.Err().Op("!=").Nil()).Block(
						jen.Return(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("environment variable %s: %w"), jen.Id("fe").Index(jen.Lit(1)), jen.Err())),
					),
				),
			),
			jen.Return(jen.Id("fs").Dot("Parse").Call(jen.Id("args"))),
		)...,
	)
}

func genRun(f *jen.File, svc *model.Service, l gokit.Layout) {
	ns := model.Snake(svc.Name)
	labels := jen.Index().String().Values(jen.Lit("method"), jen.Lit("outcome"))
	body := []jen.Code{
		optionsStart(),
	}
	body = append(body, tlsStart()...)
	body = append(body, jen.Line())
	if len(l.Middleware) > 0 {
		body = append(body, middleware.MWRunSetup()...)
	}
	body = append(body,
		jen.Id("reg").Op(":=").Id("o").Dot("registry"),
		jen.Id("requests").Op(":=").Qual(gokit.PromClient, "NewCounterVec").Call(jen.Qual(gokit.PromClient, "CounterOpts").Values(
			jen.Id("Namespace").Op(":").Lit(ns), jen.Id("Name").Op(":").Lit("requests_total"),
			jen.Id("Help").Op(":").Lit("Calls of "+svc.Name+" methods, by method and outcome."),
		), labels.Clone()),
		jen.Id("latency").Op(":=").Qual(gokit.PromClient, "NewHistogramVec").Call(jen.Qual(gokit.PromClient, "HistogramOpts").Values(
			jen.Id("Namespace").Op(":").Lit(ns), jen.Id("Name").Op(":").Lit("request_duration_seconds"),
			jen.Id("Help").Op(":").Lit("Latency of "+svc.Name+" methods, by method and outcome."),
			jen.Id("Buckets").Op(":").Qual(gokit.PromClient, "DefBuckets"),
		), labels.Clone()),
		jen.Id("reg").Dot("MustRegister").Call(
			jen.Id("requests"), jen.Id("latency"),
			jen.Qual(gokit.PromColl, "NewGoCollector").Call(),
			jen.Qual(gokit.PromColl, "NewProcessCollector").Call(jen.Qual(gokit.PromColl, "ProcessCollectorOpts").Values()),
		),
		jen.Line(),
		middleware.OnionComment(l),
		jen.Id("svc").Op("=").Add(l.ServiceIdent("LoggingMiddleware")).Call(jen.Id("logger")).Call(jen.Id("svc")),
		jen.Id("svc").Op("=").Add(l.ServiceIdent("InstrumentingMiddleware")).Call(jen.Id("requests"), jen.Id("latency")).Call(jen.Id("svc")),
		jen.Id("endpoints").Op(":=").Add(middleware.MWEndpoints(l)),
		jen.Line(),
		jen.Id("mux").Op(":=").Qual(gokit.PkgHTTP, "NewServeMux").Call(),
	)
	body = append(body, shutdownStart()...)
	body = append(body,
		jen.Qual(l.Transport.Path, "RegisterHTTPRoutes").Call(append([]jen.Code{jen.Id("mux"), jen.Id("endpoints"), jen.Id("logger")}, middleware.MWServerOptions(l, "http")...)...),
		jen.Id("mux").Dot("HandleFunc").Call(jen.Lit("GET /healthz"), jen.Id("healthz")),
		jen.Id("mux").Dot("Handle").Call(jen.Lit("GET /readyz"), jen.Id("readyz").Call(jen.Op("&").Id("ready"))),
		jen.If(jen.Id("cfg").Dot("OpenAPI")).Block(jen.Id("mux").Dot("Handle").Call(jen.Lit("GET /openapi.json"), jen.Qual(l.Transport.Path, "OpenAPIHandler").Call())),
		jen.Id("mux").Dot("Handle").Call(jen.Lit("GET /metrics"), jen.Qual(gokit.PromHTTP, "HandlerFor").Call(jen.Id("reg"), jen.Qual(gokit.PromHTTP, "HandlerOpts").Values())),
		jen.Id("mux").Dot("Handle").Call(jen.Lit("/"), jen.Qual(l.Transport.Path, "RouteErrors").Call(jen.Id("mux"))),
		jen.Line(),
		jen.Var().Id("g").Qual(gokit.OklogRun, "Group"),
		shutdownActor(),
		sd.DiscoveryHook(l),
		jen.Block(
			jen.List(jen.Id("ln"), jen.Err()).Op(":=").Qual(gokit.PkgNet, "Listen").Call(jen.Lit("tcp"), jen.Id("cfg").Dot("HTTPAddr")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("http listener: %w"), jen.Err()))),
			jen.Id("srv").Op(":=").Op("&").Qual(gokit.PkgHTTP, "Server").Values(
				jen.Id("Handler").Op(":").Id("o").Dot("handler").Call(jen.Id("mux"), jen.Id("limitBody").Call(jen.Id("mux"), jen.Id("cfg").Dot("HTTPMaxBodyBytes"))),
				jen.Id("ReadHeaderTimeout").Op(":").Id("cfg").Dot("HTTPReadHeaderTimeout"),
				jen.Id("ReadTimeout").Op(":").Id("cfg").Dot("HTTPReadTimeout"),
				jen.Id("WriteTimeout").Op(":").Id("cfg").Dot("HTTPWriteTimeout"),
				jen.Id("IdleTimeout").Op(":").Id("cfg").Dot("HTTPIdleTimeout"),
				jen.Id("TLSConfig").Op(":").Id("tlsConfig"),
			),
			httpDrain(),
			httpActor(),
		),
	)
	if l.GRPC {
		body = append(body, grpcActor(svc, l))
	}
	if l.NATS {
		body = append(body, broker.NATSActor(svc, l))
	}
	if l.AMQP {
		body = append(body, broker.AMQPActor())
	}
	body = append(body, runGroupEnd()...)
	f.Comment("Run serves svc until ctx is cancelled or the process receives SIGINT or")
	f.Comment("SIGTERM, then shuts down gracefully, letting in-flight requests finish within")
	f.Comment("cfg.ShutdownTimeout. Besides the service's routes it serves GET /healthz and")
	f.Comment("GET /metrics (Prometheus). A signal or cancellation is a clean exit (nil).")
	for _, line := range sd.DiscoveryRunDoc(l) {
		f.Comment(line)
	}
	if l.NATS {
		f.Comment("")
		f.Comment("Over NATS (cfg.NATSURL) it serves every method on its subject in the " + svc.Name)
		f.Comment("queue group; on shutdown the connection is drained, so messages in flight are")
		f.Comment("finished before exit.")
	}
	if l.AMQP {
		f.Comment("")
		f.Comment("Over AMQP (cfg.AMQPURL) it consumes every method's queue beside the other")
		f.Comment("instances, reconnecting with backoff while the broker is unreachable; on")
		f.Comment("shutdown it stops consuming and finishes the deliveries in flight first.")
	}
	if l.GRPC {
		f.Comment("")
		f.Comment("On cfg.GRPCAddr it serves the service over gRPC, with the standard health")
		f.Comment("service (grpc.health.v1: SERVING, NOT_SERVING from the start of shutdown) and")
		f.Comment("server reflection; the same endpoints, with their middlewares, serve both.")
	}
	f.Func().Id("Run").Params(
		jen.Id("ctx").Qual(gokit.PkgContext, "Context"),
		jen.Id("cfg").Id("Config"),
		jen.Id("svc").Qual(l.Service.Path, svc.Interface.Name),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("opts").Op("...").Id("Option"),
	).Error().Block(body...)

	genProbes(f)
}

// genProbes emits the handlers of the server's own endpoints: readyz,
// healthz, and probe, the -healthcheck client.
func genProbes(f *jen.File) {
	f.Comment("readyz answers readiness probes: 200 while serving, 503 from the moment")
	f.Comment("graceful shutdown begins, so load balancers stop sending traffic first.")
	f.Func().Id("readyz").Params(jen.Id("ready").Op("*").Qual("sync/atomic", "Bool")).Qual(gokit.PkgHTTP, "Handler").Block(
		jen.Return(jen.Qual(gokit.PkgHTTP, "HandlerFunc").Call(jen.Func().Params(jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter"), jen.Id("_").Op("*").Qual(gokit.PkgHTTP, "Request")).Block(
			jen.Id("w").Dot("Header").Call().Dot("Set").Call(jen.Lit("Content-Type"), jen.Lit("application/json; charset=utf-8")),
			jen.If(jen.Op("!").Id("ready").Dot("Load").Call()).Block(
				jen.Id("w").Dot("WriteHeader").Call(jen.Qual(gokit.PkgHTTP, "StatusServiceUnavailable")),
				jen.List(jen.Id("_"), jen.Id("_")).Op("=").Qual(gokit.PkgIO, "WriteString").Call(jen.Id("w"), jen.Lit(`{"status":"not ready"}`+"\n")),
				jen.Return(),
			),
			jen.List(jen.Id("_"), jen.Id("_")).Op("=").Qual(gokit.PkgIO, "WriteString").Call(jen.Id("w"), jen.Lit(`{"status":"ready"}`+"\n")),
		))),
	)

	f.Comment("probe checks GET /healthz of the server listening on addr, over TLS when")
	f.Comment("server, the server's TLS configuration, is not nil, for container health")
	f.Comment("checks (distroless images have no curl).")
	probe := []jen.Code{
		jen.If(jen.Qual(gokit.PkgStrings, "HasPrefix").Call(jen.Id("addr"), jen.Lit(":"))).Block(
			jen.Id("addr").Op("=").Lit("127.0.0.1").Op("+").Id("addr"),
		),
	}
	probe = append(probe, probeClient()...)
	probe = append(probe,
		jen.List(jen.Id("resp"), jen.Err()).Op(":=").Id("client").Dot("Get").Call(jen.Id("target")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("health check: %w"), jen.Err()))),
		jen.Defer().Id("resp").Dot("Body").Dot("Close").Call(),
		jen.If(jen.Id("resp").Dot("StatusCode").Op("!=").Qual(gokit.PkgHTTP, "StatusOK")).Block(
			jen.Return(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("health check: %s"), jen.Id("resp").Dot("Status"))),
		),
		jen.Return(jen.Nil()),
	)
	f.Func().Id("probe").Params(jen.Id("addr").String(), jen.Id("server").Op("*").Qual(gokit.PkgTLS, "Config")).Error().Block(probe...)

	f.Comment("limitBody caps request bodies at n bytes, so a larger one answers 413;")
	f.Comment("requests without a body pass untouched (no per-request copy).")
	f.Func().Id("limitBody").Params(jen.Id("h").Qual(gokit.PkgHTTP, "Handler"), jen.Id("n").Int64()).Qual(gokit.PkgHTTP, "Handler").Block(
		jen.Return(jen.Qual(gokit.PkgHTTP, "HandlerFunc").Call(jen.Func().Params(jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter"), jen.Id("r").Op("*").Qual(gokit.PkgHTTP, "Request")).Block(
			jen.If(jen.Id("r").Dot("ContentLength").Op("!=").Lit(0)).Block(
				jen.Id("r").Dot("Body").Op("=").Qual(gokit.PkgHTTP, "MaxBytesReader").Call(jen.Id("w"), jen.Id("r").Dot("Body"), jen.Id("n")),
			),
			jen.Id("h").Dot("ServeHTTP").Call(jen.Id("w"), jen.Id("r")),
		))),
	)

	f.Comment("healthz answers liveness probes.")
	f.Func().Id("healthz").Params(jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter"), jen.Id("_").Op("*").Qual(gokit.PkgHTTP, "Request")).Block(
		jen.Id("w").Dot("Header").Call().Dot("Set").Call(jen.Lit("Content-Type"), jen.Lit("application/json; charset=utf-8")),
		jen.Id("_").Op(",").Id("_").Op("=").Qual(gokit.PkgIO, "WriteString").Call(jen.Id("w"), jen.Lit(`{"status":"ok"}`+"\n")),
	)
}

// runGroupEnd is the end of Run: the signal handler, readiness once every
// listener is open, and the run group's outcome (a signal or a cancellation
// is a clean exit).
func runGroupEnd() []jen.Code {
	return []jen.Code{
		jen.Id("g").Dot("Add").Call(jen.Qual(gokit.OklogRun, "SignalHandler").Call(jen.Id("ctx"), jen.Qual(gokit.PkgOS, "Interrupt"), jen.Qual(gokit.PkgSyscall, "SIGTERM"))),
		jen.Line(),
		jen.Comment("Every listener is open: ready for traffic until shutdown begins."),
		jen.Id("ready").Dot("Store").Call(jen.True()),
		jen.Err().Op("=").Id("g").Dot("Run").Call(),
		jen.Switch().Block(
			jen.Case(jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.OklogRun, "ErrSignal"))).Block(
				jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("msg"), jen.Lit("shut down"), jen.Lit("reason"), jen.Err().Dot("Error").Call()),
				jen.Return(jen.Nil()),
			),
			jen.Case(jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgContext, "Canceled"))).Block(
				jen.Return(jen.Nil()),
			),
		),
		jen.Return(jen.Err()),
	}
}
