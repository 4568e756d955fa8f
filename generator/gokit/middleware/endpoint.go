package middleware

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// EndpointMiddleware emits <out>/<name>endpoint/middleware_gen.go, the
// endpoint middlewares enabled in kitforge.yaml (l.Middleware): Wrap and
// MethodMiddleware, MiddlewareError, and per toggle RateLimitMiddleware,
// CircuitBreakerMiddleware, JWTMiddleware, BasicAuthMiddleware,
// ValidatingMiddleware (with the request types' Validate methods) and
// TracingMiddleware. The server wires them (see ServerMiddleware).
func EndpointMiddleware(svc *model.Service, l gokit.Layout) ([]byte, error) {
	return endpointMiddleware(svc, l, nil)
}

// endpointMiddleware emits the endpoint middlewares of a Go-interface
// service, or of a proto service (ps not nil), whose MethodMiddlewares get
// the full rpc name, whose rejections are gRPC statuses and whose requests
// are the messages.
func endpointMiddleware(svc *model.Service, l gokit.Layout, ps *gokit.ProtoService) ([]byte, error) {
	f := l.NewFile(l.Endpoint)
	mwImports(f)
	genWrap(f, svc, ps)
	genMiddlewareError(f, ps != nil)
	if ps != nil {
		genMiddlewareStatus(f)
	}
	if l.Has("ratelimit") || l.Has("circuitbreaker") || l.HasAuth() {
		genGuard(f)
	}
	if l.Has("circuitbreaker") || l.Has("tracing") {
		genIsFailure(f, l, ps != nil)
	}
	if l.Has("ratelimit") {
		f.Comment("RateLimitMiddleware returns a middleware that lets through limit calls a second,")
		f.Comment("with bursts of up to burst, over all the endpoints it wraps (one token bucket:")
		f.Comment("Go kit's ratelimit over golang.org/x/time/rate), and rejects the others at once")
		f.Comment("with 429 Too Many Requests (gRPC ResourceExhausted).")
		f.Func().Id("RateLimitMiddleware").Params(jen.Id("limit").Qual(pkgRate, "Limit"), jen.Id("burst").Int()).Qual(gokit.KitEndpoint, "Middleware").Block(
			jen.Return(jen.Id("guard").Call(
				jen.Qual(kitRateLimit, "NewErroringLimiter").Call(jen.Qual(pkgRate, "NewLimiter").Call(jen.Id("limit"), jen.Id("burst"))),
				jen.Qual(gokit.PkgHTTP, "StatusTooManyRequests"), jen.Lit(""),
			)),
		)
	}
	if l.Has("circuitbreaker") {
		genCircuitBreaker(f)
	}
	if l.Has("jwt") {
		genJWTMiddleware(f, svc.Name)
	}
	if l.Has("basicauth") {
		genBasicAuthMiddleware(f)
	}
	if l.Has("validate") {
		genValidating(f, svc, ps)
	}
	if l.Has("tracing") {
		genTracing(f, svc, ps)
	}
	return gokit.Render(f)
}

// endpointFunc starts a function literal with the signature of an
// endpoint.Endpoint.
func endpointFunc() *jen.Statement {
	return jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error())
}

// middlewareFunc is func(next endpoint.Endpoint) endpoint.Endpoint { body }.
func middlewareFunc(body ...jen.Code) *jen.Statement {
	return jen.Func().Params(jen.Id("next").Qual(gokit.KitEndpoint, "Endpoint")).Qual(gokit.KitEndpoint, "Endpoint").Block(body...)
}

func genWrap(f *jen.File, svc *model.Service, ps *gokit.ProtoService) {
	name := func(m *model.Method) string { return m.Name }
	if ps != nil {
		name = func(m *model.Method) string { return ps.FullName + "/" + ps.Method(m).ProtoName }
		example := "Method"
		if ms := gokit.UnaryMethods(svc); len(ms) > 0 {
			example = name(ms[0])
		}
		f.Comment("MethodMiddleware returns the endpoint middleware of one rpc, named by its full")
		f.Comment("name (\"" + example + "\"): for middlewares that keep state or name things per")
		f.Comment("rpc, such as circuit breakers and trace spans.")
	} else {
		f.Comment("MethodMiddleware returns the endpoint middleware of one method, named as in the")
		f.Comment("service interface (\"" + firstMethodName(svc) + "\"): for middlewares that keep state or name things")
		f.Comment("per method, such as circuit breakers and trace spans.")
	}
	f.Type().Id("MethodMiddleware").Func().Params(jen.Id("method").String()).Qual(gokit.KitEndpoint, "Middleware")

	values := []jen.Code{}
	for _, m := range gokit.UnaryMethods(svc) {
		field := m.EndpointName()
		values = append(values, jen.Id(field).Op(":").Id("mdw").Call(jen.Lit(name(m))).Call(jen.Id("s").Dot(field)))
	}
	f.Comment("Wrap returns s with the endpoint of each method m wrapped in mdw(m).")
	f.Func().Id("Wrap").Params(jen.Id("s").Id("Set"), jen.Id("mdw").Id("MethodMiddleware")).Id("Set").Block(
		jen.Return(jen.Id("Set").Values(gokit.Multiline(values)...)),
	)
}

// firstMethodName names a method of svc for examples in comments.
func firstMethodName(svc *model.Service) string {
	if ms := gokit.UnaryMethods(svc); len(ms) > 0 {
		return ms[0].Name
	}
	return "Method"
}

func genMiddlewareError(f *jen.File, proto bool) {
	f.Comment("MiddlewareError is the error an endpoint middleware rejects a call with. The")
	if proto {
		f.Comment("transports answer with its gRPC status (see GRPCStatus), HTTP with the status")
		f.Comment("of its code: 400 InvalidArgument, 401 Unauthenticated, 429 ResourceExhausted,")
		f.Comment("503 Unavailable. errors.Is and errors.As see the cause, e.g. errors.Is(err,")
	} else {
		f.Comment("transports answer with Code (see HTTPStatus) or the matching gRPC code (see")
		f.Comment("GRPCCode): 400 InvalidArgument, 401 Unauthenticated, 429 ResourceExhausted, 503")
		f.Comment("Unavailable. errors.Is and errors.As see the cause, e.g. errors.Is(err,")
	}
	f.Comment("ratelimit.ErrLimited).")
	f.Type().Id("MiddlewareError").Struct(
		jen.Comment("Code is the HTTP status code."),
		jen.Id("Code").Int(),
		jen.Comment("Err is the cause."),
		jen.Id("Err").Error(),
		jen.Comment("Challenge is the WWW-Authenticate header of a 401 over HTTP."),
		jen.Id("Challenge").String(),
	)
	recv := jen.Id("e").Op("*").Id("MiddlewareError")
	f.Comment("Error returns the cause's message.")
	f.Func().Params(recv.Clone()).Id("Error").Params().String().Block(jen.Return(jen.Id("e").Dot("Err").Dot("Error").Call()))
	f.Comment("StatusCode returns the HTTP status code.")
	f.Func().Params(recv.Clone()).Id("StatusCode").Params().Int().Block(jen.Return(jen.Id("e").Dot("Code")))
	f.Comment("Unwrap returns the cause.")
	f.Func().Params(recv.Clone()).Id("Unwrap").Params().Error().Block(jen.Return(jen.Id("e").Dot("Err")))
	f.Comment("Headers returns the headers an HTTP error response carries: the challenge of a")
	f.Comment("401 (Go kit's httptransport.Headerer).")
	f.Func().Params(recv.Clone()).Id("Headers").Params().Qual(gokit.PkgHTTP, "Header").Block(
		jen.Id("h").Op(":=").Qual(gokit.PkgHTTP, "Header").Values(),
		jen.If(jen.Id("e").Dot("Challenge").Op("!=").Lit("")).Block(
			jen.Id("h").Dot("Set").Call(jen.Lit("WWW-Authenticate"), jen.Id("e").Dot("Challenge")),
		),
		jen.Return(jen.Id("h")),
	)
}

func genGuard(f *jen.File) {
	f.Comment("guard runs mdw around next and turns each error mdw fails a call with before it")
	f.Comment("calls next into a *MiddlewareError with code and challenge; the errors of next")
	f.Comment("pass through as they are.")
	f.Func().Id("guard").Params(jen.Id("mdw").Qual(gokit.KitEndpoint, "Middleware"), jen.Id("code").Int(), jen.Id("challenge").String()).Qual(gokit.KitEndpoint, "Middleware").Block(
		jen.Return(middlewareFunc(
			jen.Return(endpointFunc().Block(
				jen.Id("passed").Op(":=").False(),
				jen.List(jen.Id("response"), jen.Err()).Op(":=").Id("mdw").Call(endpointFunc().Block(
					jen.Id("passed").Op("=").True(),
					jen.Return(jen.Id("next").Call(jen.Id("ctx"), jen.Id("request"))),
				)).Call(jen.Id("ctx"), jen.Id("request")),
				jen.If(jen.Err().Op("!=").Nil().Op("&&").Op("!").Id("passed")).Block(
					jen.Return(jen.Nil(), jen.Op("&").Id("MiddlewareError").Values(
						jen.Id("Code").Op(":").Id("code"), jen.Id("Err").Op(":").Err(), jen.Id("Challenge").Op(":").Id("challenge"))),
				),
				jen.Return(jen.Id("response"), jen.Err()),
			)),
		)),
	)
}

func genIsFailure(f *jen.File, l gokit.Layout, proto bool) {
	tail := []jen.Code{jen.Return(jen.True())}
	if proto {
		f.Comment("IsFailure reports whether err is a failure of the service rather than a refused")
		f.Comment("call: a status of Unknown (any error without a status), Internal, Unavailable,")
		f.Comment("DeadlineExceeded or DataLoss, or an error whose StatusCode() is 500 or more but")
		f.Comment("501. Cancelled calls, ErrNotImplemented, the other statuses and nil are not")
		f.Comment("failures. Circuit breakers count failures, and the trace spans of failures get")
		f.Comment("the error status.")
		tail = []jen.Code{
			jen.Switch(jen.Qual(gokit.PkgGRPCStatus, "Code").Call(jen.Err())).Block(
				jen.Case(jen.Qual(gokit.PkgGRPCCodes, "Unknown"), jen.Qual(gokit.PkgGRPCCodes, "Internal"), jen.Qual(gokit.PkgGRPCCodes, "Unavailable"),
					jen.Qual(gokit.PkgGRPCCodes, "DeadlineExceeded"), jen.Qual(gokit.PkgGRPCCodes, "DataLoss")).Block(jen.Return(jen.True())),
			),
			jen.Return(jen.False()),
		}
	} else {
		f.Comment("IsFailure reports whether err is a failure of the service rather than a refused")
		f.Comment("call: an error with a status of 500 or more, except 501 (a method not implemented")
		f.Comment("yet), an expired deadline, or an error without a status. Cancelled calls, 4xx")
		f.Comment("statuses and nil are not failures. Circuit breakers count failures, and the trace")
		f.Comment("spans of failures get the error status.")
	}
	f.Func().Id("IsFailure").Params(jen.Err().Error()).Bool().Block(append([]jen.Code{
		jen.If(jen.Err().Op("==").Nil().Op("||").Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgContext, "Canceled")).
			Op("||").Qual(gokit.PkgErrors, "Is").Call(jen.Err(), l.ServiceIdent("ErrNotImplemented"))).Block(jen.Return(jen.False())),
		jen.Var().Id("sc").Interface(jen.Id("StatusCode").Params().Int()),
		jen.If(jen.Qual(gokit.PkgErrors, "As").Call(jen.Err(), jen.Op("&").Id("sc"))).Block(
			jen.Return(jen.Id("sc").Dot("StatusCode").Call().Op(">=").Lit(500).Op("&&").Id("sc").Dot("StatusCode").Call().Op("!=").Qual(gokit.PkgHTTP, "StatusNotImplemented")),
		),
	}, tail...)...)
}

func genCircuitBreaker(f *jen.File) {
	f.Comment("BreakerSettings returns the settings of a circuit breaker named name that opens")
	f.Comment("after failures consecutive failed calls (see IsFailure), rejects calls for")
	f.Comment("timeout, then lets one trial call through: its success closes the breaker, its")
	f.Comment("failure opens it again. Set OnStateChange to hear of the transitions.")
	f.Func().Id("BreakerSettings").Params(jen.Id("name").String(), jen.Id("failures").Uint32(), jen.Id("timeout").Qual(gokit.PkgTime, "Duration")).Qual(pkgGobreaker, "Settings").Block(
		jen.Return(jen.Qual(pkgGobreaker, "Settings").Values(gokit.Multiline([]jen.Code{
			jen.Id("Name").Op(":").Id("name"),
			jen.Id("MaxRequests").Op(":").Lit(1),
			jen.Id("Timeout").Op(":").Id("timeout"),
			jen.Id("ReadyToTrip").Op(":").Func().Params(jen.Id("counts").Qual(pkgGobreaker, "Counts")).Bool().Block(
				jen.Return(jen.Id("counts").Dot("ConsecutiveFailures").Op(">=").Id("failures")),
			),
			jen.Id("IsSuccessful").Op(":").Func().Params(jen.Err().Error()).Bool().Block(jen.Return(jen.Op("!").Id("IsFailure").Call(jen.Err()))),
		})...)),
	)

	f.Comment("CircuitBreakerMiddleware returns a middleware with one circuit breaker made from")
	f.Comment("st (Go kit's circuitbreaker.Gobreaker over sony/gobreaker), shared by all the")
	f.Comment("endpoints it wraps: make one per endpoint, or on a client one per instance. While")
	f.Comment("the breaker is open, calls fail at once with 503 Service Unavailable (gRPC")
	f.Comment("Unavailable). Business errors that are failures (see IsFailure) count against")
	f.Comment("the breaker like errors, and still reach the caller as business errors.")
	f.Func().Id("CircuitBreakerMiddleware").Params(jen.Id("st").Qual(pkgGobreaker, "Settings")).Qual(gokit.KitEndpoint, "Middleware").Block(
		jen.Id("breaker").Op(":=").Id("guard").Call(
			jen.Qual(kitBreaker, "Gobreaker").Call(jen.Qual(pkgGobreaker, "NewCircuitBreaker").Call(jen.Id("st"))),
			jen.Qual(gokit.PkgHTTP, "StatusServiceUnavailable"), jen.Lit(""),
		),
		jen.Return(middlewareFunc(
			jen.Id("counted").Op(":=").Id("breaker").Call(endpointFunc().Block(
				jen.List(jen.Id("response"), jen.Err()).Op(":=").Id("next").Call(jen.Id("ctx"), jen.Id("request")),
				jen.If(jen.List(jen.Id("f"), jen.Id("ok")).Op(":=").Id("response").Assert(jen.Qual(gokit.KitEndpoint, "Failer")),
					jen.Id("ok").Op("&&").Err().Op("==").Nil().Op("&&").Id("IsFailure").Call(jen.Id("f").Dot("Failed").Call())).Block(
					jen.Return(jen.Nil(), jen.Id("failedResponse").Values(jen.Id("response").Op(":").Id("response"), jen.Err().Op(":").Id("f").Dot("Failed").Call())),
				),
				jen.Return(jen.Id("response"), jen.Err()),
			)),
			jen.Return(endpointFunc().Block(
				jen.List(jen.Id("response"), jen.Err()).Op(":=").Id("counted").Call(jen.Id("ctx"), jen.Id("request")),
				jen.Var().Id("failed").Id("failedResponse"),
				jen.If(jen.Qual(gokit.PkgErrors, "As").Call(jen.Err(), jen.Op("&").Id("failed"))).Block(
					jen.Return(jen.Id("failed").Dot("response"), jen.Nil()),
				),
				jen.Return(jen.Id("response"), jen.Err()),
			)),
		)),
	)

	f.Comment("failedResponse carries a response whose business error is a failure through a")
	f.Comment("circuit breaker, which counts errors only.")
	f.Type().Id("failedResponse").Struct(
		jen.Id("response").Any(),
		jen.Err().Error(),
	)
	f.Comment("Error returns the business error's message.")
	f.Func().Params(jen.Id("f").Id("failedResponse")).Id("Error").Params().String().Block(jen.Return(jen.Id("f").Dot("err").Dot("Error").Call()))
	f.Comment("Unwrap returns the business error.")
	f.Func().Params(jen.Id("f").Id("failedResponse")).Id("Unwrap").Params().Error().Block(jen.Return(jen.Id("f").Dot("err")))
}

// validatable reports whether a parameter of type t may have a Validate
// method kitforge calls: named types other than time's, and pointers to them.
func validatable(t *model.Type) bool {
	if t.Kind == model.Pointer {
		t = t.Elem
	}
	return t.Kind == model.Named && t.Ident.ImportPath != "time"
}

func genValidating(f *jen.File, svc *model.Service, ps *gokit.ProtoService) {
	if ps != nil {
		f.Comment("ValidatingMiddleware returns a middleware that calls the Validate() error method")
		f.Comment("of the request messages that have one before the service (write it in the")
		f.Comment("message's package, or generate it, e.g. with protoc-gen-validate). A failure")
		f.Comment("answers InvalidArgument (400 over HTTP), or the status of an error that carries")
		f.Comment("one (a gRPC status, or StatusCode() int).")
	} else {
		f.Comment("ValidatingMiddleware returns a middleware that calls the Validate method of the")
		f.Comment("requests that have one before the service: the requests of methods with")
		f.Comment("parameters of named types, whose Validate calls the Validate() error method of")
		f.Comment("each parameter that has one. A failure answers 400 Bad Request (gRPC")
		f.Comment("InvalidArgument), or the status of an error that carries one (StatusCode() int).")
	}
	passThrough := jen.Qual(gokit.PkgErrors, "As").Call(jen.Err(), jen.Op("&").Id("sc"))
	if ps != nil {
		passThrough = passThrough.Op("||").Add(jen.Qual(gokit.PkgGRPCStatus, "Code").Call(jen.Err()).Op("!=").Qual(gokit.PkgGRPCCodes, "Unknown"))
	}
	f.Func().Id("ValidatingMiddleware").Params().Qual(gokit.KitEndpoint, "Middleware").Block(
		jen.Return(middlewareFunc(
			jen.Return(endpointFunc().Block(
				jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("request").Assert(jen.Id("validator")), jen.Id("ok")).Block(
					jen.If(jen.Err().Op(":=").Id("v").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(
						jen.Var().Id("sc").Interface(jen.Id("StatusCode").Params().Int()),
						jen.If(passThrough).Block(jen.Return(jen.Nil(), jen.Err())),
						jen.Return(jen.Nil(), jen.Op("&").Id("MiddlewareError").Values(jen.Id("Code").Op(":").Qual(gokit.PkgHTTP, "StatusBadRequest"), jen.Id("Err").Op(":").Err())),
					),
				),
				jen.Return(jen.Id("next").Call(jen.Id("ctx"), jen.Id("request"))),
			)),
		)),
	)
	f.Comment("validator is the validation hook: a value with a Validate method.")
	f.Type().Id("validator").Interface(jen.Id("Validate").Params().Error())
	if ps != nil {
		return
	}

	for _, m := range gokit.UnaryMethods(svc) {
		var checks []jen.Code
		clash := false
		for _, p := range m.Params {
			clash = clash || p.GoName == "Validate"
			if !validatable(p.Type) {
				continue
			}
			field := jen.Id("r").Dot(p.GoName)
			check := jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Any().Parens(jen.Op("&").Add(field.Clone())).Assert(jen.Id("validator")), jen.Id("ok")).Block(
				jen.If(jen.Err().Op(":=").Id("v").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			)
			if p.Type.Kind == model.Pointer {
				check = jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Any().Parens(field.Clone()).Assert(jen.Id("validator")), jen.Id("ok").Op("&&").Add(field.Clone()).Op("!=").Nil()).Block(
					jen.If(jen.Err().Op(":=").Id("v").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
				)
			}
			checks = append(checks, check)
		}
		if len(checks) == 0 || clash {
			continue
		}
		f.Comment("Validate calls the Validate method of each parameter of " + m.Name + " whose type has")
		f.Comment("one, in order, and returns the first error; ValidatingMiddleware calls it.")
		f.Func().Params(jen.Id("r").Id(m.RequestName())).Id("Validate").Params().Error().Block(append(checks, jen.Return(jen.Nil()))...)
	}
}

func genTracing(f *jen.File, svc *model.Service, ps *gokit.ProtoService) {
	service := svc.Name + "." + svc.GoName
	spanName := jen.Lit(service + "/").Op("+").Id("method")
	serviceAttr, methodAttr, split := jen.Lit(service), jen.Id("method"), jen.Null()
	if ps != nil { // "pkg.Service/Rpc", of whichever service's endpoint it wraps
		service, spanName = ps.FullName, jen.Id("method")
		serviceAttr, methodAttr = jen.Id("service"), jen.Id("rpc")
		split = jen.List(jen.Id("service"), jen.Id("rpc"), jen.Id("_")).Op(":=").Qual("strings", "Cut").Call(jen.Id("method"), jen.Lit("/"))
	}
	f.Comment("TracingMiddleware returns a MethodMiddleware that runs each call in an")
	f.Comment("OpenTelemetry span named \"" + service + "/" + firstMethodName(svc) + "\", of kind (trace.SpanKindServer in a server,")
	f.Comment("trace.SpanKindClient around a client), a child of the span in the context: on a")
	f.Comment("server, the caller's, which the transports' tracing options extract from the")
	f.Comment("request. Errors and business errors are recorded on the span; failures (see")
	f.Comment("IsFailure) also set its status to Error.")
	f.Func().Id("TracingMiddleware").Params(jen.Id("tracer").Qual(pkgOtelTrace, "Tracer"), jen.Id("kind").Qual(pkgOtelTrace, "SpanKind")).Id("MethodMiddleware").Block(
		jen.Return(jen.Func().Params(jen.Id("method").String()).Qual(gokit.KitEndpoint, "Middleware").Block(
			jen.Id("name").Op(":=").Add(spanName),
			split,
			jen.Id("attrs").Op(":=").Qual(pkgOtelTrace, "WithAttributes").Call(
				jen.Qual(pkgOtelAttr, "String").Call(jen.Lit("rpc.service"), serviceAttr),
				jen.Qual(pkgOtelAttr, "String").Call(jen.Lit("rpc.method"), methodAttr),
			),
			jen.Return(middlewareFunc(
				jen.Return(endpointFunc().Block(
					jen.List(jen.Id("ctx"), jen.Id("span")).Op(":=").Id("tracer").Dot("Start").Call(jen.Id("ctx"), jen.Id("name"), jen.Qual(pkgOtelTrace, "WithSpanKind").Call(jen.Id("kind")), jen.Id("attrs")),
					jen.Defer().Id("span").Dot("End").Call(),
					jen.List(jen.Id("response"), jen.Err()).Op(":=").Id("next").Call(jen.Id("ctx"), jen.Id("request")),
					jen.Id("failed").Op(":=").Err(),
					jen.If(jen.List(jen.Id("f"), jen.Id("ok")).Op(":=").Id("response").Assert(jen.Qual(gokit.KitEndpoint, "Failer")), jen.Id("ok").Op("&&").Err().Op("==").Nil()).Block(
						jen.Id("failed").Op("=").Id("f").Dot("Failed").Call(),
					),
					jen.If(jen.Id("failed").Op("!=").Nil()).Block(
						jen.Id("span").Dot("RecordError").Call(jen.Id("failed")),
						jen.If(jen.Id("IsFailure").Call(jen.Id("failed"))).Block(
							jen.Id("span").Dot("SetStatus").Call(jen.Qual(pkgOtelCodes, "Error"), jen.Id("failed").Dot("Error").Call()),
						),
					),
					jen.Return(jen.Id("response"), jen.Err()),
				)),
			)),
		)),
	)
}

// ProtoEndpointMiddleware emits <out>/<svc>endpoint/middleware_gen.go of a
// proto service: the endpoint middlewares of a Go-interface service's
// (EndpointMiddleware), named by the rpcs' full names, rejecting calls with
// gRPC statuses (MiddlewareError.GRPCStatus), and validating the request
// messages that have a Validate() error method. The authentication realm
// is the server's name, serverName, as every service of the server shares
// the middlewares of the first one's package.
func ProtoEndpointMiddleware(serverName string, ps *gokit.ProtoService) ([]byte, error) {
	svc := *ps.Svc
	svc.Name = serverName
	return endpointMiddleware(&svc, ps.Layout, ps)
}

// genMiddlewareStatus emits MiddlewareError.GRPCStatus for proto services,
// whose transports answer errors by their gRPC status.
func genMiddlewareStatus(f *jen.File) {
	f.ImportAlias(gokit.PkgGRPCCodes, "grpccodes")
	f.ImportName(gokit.PkgGRPCStatus, "status")
	cases := []jen.Code{}
	for _, c := range []struct{ http, grpc string }{
		{"StatusBadRequest", "InvalidArgument"}, {"StatusUnauthorized", "Unauthenticated"},
		{"StatusTooManyRequests", "ResourceExhausted"}, {"StatusServiceUnavailable", "Unavailable"},
	} {
		cases = append(cases, jen.Case(jen.Qual(gokit.PkgHTTP, c.http)).Block(jen.Id("code").Op("=").Qual(gokit.PkgGRPCCodes, c.grpc)))
	}
	f.Comment("GRPCStatus returns the gRPC status the call is rejected with, by Code:")
	f.Comment("InvalidArgument, Unauthenticated, ResourceExhausted or Unavailable, with the")
	f.Comment("cause's message. Both transports answer with it (HTTP with its code's status).")
	f.Func().Params(jen.Id("e").Op("*").Id("MiddlewareError")).Id("GRPCStatus").Params().Op("*").Qual(gokit.PkgGRPCStatus, "Status").Block(
		jen.Id("code").Op(":=").Qual(gokit.PkgGRPCCodes, "Unknown"),
		jen.Switch(jen.Id("e").Dot("Code")).Block(cases...),
		jen.Return(jen.Qual(gokit.PkgGRPCStatus, "New").Call(jen.Id("code"), jen.Id("e").Dot("Err").Dot("Error").Call())),
	)
}
