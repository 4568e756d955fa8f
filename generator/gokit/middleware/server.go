package middleware

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// MWSettings are the server settings of the middlewares enabled in l.
func MWSettings(l gokit.Layout) []gokit.Setting {
	sec := func(n int) jen.Code { return jen.Lit(n).Op("*").Qual(gokit.PkgTime, "Second") }
	var out []gokit.Setting
	if l.Has("ratelimit") {
		out = append(out,
			gokit.Setting{Field: "RateLimit", Flag: "rate-limit", Env: "RATE_LIMIT", Usage: "number of requests a second the server accepts over all methods; more answer 429 (0: no limit)", Kind: "float64", Default: jen.Lit(100.0)},
			gokit.Setting{Field: "RateBurst", Flag: "rate-burst", Env: "RATE_BURST", Usage: "number of requests the rate limiter accepts at once (its burst)", Kind: "int64", Default: jen.Lit(100)},
		)
	}
	if l.Has("circuitbreaker") {
		out = append(out,
			gokit.Setting{Field: "BreakerFailures", Flag: "breaker-failures", Env: "BREAKER_FAILURES", Usage: "number of consecutive failures of a method that open its circuit breaker; then calls answer 503 (0: no breaker)", Kind: "int64", Default: jen.Lit(5)},
			gokit.Setting{Field: "BreakerTimeout", Flag: "breaker-timeout", Env: "BREAKER_TIMEOUT", Usage: "time an open circuit breaker rejects calls for before it lets a trial call through", Kind: "duration", Default: sec(30)},
		)
	}
	if l.Has("jwt") {
		out = append(out,
			gokit.Setting{Field: "JWTSecret", Flag: "jwt-secret", Env: "JWT_SECRET", Usage: "shared key of the HS256 JWTs callers must send, at least 32 bytes (prefer the environment variable)", Kind: "string", Default: jen.Lit("")},
			gokit.Setting{Field: "JWTPublicKey", Flag: "jwt-public-key", Env: "JWT_PUBLIC_KEY", Usage: "PEM file of the RSA public key of RS256 JWTs, instead of -jwt-secret", Kind: "string", Default: jen.Lit("")},
			gokit.Setting{Field: "JWTJWKSURL", Flag: "jwt-jwks-url", Env: "JWT_JWKS_URL", Usage: "URL of the JWK Set whose keys sign the JWTs (RS, PS, ES, EdDSA), instead of -jwt-secret: fetched at start, every 15m and on an unknown key id (at most every 30s)", Kind: "string", Default: jen.Lit("")},
			gokit.Setting{Field: "JWTAudience", Flag: "jwt-audience", Env: "JWT_AUDIENCE", Usage: "audience the JWTs' aud claim must name (empty: not checked)", Kind: "string", Default: jen.Lit("")},
			gokit.Setting{Field: "JWTIssuer", Flag: "jwt-issuer", Env: "JWT_ISSUER", Usage: "issuer the JWTs' iss claim must be (empty: not checked)", Kind: "string", Default: jen.Lit("")},
			gokit.Setting{Field: "JWTLeeway", Flag: "jwt-leeway", Env: "JWT_LEEWAY", Usage: "clock skew allowed when checking the JWTs' exp, nbf and iat", Kind: "duration", Default: sec(jwtLeewaySeconds)},
		)
	}
	if l.Has("basicauth") {
		out = append(out,
			gokit.Setting{Field: "BasicAuthUser", Flag: "basic-auth-user", Env: "BASIC_AUTH_USER", Usage: "user name callers must send with HTTP basic auth", Kind: "string", Default: jen.Lit("")},
			gokit.Setting{Field: "BasicAuthPassword", Flag: "basic-auth-password", Env: "BASIC_AUTH_PASSWORD", Usage: "password callers must send with HTTP basic auth (prefer the environment variable)", Kind: "string", Default: jen.Lit("")},
		)
	}
	if l.Has("tracing") {
		out = append(out,
			gokit.Setting{Field: "OTLPEndpoint", Flag: "otlp-endpoint", Env: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", Usage: "OTLP/HTTP URL spans are exported to, e.g. http://localhost:4318/v1/traces (empty: none)", Kind: "string", Default: jen.Lit("")},
		)
	}
	return out
}

// ServerMiddleware emits <out>/<name>server/middleware_gen.go: the
// middlewares type that Run sets up from the Config (endpoint middlewares,
// transport options, the tracer provider) and tears down.
func ServerMiddleware(svc *model.Service, l gokit.Layout) ([]byte, error) {
	f := l.NewFile(l.Server)
	mwImports(f)
	f.ImportName(l.Endpoint.Path, l.Endpoint.Name)
	f.ImportName(l.Transport.Path, l.Transport.Name)
	if l.GRPC {
		f.ImportAlias(gokit.KitGRPC, "grpctransport")
	}
	ep := func(name string) *jen.Statement { return jen.Qual(l.Endpoint.Path, name) }
	tr := func(name string) *jen.Statement { return jen.Qual(l.Transport.Path, name) }

	fields := []jen.Code{
		jen.Comment(gokit.WrapComment("endpoint wraps the endpoint of one method, outermost first: "+chainDoc(l)+".", 76)),
		jen.Id("endpoint").Qual(l.Endpoint.Path, "MethodMiddleware"),
	}
	if svc.Source == model.SourceProto { // every service's Wrap takes it
		fields[1] = jen.Id("endpoint").Func().Params(jen.Id("method").String()).Qual(gokit.KitEndpoint, "Middleware")
	}
	if NeedsTransportMiddleware(l) {
		fields = append(fields, jen.Comment("http are the HTTP server's options."), jen.Id("http").Index().Qual(gokit.KitHTTP, "ServerOption"))
		if l.GRPC {
			fields = append(fields, jen.Comment("grpc are the gRPC server's options."), jen.Id("grpc").Index().Qual(gokit.KitGRPC, "ServerOption"))
		}
	}
	if l.Has("tracing") {
		fields = append(fields, jen.Comment("tracer exports the spans; stop flushes it."), jen.Id("tracer").Op("*").Qual(pkgOtelSDK, "TracerProvider"))
	}
	if l.Has("jwt") {
		fields = append(fields, jen.Comment("stopJWKS stops refreshing the JWK Set of -jwt-jwks-url, if any."), jen.Id("stopJWKS").Qual(gokit.PkgContext, "CancelFunc"))
	}
	f.Comment("middlewares are what Run wires for the middlewares enabled in kitforge.yaml.")
	f.Type().Id("middlewares").Struct(fields...)

	body := []jen.Code{jen.Var().Id("shared").Index().Qual(gokit.KitEndpoint, "Middleware")}
	if l.Has("tracing") {
		body = append(body,
			jen.List(jen.Id("tp"), jen.Err()).Op(":=").Id("newTracerProvider").Call(jen.Id("cfg")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Id("prop").Op(":=").Qual(pkgOtelProp, "NewCompositeTextMapPropagator").Call(jen.Qual(pkgOtelProp, "TraceContext").Values(), jen.Qual(pkgOtelProp, "Baggage").Values()),
			jen.Comment("The globals serve the service's own spans and outgoing calls."),
			jen.Qual(pkgOtel, "SetTracerProvider").Call(jen.Id("tp")),
			jen.Qual(pkgOtel, "SetTextMapPropagator").Call(jen.Id("prop")),
			jen.Id("m").Dot("tracer").Op("=").Id("tp"),
			jen.Id("m").Dot("http").Op("=").Append(jen.Id("m").Dot("http"), tr("HTTPServerTracing").Call(jen.Id("prop"))),
		)
		if l.GRPC {
			body = append(body, jen.Id("m").Dot("grpc").Op("=").Append(jen.Id("m").Dot("grpc"), tr("GRPCServerTracing").Call(jen.Id("prop"))))
		}
	}
	if l.Has("ratelimit") {
		body = append(body, jen.If(jen.Id("cfg").Dot("RateLimit").Op(">").Lit(0)).Block(
			jen.Id("shared").Op("=").Append(jen.Id("shared"), ep("RateLimitMiddleware").Call(
				jen.Qual(pkgRate, "Limit").Parens(jen.Id("cfg").Dot("RateLimit")), jen.Int().Parens(jen.Id("cfg").Dot("RateBurst")))),
		))
	}
	if l.Has("jwt") {
		body = append(body,
			jen.List(jen.Id("keyFunc"), jen.Id("methods"), jen.Err()).Op(":=").Id("m").Dot("jwtKey").Call(jen.Id("cfg"), jen.Id("logger")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Id("shared").Op("=").Append(jen.Id("shared"), ep("JWTMiddleware").Call(jen.Id("keyFunc"), jen.Id("methods"), jen.Id("jwtChecks").Call(jen.Id("cfg")).Op("..."))),
		)
	}
	if l.Has("basicauth") {
		body = append(body,
			jen.Switch().Block(
				jen.Case(jen.Id("cfg").Dot("BasicAuthUser").Op("==").Lit("")).Block(
					jen.Return(jen.Qual(gokit.PkgErrors, "New").Call(jen.Lit("basic auth: set -basic-auth-user and -basic-auth-password (env BASIC_AUTH_USER, BASIC_AUTH_PASSWORD)"))),
				),
				jen.Case(jen.Id("cfg").Dot("BasicAuthPassword").Op("==").Lit("")).Block(
					jen.Return(jen.Qual(gokit.PkgErrors, "New").Call(jen.Lit("basic auth: the password is empty: set -basic-auth-password (env BASIC_AUTH_PASSWORD)"))),
				),
			),
			jen.Id("shared").Op("=").Append(jen.Id("shared"), ep("BasicAuthMiddleware").Call(jen.Id("cfg").Dot("BasicAuthUser"), jen.Id("cfg").Dot("BasicAuthPassword"), jen.Lit(svc.Name))),
		)
	}
	if l.HasAuth() {
		body = append(body, jen.Id("m").Dot("http").Op("=").Append(jen.Id("m").Dot("http"), tr("HTTPServerAuth").Call()))
		if l.GRPC {
			body = append(body, jen.Id("m").Dot("grpc").Op("=").Append(jen.Id("m").Dot("grpc"), tr("GRPCServerAuth").Call()))
		}
	}
	if l.Has("validate") {
		body = append(body, jen.Id("shared").Op("=").Append(jen.Id("shared"), ep("ValidatingMiddleware").Call()))
	}

	perMethod := []jen.Code{jen.Var().Id("mdw").Index().Qual(gokit.KitEndpoint, "Middleware")}
	if l.Has("tracing") {
		body = append(body, jen.Id("tracing").Op(":=").Add(ep("TracingMiddleware")).Call(
			jen.Id("tp").Dot("Tracer").Call(jen.Lit(l.Server.Path)), jen.Qual(pkgOtelTrace, "SpanKindServer")))
		perMethod = append(perMethod, jen.Id("mdw").Op("=").Append(jen.Id("mdw"), jen.Id("tracing").Call(jen.Id("method"))))
	}
	body = append(body, jen.Id("recovering").Op(":=").Add(ep("RecoveringMiddleware")).Call(jen.Id("logger")))
	perMethod = append(perMethod, jen.Id("mdw").Op("=").Append(jen.Id("mdw"), jen.Id("recovering")))
	perMethod = append(perMethod, jen.Id("mdw").Op("=").Append(jen.Id("mdw"), jen.Id("shared").Op("...")))
	if l.Has("circuitbreaker") {
		perMethod = append(perMethod, jen.If(jen.Id("cfg").Dot("BreakerFailures").Op(">").Lit(0)).Block(
			jen.Id("st").Op(":=").Add(ep("BreakerSettings")).Call(jen.Id("method"), jen.Uint32().Parens(jen.Id("cfg").Dot("BreakerFailures")), jen.Id("cfg").Dot("BreakerTimeout")),
			jen.Id("st").Dot("OnStateChange").Op("=").Func().Params(jen.Id("name").String(), jen.List(jen.Id("from"), jen.Id("to")).Qual(pkgGobreaker, "State")).Block(
				jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("circuitbreaker"), jen.Id("name"), jen.Lit("from"), jen.Id("from").Dot("String").Call(), jen.Lit("to"), jen.Id("to").Dot("String").Call()),
			),
			jen.Id("mdw").Op("=").Append(jen.Id("mdw"), ep("CircuitBreakerMiddleware").Call(jen.Id("st"))),
		))
	}
	perMethod = append(perMethod, jen.Return(middlewareFunc(jen.Return(ep("Chain").Call(jen.Id("next"), jen.Id("mdw").Op("..."))))))
	body = append(body,
		jen.Id("m").Dot("endpoint").Op("=").Func().Params(jen.Id("method").String()).Qual(gokit.KitEndpoint, "Middleware").Block(perMethod...),
		jen.Return(jen.Nil()),
	)

	f.Comment("setup builds the middlewares from cfg. It refuses to start a server whose")
	f.Comment("authentication has no credentials to check, or weak ones.")
	f.Func().Params(jen.Id("m").Op("*").Id("middlewares")).Id("setup").Params(
		jen.Id("cfg").Id("Config"), jen.Id("logger").Qual(gokit.KitLog, "Logger"),
	).Error().Block(body...)

	stop := []jen.Code{}
	if l.Has("jwt") {
		stop = append(stop, jen.If(jen.Id("m").Dot("stopJWKS").Op("!=").Nil()).Block(jen.Id("m").Dot("stopJWKS").Call()))
	}
	if l.Has("tracing") {
		stop = append(stop,
			jen.If(jen.Id("m").Dot("tracer").Op("==").Nil()).Block(jen.Return()),
			jen.List(jen.Id("ctx"), jen.Id("cancel")).Op(":=").Qual(gokit.PkgContext, "WithTimeout").Call(jen.Qual(gokit.PkgContext, "Background").Call(), jen.Id("timeout")),
			jen.Defer().Id("cancel").Call(),
			jen.If(jen.Err().Op(":=").Id("m").Dot("tracer").Dot("Shutdown").Call(jen.Id("ctx")), jen.Err().Op("!=").Nil()).Block(
				jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("tracing"), jen.Lit("shutdown"), jen.Lit("err"), jen.Err()),
			),
		)
	}
	switch {
	case l.Has("jwt"):
		f.Comment("stop releases what setup started: it stops refreshing the JWK Set and flushes")
		f.Comment("the spans not exported yet, within timeout.")
	default:
		f.Comment("stop releases what setup started: it flushes the spans not exported yet, within")
		f.Comment("timeout.")
	}
	f.Func().Params(jen.Id("m").Op("*").Id("middlewares")).Id("stop").Params(jen.Id("timeout").Qual(gokit.PkgTime, "Duration"), jen.Id("logger").Qual(gokit.KitLog, "Logger")).Block(stop...)

	if l.Has("jwt") {
		genJWTKey(f)
	}

	if l.Has("tracing") {
		f.Comment("newTracerProvider returns the tracer provider of the server's spans. They are")
		f.Comment("exported over OTLP/HTTP to cfg.OTLPEndpoint, in batches; without an endpoint they")
		f.Comment("are made (trace context still flows to the calls the service makes) but not")
		f.Comment("exported, and nothing is dialled.")
		f.Func().Id("newTracerProvider").Params(jen.Id("cfg").Id("Config")).Params(jen.Op("*").Qual(pkgOtelSDK, "TracerProvider"), jen.Error()).Block(
			jen.Id("opts").Op(":=").Index().Qual(pkgOtelSDK, "TracerProviderOption").Values(
				jen.Qual(pkgOtelSDK, "WithResource").Call(jen.Qual(pkgOtelRes, "NewSchemaless").Call(jen.Qual(pkgOtelAttr, "String").Call(jen.Lit("service.name"), jen.Lit(svc.Name)))),
			),
			jen.If(jen.Id("cfg").Dot("OTLPEndpoint").Op("!=").Lit("")).Block(
				jen.List(jen.Id("u"), jen.Err()).Op(":=").Qual(gokit.PkgURL, "Parse").Call(jen.Id("cfg").Dot("OTLPEndpoint")),
				jen.If(jen.Err().Op("!=").Nil().Op("||").Id("u").Dot("Host").Op("==").Lit("")).Block(
					jen.Return(jen.Nil(), jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("tracing: -otlp-endpoint %q: want a URL like http://localhost:4318/v1/traces"), jen.Id("cfg").Dot("OTLPEndpoint"))),
				),
				jen.If(jen.Id("u").Dot("Path").Op("==").Lit("").Op("||").Id("u").Dot("Path").Op("==").Lit("/")).Block(
					jen.Id("u").Dot("Path").Op("=").Lit("/v1/traces"),
				),
				jen.List(jen.Id("exporter"), jen.Err()).Op(":=").Qual(pkgOTLPHTTP, "New").Call(jen.Qual(gokit.PkgContext, "Background").Call(), jen.Qual(pkgOTLPHTTP, "WithEndpointURL").Call(jen.Id("u").Dot("String").Call())),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("tracing: %w"), jen.Err()))),
				jen.Id("opts").Op("=").Append(jen.Id("opts"), jen.Qual(pkgOtelSDK, "WithBatcher").Call(jen.Id("exporter"))),
			),
			jen.Return(jen.Qual(pkgOtelSDK, "NewTracerProvider").Call(jen.Id("opts").Op("...")), jen.Nil()),
		)
	}
	return gokit.Render(f)
}

// chainDoc describes the endpoint middleware chain of l, outermost first.
func chainDoc(l gokit.Layout) string {
	var parts []string
	if l.Has("tracing") {
		parts = append(parts, "tracing")
	}
	parts = append(parts, "panic recovery")
	for _, m := range []struct{ key, doc string }{
		{"ratelimit", "rate limit"}, {"jwt", "JWT"}, {"basicauth", "basic auth"},
		{"validate", "validation"}, {"circuitbreaker", "circuit breaker"},
	} {
		if l.Has(m.key) {
			parts = append(parts, m.doc)
		}
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out += ", " + p
	}
	return out
}

// MWRunSetup is the statements Run starts with when middlewares are
// enabled: set them up, and stop them when Run returns.
func MWRunSetup() []jen.Code {
	return []jen.Code{
		jen.Var().Id("mw").Id("middlewares"),
		jen.If(jen.Err().Op(":=").Id("mw").Dot("setup").Call(jen.Id("cfg"), jen.Id("logger")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Defer().Id("mw").Dot("stop").Call(jen.Id("cfg").Dot("ShutdownTimeout"), jen.Id("logger")),
		jen.Line(),
	}
}

// MWEndpoints is the expression Run builds its endpoints with: the service's
// endpoints with the middlewares of kitforge.yaml, or with panic recovery
// only (today's wiring) when there are none.
func MWEndpoints(l gokit.Layout) jen.Code {
	if len(l.Middleware) == 0 {
		return jen.Qual(l.Endpoint.Path, "New").Call(jen.Id("svc"), recoveringThenOptions(l))
	}
	return jen.Qual(l.Endpoint.Path, "Wrap").Call(jen.Qual(l.Endpoint.Path, "New").Call(jen.Id("svc"), jen.Id("o").Dot("endpointMiddleware").Call().Op("...")), jen.Id("mw").Dot("endpoint"))
}

// MWServerOptions are the extra arguments of NewHTTPHandler ("http") or
// NewGRPCServer ("grpc") in Run: the middlewares' transport options.
func MWServerOptions(l gokit.Layout, transport string) []jen.Code {
	if !NeedsTransportMiddleware(l) {
		return nil
	}
	return []jen.Code{jen.Id("mw").Dot(transport).Op("...")}
}

// OnionComment explains Run's middleware onion.
func OnionComment(l gokit.Layout) jen.Code {
	if len(l.Middleware) == 0 {
		return jen.Comment(gokit.WrapComment("The onion, innermost first: the service, its logging and instrumenting middlewares, the endpoints with panic recovery, then the transports.", 75))
	}
	return jen.Comment(gokit.WrapComment("The onion, innermost first: the service, its logging and instrumenting middlewares, the endpoints with the middlewares of kitforge.yaml (outermost first: "+chainDoc(l)+"), then the transports.", 75))
}

// recoveringThenOptions is the endpoint middlewares of a server without
// kitforge.yaml middlewares: panic recovery, then the caller's.
func recoveringThenOptions(l gokit.Layout) jen.Code {
	return jen.Append(
		jen.Index().Qual(gokit.KitEndpoint, "Middleware").Values(jen.Qual(l.Endpoint.Path, "RecoveringMiddleware").Call(jen.Id("logger"))),
		jen.Id("o").Dot("endpointMiddleware").Call().Op("..."),
	).Op("...")
}

// ProtoServerMiddleware emits <out>/<name>server/middleware_gen.go for the
// server of proto services: the middlewares of ServerMiddleware, built once
// from the first service's endpoint and transport packages (they are plain
// Go kit middlewares and options) and applied to every service's endpoints,
// so that, for instance, one token bucket limits the whole server.
func ProtoServerMiddleware(name string, server gokit.Pkg, services []*gokit.ProtoService) ([]byte, error) {
	l := gokit.ProtoServerLayout(server, services)
	l.Endpoint, l.Transport = services[0].Layout.Endpoint, services[0].Layout.Transport
	return ServerMiddleware(&model.Service{Name: name, Source: model.SourceProto}, l)
}

// HasProtoMiddleware reports whether proto services get middleware files.
func HasProtoMiddleware(services []*gokit.ProtoService) bool {
	return len(services) > 0 && len(services[0].Layout.Middleware) > 0
}

// ProtoEndpoints is the expression Run builds a proto service's endpoints
// with: with the middlewares of kitforge.yaml when there are any (see
// MWEndpoints), else with panic recovery.
func ProtoEndpoints(l gokit.Layout, svc jen.Code) jen.Code {
	if len(l.Middleware) == 0 {
		return jen.Qual(l.Endpoint.Path, "New").Call(svc, recoveringThenOptions(l))
	}
	return jen.Qual(l.Endpoint.Path, "Wrap").Call(jen.Qual(l.Endpoint.Path, "New").Call(svc, jen.Id("o").Dot("endpointMiddleware").Call().Op("...")), jen.Id("mw").Dot("endpoint"))
}
