package gokit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/model"
)

// mwSettings are the server settings of the middlewares enabled in l.
func mwSettings(l Layout) []setting {
	sec := func(n int) jen.Code { return jen.Lit(n).Op("*").Qual(pkgTime, "Second") }
	var out []setting
	if l.has("ratelimit") {
		out = append(out,
			setting{"RateLimit", "rate-limit", "RATE_LIMIT", "number of requests a second the server accepts over all methods; more answer 429 (0: no limit)", "float64", jen.Lit(100.0)},
			setting{"RateBurst", "rate-burst", "RATE_BURST", "number of requests the rate limiter accepts at once (its burst)", "int64", jen.Lit(100)},
		)
	}
	if l.has("circuitbreaker") {
		out = append(out,
			setting{"BreakerFailures", "breaker-failures", "BREAKER_FAILURES", "number of consecutive failures of a method that open its circuit breaker; then calls answer 503 (0: no breaker)", "int64", jen.Lit(5)},
			setting{"BreakerTimeout", "breaker-timeout", "BREAKER_TIMEOUT", "time an open circuit breaker rejects calls for before it lets a trial call through", "duration", sec(30)},
		)
	}
	if l.has("jwt") {
		out = append(out,
			setting{"JWTSecret", "jwt-secret", "JWT_SECRET", "shared key of the HS256 JWTs callers must send, at least 32 bytes (prefer the environment variable)", "string", jen.Lit("")},
			setting{"JWTPublicKey", "jwt-public-key", "JWT_PUBLIC_KEY", "PEM file of the RSA public key of RS256 JWTs, instead of -jwt-secret", "string", jen.Lit("")},
			setting{"JWTJWKSURL", "jwt-jwks-url", "JWT_JWKS_URL", "URL of the JWK Set whose keys sign the JWTs (RS, PS, ES, EdDSA), instead of -jwt-secret: fetched at start, every 15m and on an unknown key id (at most every 30s)", "string", jen.Lit("")},
			setting{"JWTAudience", "jwt-audience", "JWT_AUDIENCE", "audience the JWTs' aud claim must name (empty: not checked)", "string", jen.Lit("")},
			setting{"JWTIssuer", "jwt-issuer", "JWT_ISSUER", "issuer the JWTs' iss claim must be (empty: not checked)", "string", jen.Lit("")},
			setting{"JWTLeeway", "jwt-leeway", "JWT_LEEWAY", "clock skew allowed when checking the JWTs' exp, nbf and iat", "duration", sec(jwtLeewaySeconds)},
		)
	}
	if l.has("basicauth") {
		out = append(out,
			setting{"BasicAuthUser", "basic-auth-user", "BASIC_AUTH_USER", "user name callers must send with HTTP basic auth", "string", jen.Lit("")},
			setting{"BasicAuthPassword", "basic-auth-password", "BASIC_AUTH_PASSWORD", "password callers must send with HTTP basic auth (prefer the environment variable)", "string", jen.Lit("")},
		)
	}
	if l.has("tracing") {
		out = append(out,
			setting{"OTLPEndpoint", "otlp-endpoint", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTLP/HTTP URL spans are exported to, e.g. http://localhost:4318/v1/traces (empty: none)", "string", jen.Lit("")},
		)
	}
	return out
}

// ServerMiddleware emits <out>/<name>server/middleware_gen.go: the
// middlewares type that Run sets up from the Config (endpoint middlewares,
// transport options, the tracer provider) and tears down.
func ServerMiddleware(svc *model.Service, l Layout) ([]byte, error) {
	f := l.newFile(l.Server)
	mwImports(f)
	f.ImportName(l.Endpoint.Path, l.Endpoint.Name)
	f.ImportName(l.Transport.Path, l.Transport.Name)
	if l.GRPC {
		f.ImportAlias(kitGRPC, "grpctransport")
	}
	ep := func(name string) *jen.Statement { return jen.Qual(l.Endpoint.Path, name) }
	tr := func(name string) *jen.Statement { return jen.Qual(l.Transport.Path, name) }

	fields := []jen.Code{
		jen.Comment(wrapComment("endpoint wraps the endpoint of one method, outermost first: "+chainDoc(l)+".", 76)),
		jen.Id("endpoint").Qual(l.Endpoint.Path, "MethodMiddleware"),
	}
	if svc.Source == model.SourceProto { // every service's Wrap takes it
		fields[1] = jen.Id("endpoint").Func().Params(jen.Id("method").String()).Qual(kitEndpoint, "Middleware")
	}
	if NeedsTransportMiddleware(l) {
		fields = append(fields, jen.Comment("http are the HTTP server's options."), jen.Id("http").Index().Qual(kitHTTP, "ServerOption"))
		if l.GRPC {
			fields = append(fields, jen.Comment("grpc are the gRPC server's options."), jen.Id("grpc").Index().Qual(kitGRPC, "ServerOption"))
		}
	}
	if l.has("tracing") {
		fields = append(fields, jen.Comment("tracer exports the spans; stop flushes it."), jen.Id("tracer").Op("*").Qual(pkgOtelSDK, "TracerProvider"))
	}
	if l.has("jwt") {
		fields = append(fields, jen.Comment("stopJWKS stops refreshing the JWK Set of -jwt-jwks-url, if any."), jen.Id("stopJWKS").Qual(pkgContext, "CancelFunc"))
	}
	f.Comment("middlewares are what Run wires for the middlewares enabled in kitforge.yaml.")
	f.Type().Id("middlewares").Struct(fields...)

	body := []jen.Code{jen.Var().Id("shared").Index().Qual(kitEndpoint, "Middleware")}
	if l.has("tracing") {
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
	if l.has("ratelimit") {
		body = append(body, jen.If(jen.Id("cfg").Dot("RateLimit").Op(">").Lit(0)).Block(
			jen.Id("shared").Op("=").Append(jen.Id("shared"), ep("RateLimitMiddleware").Call(
				jen.Qual(pkgRate, "Limit").Parens(jen.Id("cfg").Dot("RateLimit")), jen.Int().Parens(jen.Id("cfg").Dot("RateBurst")))),
		))
	}
	if l.has("jwt") {
		body = append(body,
			jen.List(jen.Id("keyFunc"), jen.Id("methods"), jen.Err()).Op(":=").Id("m").Dot("jwtKey").Call(jen.Id("cfg"), jen.Id("logger")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Id("shared").Op("=").Append(jen.Id("shared"), ep("JWTMiddleware").Call(jen.Id("keyFunc"), jen.Id("methods"), jen.Id("jwtChecks").Call(jen.Id("cfg")).Op("..."))),
		)
	}
	if l.has("basicauth") {
		body = append(body,
			jen.Switch().Block(
				jen.Case(jen.Id("cfg").Dot("BasicAuthUser").Op("==").Lit("")).Block(
					jen.Return(jen.Qual(pkgErrors, "New").Call(jen.Lit("basic auth: set -basic-auth-user and -basic-auth-password (env BASIC_AUTH_USER, BASIC_AUTH_PASSWORD)"))),
				),
				jen.Case(jen.Id("cfg").Dot("BasicAuthPassword").Op("==").Lit("")).Block(
					jen.Return(jen.Qual(pkgErrors, "New").Call(jen.Lit("basic auth: the password is empty: set -basic-auth-password (env BASIC_AUTH_PASSWORD)"))),
				),
			),
			jen.Id("shared").Op("=").Append(jen.Id("shared"), ep("BasicAuthMiddleware").Call(jen.Id("cfg").Dot("BasicAuthUser"), jen.Id("cfg").Dot("BasicAuthPassword"), jen.Lit(svc.Name))),
		)
	}
	if l.hasAuth() {
		body = append(body, jen.Id("m").Dot("http").Op("=").Append(jen.Id("m").Dot("http"), tr("HTTPServerAuth").Call()))
		if l.GRPC {
			body = append(body, jen.Id("m").Dot("grpc").Op("=").Append(jen.Id("m").Dot("grpc"), tr("GRPCServerAuth").Call()))
		}
	}
	if l.has("validate") {
		body = append(body, jen.Id("shared").Op("=").Append(jen.Id("shared"), ep("ValidatingMiddleware").Call()))
	}

	perMethod := []jen.Code{jen.Var().Id("mdw").Index().Qual(kitEndpoint, "Middleware")}
	if l.has("tracing") {
		body = append(body, jen.Id("tracing").Op(":=").Add(ep("TracingMiddleware")).Call(
			jen.Id("tp").Dot("Tracer").Call(jen.Lit(l.Server.Path)), jen.Qual(pkgOtelTrace, "SpanKindServer")))
		perMethod = append(perMethod, jen.Id("mdw").Op("=").Append(jen.Id("mdw"), jen.Id("tracing").Call(jen.Id("method"))))
	}
	body = append(body, jen.Id("recovering").Op(":=").Add(ep("RecoveringMiddleware")).Call(jen.Id("logger")))
	perMethod = append(perMethod, jen.Id("mdw").Op("=").Append(jen.Id("mdw"), jen.Id("recovering")))
	perMethod = append(perMethod, jen.Id("mdw").Op("=").Append(jen.Id("mdw"), jen.Id("shared").Op("...")))
	if l.has("circuitbreaker") {
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
		jen.Id("m").Dot("endpoint").Op("=").Func().Params(jen.Id("method").String()).Qual(kitEndpoint, "Middleware").Block(perMethod...),
		jen.Return(jen.Nil()),
	)

	f.Comment("setup builds the middlewares from cfg. It refuses to start a server whose")
	f.Comment("authentication has no credentials to check, or weak ones.")
	f.Func().Params(jen.Id("m").Op("*").Id("middlewares")).Id("setup").Params(
		jen.Id("cfg").Id("Config"), jen.Id("logger").Qual(kitLog, "Logger"),
	).Error().Block(body...)

	stop := []jen.Code{}
	if l.has("jwt") {
		stop = append(stop, jen.If(jen.Id("m").Dot("stopJWKS").Op("!=").Nil()).Block(jen.Id("m").Dot("stopJWKS").Call()))
	}
	if l.has("tracing") {
		stop = append(stop,
			jen.If(jen.Id("m").Dot("tracer").Op("==").Nil()).Block(jen.Return()),
			jen.List(jen.Id("ctx"), jen.Id("cancel")).Op(":=").Qual(pkgContext, "WithTimeout").Call(jen.Qual(pkgContext, "Background").Call(), jen.Id("timeout")),
			jen.Defer().Id("cancel").Call(),
			jen.If(jen.Err().Op(":=").Id("m").Dot("tracer").Dot("Shutdown").Call(jen.Id("ctx")), jen.Err().Op("!=").Nil()).Block(
				jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("tracing"), jen.Lit("shutdown"), jen.Lit("err"), jen.Err()),
			),
		)
	}
	switch {
	case l.has("jwt"):
		f.Comment("stop releases what setup started: it stops refreshing the JWK Set and flushes")
		f.Comment("the spans not exported yet, within timeout.")
	default:
		f.Comment("stop releases what setup started: it flushes the spans not exported yet, within")
		f.Comment("timeout.")
	}
	f.Func().Params(jen.Id("m").Op("*").Id("middlewares")).Id("stop").Params(jen.Id("timeout").Qual(pkgTime, "Duration"), jen.Id("logger").Qual(kitLog, "Logger")).Block(stop...)

	if l.has("jwt") {
		genJWTKey(f)
	}

	if l.has("tracing") {
		f.Comment("newTracerProvider returns the tracer provider of the server's spans. They are")
		f.Comment("exported over OTLP/HTTP to cfg.OTLPEndpoint, in batches; without an endpoint they")
		f.Comment("are made (trace context still flows to the calls the service makes) but not")
		f.Comment("exported, and nothing is dialled.")
		f.Func().Id("newTracerProvider").Params(jen.Id("cfg").Id("Config")).Params(jen.Op("*").Qual(pkgOtelSDK, "TracerProvider"), jen.Error()).Block(
			jen.Id("opts").Op(":=").Index().Qual(pkgOtelSDK, "TracerProviderOption").Values(
				jen.Qual(pkgOtelSDK, "WithResource").Call(jen.Qual(pkgOtelRes, "NewSchemaless").Call(jen.Qual(pkgOtelAttr, "String").Call(jen.Lit("service.name"), jen.Lit(svc.Name)))),
			),
			jen.If(jen.Id("cfg").Dot("OTLPEndpoint").Op("!=").Lit("")).Block(
				jen.List(jen.Id("u"), jen.Err()).Op(":=").Qual(pkgURL, "Parse").Call(jen.Id("cfg").Dot("OTLPEndpoint")),
				jen.If(jen.Err().Op("!=").Nil().Op("||").Id("u").Dot("Host").Op("==").Lit("")).Block(
					jen.Return(jen.Nil(), jen.Qual(pkgFmt, "Errorf").Call(jen.Lit("tracing: -otlp-endpoint %q: want a URL like http://localhost:4318/v1/traces"), jen.Id("cfg").Dot("OTLPEndpoint"))),
				),
				jen.If(jen.Id("u").Dot("Path").Op("==").Lit("").Op("||").Id("u").Dot("Path").Op("==").Lit("/")).Block(
					jen.Id("u").Dot("Path").Op("=").Lit("/v1/traces"),
				),
				jen.List(jen.Id("exporter"), jen.Err()).Op(":=").Qual(pkgOTLPHTTP, "New").Call(jen.Qual(pkgContext, "Background").Call(), jen.Qual(pkgOTLPHTTP, "WithEndpointURL").Call(jen.Id("u").Dot("String").Call())),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Qual(pkgFmt, "Errorf").Call(jen.Lit("tracing: %w"), jen.Err()))),
				jen.Id("opts").Op("=").Append(jen.Id("opts"), jen.Qual(pkgOtelSDK, "WithBatcher").Call(jen.Id("exporter"))),
			),
			jen.Return(jen.Qual(pkgOtelSDK, "NewTracerProvider").Call(jen.Id("opts").Op("...")), jen.Nil()),
		)
	}
	return render(f)
}

// chainDoc describes the endpoint middleware chain of l, outermost first.
func chainDoc(l Layout) string {
	var parts []string
	if l.has("tracing") {
		parts = append(parts, "tracing")
	}
	parts = append(parts, "panic recovery")
	for _, m := range []struct{ key, doc string }{
		{"ratelimit", "rate limit"}, {"jwt", "JWT"}, {"basicauth", "basic auth"},
		{"validate", "validation"}, {"circuitbreaker", "circuit breaker"},
	} {
		if l.has(m.key) {
			parts = append(parts, m.doc)
		}
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out += ", " + p
	}
	return out
}

// mwRunSetup is the statements Run starts with when middlewares are
// enabled: set them up, and stop them when Run returns.
func mwRunSetup() []jen.Code {
	return []jen.Code{
		jen.Var().Id("mw").Id("middlewares"),
		jen.If(jen.Err().Op(":=").Id("mw").Dot("setup").Call(jen.Id("cfg"), jen.Id("logger")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Defer().Id("mw").Dot("stop").Call(jen.Id("cfg").Dot("ShutdownTimeout"), jen.Id("logger")),
		jen.Line(),
	}
}

// mwEndpoints is the expression Run builds its endpoints with: the service's
// endpoints with the middlewares of kitforge.yaml, or with panic recovery
// only (today's wiring) when there are none.
func mwEndpoints(l Layout) jen.Code {
	if len(l.Middleware) == 0 {
		return jen.Qual(l.Endpoint.Path, "New").Call(jen.Id("svc"), recoveringThenOptions(l))
	}
	return jen.Qual(l.Endpoint.Path, "Wrap").Call(jen.Qual(l.Endpoint.Path, "New").Call(jen.Id("svc"), jen.Id("o").Dot("endpointMiddleware").Call().Op("...")), jen.Id("mw").Dot("endpoint"))
}

// mwServerOptions are the extra arguments of NewHTTPHandler ("http") or
// NewGRPCServer ("grpc") in Run: the middlewares' transport options.
func mwServerOptions(l Layout, transport string) []jen.Code {
	if !NeedsTransportMiddleware(l) {
		return nil
	}
	return []jen.Code{jen.Id("mw").Dot(transport).Op("...")}
}

// onionComment explains Run's middleware onion.
func onionComment(l Layout) jen.Code {
	if len(l.Middleware) == 0 {
		return jen.Comment(wrapComment("The onion, innermost first: the service, its logging and instrumenting middlewares, the endpoints with panic recovery, then the transports.", 75))
	}
	return jen.Comment(wrapComment("The onion, innermost first: the service, its logging and instrumenting middlewares, the endpoints with the middlewares of kitforge.yaml (outermost first: "+chainDoc(l)+"), then the transports.", 75))
}

// recoveringThenOptions is the endpoint middlewares of a server without
// kitforge.yaml middlewares: panic recovery, then the caller's.
func recoveringThenOptions(l Layout) jen.Code {
	return jen.Append(
		jen.Index().Qual(kitEndpoint, "Middleware").Values(jen.Qual(l.Endpoint.Path, "RecoveringMiddleware").Call(jen.Id("logger"))),
		jen.Id("o").Dot("endpointMiddleware").Call().Op("..."),
	).Op("...")
}
