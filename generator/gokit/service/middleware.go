package service

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// Middleware emits <svc>/middleware_gen.go: the Middleware type and the
// logging and instrumenting service middlewares, as in addsvc's
// addservice/middleware.go.
func Middleware(svc *model.Service, l gokit.Layout) ([]byte, error) {
	f := l.NewFile(l.Service)
	iface := svc.Interface.Name
	n := l.Names.Name
	if !l.Names.UserMiddleware {
		f.Comment(n("Middleware") + " describes a service middleware: a function that wraps a " + iface + ".")
		f.Type().Id(n("Middleware")).Func().Params(jen.Id(iface)).Id(iface)
	}

	genLoggingMiddleware(f, svc, n)
	genInstrumentingMiddleware(f, svc, n)
	genRequestIDContext(f)
	genLogger(f, n)
	return gokit.Render(f)
}

// ProtoMiddleware emits <svc>/middleware_gen.go for a proto service: the
// Middleware type and the logging and instrumenting middlewares, for every
// rpc (a streaming rpc is observed from its start to the end of its stream).
// Requests are not logged: messages may carry personal data.
func ProtoMiddleware(ps *gokit.ProtoService) ([]byte, error) {
	svc := ps.Svc
	f := gokit.ProtoNewFile(ps.Layout.Service, ps)
	f.Comment("Middleware describes a service middleware: a function that wraps a Service.")
	f.Type().Id("Middleware").Func().Params(jen.Id("Service")).Id("Service")

	f.Comment("LoggingMiddleware logs every call with its method, request id, duration and")
	f.Comment("error; a streaming rpc is logged when its stream ends. Messages are not logged.")
	f.Func().Id("LoggingMiddleware").Params(jen.Id("logger").Qual(gokit.KitLog, "Logger")).Id("Middleware").Block(
		jen.Return(jen.Func().Params(jen.Id("next").Id("Service")).Id("Service").Block(
			jen.Return(jen.Id("loggingMiddleware").Values(jen.Id("logger"), jen.Id("next"))),
		)),
	)
	f.Type().Id("loggingMiddleware").Struct(jen.Id("logger").Qual(gokit.KitLog, "Logger"), jen.Id("next").Id("Service"))
	for _, m := range svc.Methods {
		f.Comment(m.Name + " logs the call and forwards it to the next Service.")
		f.Func().Params(jen.Id("mw").Id("loggingMiddleware")).Id(m.Name).Params(gokit.Params(m)...).Params(gokit.NamedResults(m)...).Block(
			jen.Defer().Func().Params(jen.Id("begin").Qual(gokit.PkgTime, "Time")).Block(
				jen.Id("_").Op("=").Id("mw").Dot("logger").Dot("Log").Call(append(logCallKeys(m),
					jen.Lit("took"), jen.Qual(gokit.PkgTime, "Since").Call(jen.Id("begin")), jen.Lit("err"), jen.Err())...),
			).Call(jen.Qual(gokit.PkgTime, "Now").Call()),
			forward(m, jen.Id("mw").Dot("next")),
		)
	}

	f.Comment("InstrumentingMiddleware counts calls by method and outcome (success or error)")
	f.Comment("and records their latency in seconds.")
	f.Func().Id("InstrumentingMiddleware").Params(
		jen.Id("requests").Qual(gokit.KitMetrics, "Counter"),
		jen.Id("latency").Qual(gokit.KitMetrics, "Histogram"),
	).Id("Middleware").Block(
		jen.Return(jen.Func().Params(jen.Id("next").Id("Service")).Id("Service").Block(
			jen.Return(jen.Id("instrumentingMiddleware").Values(jen.Id("requests"), jen.Id("latency"), jen.Id("next"))),
		)),
	)
	f.Type().Id("instrumentingMiddleware").Struct(
		jen.Id("requests").Qual(gokit.KitMetrics, "Counter"),
		jen.Id("latency").Qual(gokit.KitMetrics, "Histogram"),
		jen.Id("next").Id("Service"),
	)
	f.Comment("observe records one call of method that started at begin.")
	f.Func().Params(jen.Id("mw").Id("instrumentingMiddleware")).Id("observe").Params(
		jen.Id("method").String(), jen.Id("begin").Qual(gokit.PkgTime, "Time"), jen.Err().Error(),
	).Block(
		jen.Id("outcome").Op(":=").Lit("success"),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("outcome").Op("=").Lit("error")),
		jen.Id("mw").Dot("requests").Dot("With").Call(jen.Lit("method"), jen.Id("method"), jen.Lit("outcome"), jen.Id("outcome")).Dot("Add").Call(jen.Lit(1)),
		jen.Id("mw").Dot("latency").Dot("With").Call(jen.Lit("method"), jen.Id("method"), jen.Lit("outcome"), jen.Id("outcome")).Dot("Observe").Call(
			jen.Qual(gokit.PkgTime, "Since").Call(jen.Id("begin")).Dot("Seconds").Call()),
	)
	for _, m := range svc.Methods {
		f.Comment(m.Name + " records the call's outcome and latency.")
		f.Func().Params(jen.Id("mw").Id("instrumentingMiddleware")).Id(m.Name).Params(gokit.Params(m)...).Params(gokit.NamedResults(m)...).Block(
			jen.Defer().Func().Params(jen.Id("begin").Qual(gokit.PkgTime, "Time")).Block(
				jen.Id("mw").Dot("observe").Call(jen.Lit(m.Name), jen.Id("begin"), jen.Err()),
			).Call(jen.Qual(gokit.PkgTime, "Now").Call()),
			forward(m, jen.Id("mw").Dot("next")),
		)
	}
	genRequestIDContext(f)
	return gokit.Render(f)
}

func genLoggingMiddleware(f *jen.File, svc *model.Service, n func(string) string) {
	iface := svc.Interface.Name
	f.Comment(n("LoggingMiddleware") + " logs every call with its method, request id, parameters")
	f.Comment("(except those marked kitforge:sensitive; each cut at logValueLimit bytes),")
	f.Comment("duration and error.")
	f.Func().Id(n("LoggingMiddleware")).Params(jen.Id("logger").Qual(gokit.KitLog, "Logger")).Id(n("Middleware")).Block(
		jen.Return(jen.Func().Params(jen.Id("next").Id(iface)).Id(iface).Block(
			jen.Return(jen.Id(n("loggingMiddleware")).Values(jen.Id("logger"), jen.Id("next"))),
		)),
	)
	f.Type().Id(n("loggingMiddleware")).Struct(
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("next").Id(iface),
	)
	need := logHelpers{n: n}
	for _, m := range gokit.UnaryMethods(svc) {
		kv := []jen.Code{jen.Lit("method"), jen.Lit(m.Name)}
		if m.HasContext {
			kv = append(kv, jen.Lit("request_id"), jen.Id("RequestIDFromContext").Call(jen.Id("ctx")))
		}
		for _, p := range m.Params {
			if !p.Sensitive {
				kv = append(kv, jen.Lit(p.JSONName), need.logValue(svc, p))
			}
		}
		kv = append(kv, jen.Lit("took"), jen.Qual(gokit.PkgTime, "Since").Call(jen.Id("begin")))
		if m.HasError {
			kv = append(kv, jen.Lit("err"), jen.Err())
		}
		f.Comment(m.Name + " logs the call and forwards it to the next " + iface + ".")
		f.Func().Params(jen.Id("mw").Id(n("loggingMiddleware"))).Id(m.Name).Params(gokit.Params(m)...).Params(gokit.NamedResults(m)...).Block(
			jen.Defer().Func().Params(jen.Id("begin").Qual(gokit.PkgTime, "Time")).Block(
				jen.Id("_").Op("=").Id("mw").Dot("logger").Dot("Log").Call(kv...),
			).Call(jen.Qual(gokit.PkgTime, "Now").Call()),
			forward(m, jen.Id("mw").Dot("next")),
		)
	}
	need.gen(f)
}

// logHelpers records which helpers the logged values of a logging middleware
// use, so that only those are emitted.
type logHelpers struct {
	json, named, str, bytes bool
	n                       func(string) string // the service package's names (ServiceNames.Name)
}

// logValue is how parameter p is logged: strings and byte slices capped at
// logValueLimit bytes, values logfmt cannot write (and named strings, whose
// String method may hide them) as capped JSON or text, others as they are.
func (h *logHelpers) logValue(svc *model.Service, p *model.Field) jen.Code {
	t, v := p.Type, jen.Id(p.VarName)
	switch {
	case t.Kind == model.Basic && t.BasicName == "string":
		h.str = true
		return jen.Id("capLog").Call(v)
	case t.Kind == model.Slice && t.Elem.Kind == model.Basic && (t.Elem.BasicName == "byte" || t.Elem.BasicName == "uint8"):
		h.str, h.bytes = true, true
		return jen.Id("capLogBytes").Call(v)
	case svc.Source == model.SourceGo && logfmtCannotWrite(t):
		h.str, h.bytes, h.json = true, true, true
		return jen.Id(h.n("jsonLogValue")).Values(v)
	case isNamedString(t):
		h.str, h.bytes, h.named = true, true, true
		return jen.Id("stringLogValue").Values(v, jen.String().Call(v.Clone()))
	}
	return v
}

// isNamedString reports whether t is a named type whose underlying type is
// string (time types are not).
func isNamedString(t *model.Type) bool {
	return t.Kind == model.Named && t.Underlying != nil && t.Underlying.Kind == model.Basic && t.Underlying.BasicName == "string"
}

// gen emits the helpers h records.
func (h *logHelpers) gen(f *jen.File) {
	if h.json {
		genJSONLogValue(f, h.n("jsonLogValue"))
	}
	if h.named {
		genStringLogValue(f)
	}
	if h.str {
		genCapLog(f, h.bytes)
	}
}

// genStringLogValue emits stringLogValue, which the logging middleware wraps
// the parameters of named string types in.
func genStringLogValue(f *jen.File) {
	f.Comment("stringLogValue is a parameter of a named string type as a log line holds it:")
	f.Comment("its text or String method when it has one (which may hide the value), else")
	f.Comment("the string s, cut at logValueLimit bytes.")
	f.Type().Id("stringLogValue").Struct(jen.Id("v").Any(), jen.Id("s").String())
	f.Comment("MarshalText implements encoding.TextMarshaler, which logfmt and JSON loggers use.")
	f.Func().Params(jen.Id("l").Id("stringLogValue")).Id("MarshalText").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Switch(jen.Id("v").Op(":=").Id("l").Dot("v").Assert(jen.Type())).Block(
			jen.Case(jen.Qual("encoding", "TextMarshaler")).Block(
				jen.List(jen.Id("b"), jen.Err()).Op(":=").Id("v").Dot("MarshalText").Call(),
				jen.Return(jen.Id("capLogBytes").Call(jen.Id("b")), jen.Err()),
			),
			jen.Case(jen.Qual(gokit.PkgFmt, "Stringer")).Block(jen.Return(jen.Index().Byte().Call(jen.Id("capLog").Call(jen.Id("v").Dot("String").Call())), jen.Nil())),
		),
		jen.Return(jen.Index().Byte().Call(jen.Id("capLog").Call(jen.Id("l").Dot("s"))), jen.Nil()),
	)
}

// genCapLog emits logValueLimit and capLog (and capLogBytes), which keep a
// large parameter from making a log line as large.
func genCapLog(f *jen.File, bytes bool) {
	f.Comment("logValueLimit is the most bytes of one parameter that the logging middleware")
	f.Comment("writes: a longer value is cut, and the cut is marked with the value's length.")
	f.Const().Id("logValueLimit").Op("=").Lit(1024)
	f.Comment("capLog cuts s to logValueLimit bytes (at a UTF-8 boundary), marked with its")
	f.Comment(`length: "abc…(1048576 bytes)". Short values are returned as they are.`)
	f.Func().Id("capLog").Params(jen.Id("s").String()).String().Block(
		jen.If(jen.Len(jen.Id("s")).Op("<=").Id("logValueLimit")).Block(jen.Return(jen.Id("s"))),
		jen.Id("cut").Op(":=").Id("logValueLimit"),
		jen.For(jen.Id("cut").Op(">").Lit(0).Op("&&").Op("!").Qual("unicode/utf8", "RuneStart").Call(jen.Id("s").Index(jen.Id("cut")))).Block(jen.Id("cut").Op("--")),
		jen.Return(jen.Id("s").Index(jen.Empty(), jen.Id("cut")).Op("+").Lit("…(").Op("+").Qual(gokit.PkgStrconv, "Itoa").Call(jen.Len(jen.Id("s"))).Op("+").Lit(" bytes)")),
	)
	if !bytes {
		return
	}
	f.Comment("capLogBytes is capLog for byte slices.")
	f.Func().Id("capLogBytes").Params(jen.Id("b").Index().Byte()).Index().Byte().Block(
		jen.If(jen.Len(jen.Id("b")).Op("<=").Id("logValueLimit")).Block(jen.Return(jen.Id("b"))),
		jen.Return(jen.Index().Byte().Call(jen.Id("capLog").Call(jen.String().Call(jen.Id("b"))))),
	)
}

// logfmtCannotWrite reports whether a value of type t, logged as it is,
// would come out of Go kit's logfmt logger as "unsupported value type":
// structs, slices, arrays and maps (but []byte), behind any pointers, and
// values of type any. time.Time, which marshals itself to text, is fine.
func logfmtCannotWrite(t *model.Type) bool {
	for t.Kind == model.Pointer {
		t = t.Elem
	}
	switch t.Kind {
	case model.Named:
		if t.IsNamed(gokit.PkgTime, "Time") || t.Underlying == nil {
			return false
		}
		return logfmtCannotWrite(t.Underlying)
	case model.Slice:
		return !(t.Elem.Kind == model.Basic && (t.Elem.BasicName == "byte" || t.Elem.BasicName == "uint8"))
	case model.Array, model.Map, model.Struct, model.Any:
		return true
	}
	return false
}

// genJSONLogValue emits jsonLogValue, which the logging middleware wraps
// the parameters logfmt cannot write in.
func genJSONLogValue(f *jen.File, name string) {
	f.Comment(name + " is a parameter as a log line can hold it: Go kit's logfmt")
	f.Comment("logger cannot write structs, slices or maps, so they are logged as their")
	f.Comment("JSON (or their text, for types that marshal themselves to text); JSON")
	f.Comment("loggers get the JSON as it is.")
	f.Type().Id(name).Struct(jen.Id("v").Any())
	f.Comment("MarshalText implements encoding.TextMarshaler, which logfmt uses.")
	f.Func().Params(jen.Id("j").Id(name)).Id("MarshalText").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Var().Id("b").Index().Byte(),
		jen.Var().Err().Error(),
		jen.Switch(jen.Id("v").Op(":=").Id("j").Dot("v").Assert(jen.Type())).Block(
			jen.Case(jen.Qual("encoding", "TextMarshaler")).Block(jen.List(jen.Id("b"), jen.Err()).Op("=").Id("v").Dot("MarshalText").Call()),
			jen.Case(jen.Qual(gokit.PkgFmt, "Stringer")).Block(jen.Id("b").Op("=").Index().Byte().Call(jen.Id("v").Dot("String").Call())),
			jen.Default().Block(jen.List(jen.Id("b"), jen.Err()).Op("=").Qual(gokit.PkgJSON, "Marshal").Call(jen.Id("v"))),
		),
		jen.Return(jen.Id("capLogBytes").Call(jen.Id("b")), jen.Err()),
	)
	f.Comment("MarshalJSON implements json.Marshaler, which JSON loggers use; a value over")
	f.Comment("logValueLimit is logged as a JSON string, cut as capLog cuts it.")
	f.Func().Params(jen.Id("j").Id(name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.List(jen.Id("b"), jen.Err()).Op(":=").Qual(gokit.PkgJSON, "Marshal").Call(jen.Id("j").Dot("v")),
		jen.If(jen.Err().Op("!=").Nil().Op("||").Len(jen.Id("b")).Op("<=").Id("logValueLimit")).Block(jen.Return(jen.Id("b"), jen.Err())),
		jen.Return(jen.Qual(gokit.PkgJSON, "Marshal").Call(jen.Id("capLog").Call(jen.String().Call(jen.Id("b"))))),
	)
}

func genInstrumentingMiddleware(f *jen.File, svc *model.Service, n func(string) string) {
	iface := svc.Interface.Name
	methods := gokit.UnaryMethods(svc)
	field := func(m *model.Method) string { return model.LowerCamel(m.Name) + "Metrics" }

	f.Comment(n("InstrumentingMiddleware") + " counts calls by method and outcome (success or error)")
	f.Comment("and records their latency in seconds. requests and latency must have the")
	f.Comment("labels method and outcome. Their children are resolved once here, so a call")
	f.Comment("allocates nothing for metrics (Go kit's metrics adapter builds label maps on")
	f.Comment("every call).")
	inits := make([]jen.Code, 0, len(methods))
	for _, m := range methods {
		inits = append(inits, jen.Id(field(m)).Op(":").Id(n("newMethodMetrics")).Call(jen.Id("requests"), jen.Id("latency"), jen.Lit(m.Name)))
	}
	f.Func().Id(n("InstrumentingMiddleware")).Params(
		jen.Id("requests").Op("*").Qual(gokit.PromClient, "CounterVec"),
		jen.Id("latency").Op("*").Qual(gokit.PromClient, "HistogramVec"),
	).Id(n("Middleware")).Block(
		jen.Return(jen.Func().Params(jen.Id("next").Id(iface)).Id(iface).Block(
			jen.Return(jen.Id(n("instrumentingMiddleware")).Values(gokit.Multiline(append([]jen.Code{jen.Id("next").Op(":").Id("next")}, inits...))...)),
		)),
	)
	fields := []jen.Code{jen.Id("next").Id(iface)}
	for _, m := range methods {
		fields = append(fields, jen.Id(field(m)).Id(n("methodMetrics")))
	}
	f.Type().Id(n("instrumentingMiddleware")).Struct(fields...)

	f.Comment(n("methodMetrics") + " holds one method's metric children, by outcome.")
	f.Type().Id(n("methodMetrics")).Struct(
		jen.List(jen.Id("success"), jen.Id("failure")).Qual(gokit.PromClient, "Counter"),
		jen.List(jen.Id("successLatency"), jen.Id("failureLatency")).Qual(gokit.PromClient, "Observer"),
	)
	f.Comment(n("newMethodMetrics") + " resolves the children of one method.")
	f.Func().Id(n("newMethodMetrics")).Params(
		jen.Id("requests").Op("*").Qual(gokit.PromClient, "CounterVec"),
		jen.Id("latency").Op("*").Qual(gokit.PromClient, "HistogramVec"),
		jen.Id("method").String(),
	).Id(n("methodMetrics")).Block(
		jen.Return(jen.Id(n("methodMetrics")).Values(gokit.Multiline([]jen.Code{
			jen.Id("success").Op(":").Id("requests").Dot("WithLabelValues").Call(jen.Id("method"), jen.Lit("success")),
			jen.Id("failure").Op(":").Id("requests").Dot("WithLabelValues").Call(jen.Id("method"), jen.Lit("error")),
			jen.Id("successLatency").Op(":").Id("latency").Dot("WithLabelValues").Call(jen.Id("method"), jen.Lit("success")),
			jen.Id("failureLatency").Op(":").Id("latency").Dot("WithLabelValues").Call(jen.Id("method"), jen.Lit("error")),
		})...)),
	)
	f.Comment("observe records one call that started at begin.")
	f.Func().Params(jen.Id("m").Id(n("methodMetrics"))).Id("observe").Params(jen.Id("begin").Qual(gokit.PkgTime, "Time"), jen.Err().Error()).Block(
		jen.Id("took").Op(":=").Qual(gokit.PkgTime, "Since").Call(jen.Id("begin")).Dot("Seconds").Call(),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Id("m").Dot("failure").Dot("Inc").Call(),
			jen.Id("m").Dot("failureLatency").Dot("Observe").Call(jen.Id("took")),
			jen.Return(),
		),
		jen.Id("m").Dot("success").Dot("Inc").Call(),
		jen.Id("m").Dot("successLatency").Dot("Observe").Call(jen.Id("took")),
	)
	for _, m := range methods {
		errArg := jen.Code(jen.Nil())
		if m.HasError {
			errArg = jen.Err()
		}
		f.Comment(m.Name + " records the call's outcome and latency.")
		f.Func().Params(jen.Id("mw").Id(n("instrumentingMiddleware"))).Id(m.Name).Params(gokit.Params(m)...).Params(gokit.NamedResults(m)...).Block(
			jen.Defer().Func().Params(jen.Id("begin").Qual(gokit.PkgTime, "Time")).Block(
				jen.Id("mw").Dot(field(m)).Dot("observe").Call(jen.Id("begin"), errArg),
			).Call(jen.Qual(gokit.PkgTime, "Now").Call()),
			forward(m, jen.Id("mw").Dot("next")),
		)
	}
}

// forward calls the same method on next and returns its results.
func forward(m *model.Method, next *jen.Statement) jen.Code {
	call := next.Dot(m.Name).Call(gokit.CallArgs(m, jen.Id("ctx"), nil)...)
	if len(m.Results) == 0 && !m.HasError {
		return call
	}
	return jen.Return(call)
}

// genRequestIDContext emits the request id helpers of a service package:
// transports put a call's id in its context (ContextWithRequestID), the
// logging and recovering middlewares read it (RequestIDFromContext).
func genRequestIDContext(f *jen.File) {
	f.Comment("requestIDKey is the context key of a call's request id.")
	f.Type().Id("requestIDKey").Struct()

	f.Comment("ContextWithRequestID returns ctx carrying id, the request id that the logging")
	f.Comment("middleware logs and that error responses carry.")
	f.Func().Id("ContextWithRequestID").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("id").String()).Qual(gokit.PkgContext, "Context").Block(
		jen.Return(jen.Qual(gokit.PkgContext, "WithValue").Call(jen.Id("ctx"), jen.Id("requestIDKey").Values(), jen.Id("id"))),
	)
	f.Comment("RequestIDFromContext returns the request id ctx carries, or \"\".")
	f.Func().Id("RequestIDFromContext").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context")).String().Block(
		jen.List(jen.Id("id"), jen.Id("_")).Op(":=").Id("ctx").Dot("Value").Call(jen.Id("requestIDKey").Values()).Assert(jen.String()),
		jen.Return(jen.Id("id")),
	)

	f.Comment("requestIDPrefix starts the request ids this process makes: random, so that the")
	f.Comment("ids of different processes differ; requestIDCount numbers them.")
	f.Var().Defs(
		jen.Id("requestIDPrefix").Op("=").Id("newRequestIDPrefix").Call(),
		jen.Id("requestIDCount").Qual("sync/atomic", "Uint64"),
	)
	f.Comment("newRequestIDPrefix returns 16 random hex digits and a dash.")
	f.Func().Id("newRequestIDPrefix").Params().String().Block(
		jen.Var().Id("b").Index(jen.Lit(8)).Byte(),
		jen.List(jen.Id("_"), jen.Id("_")).Op("=").Qual("crypto/rand", "Read").Call(jen.Id("b").Index(jen.Empty(), jen.Empty())),
		jen.Return(jen.Qual("encoding/hex", "EncodeToString").Call(jen.Id("b").Index(jen.Empty(), jen.Empty())).Op("+").Lit("-")),
	)

	f.Comment("RequestIDOrNew returns id when it is a usable request id (1 to 128 printable")
	f.Comment("ASCII characters, no spaces: it goes into logs and headers), else a new one,")
	f.Comment("unique to this process's lifetime.")
	f.Func().Id("RequestIDOrNew").Params(jen.Id("id").String()).String().Block(
		jen.Id("usable").Op(":=").Id("id").Op("!=").Lit("").Op("&&").Len(jen.Id("id")).Op("<=").Lit(128),
		jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("usable").Op("&&").Id("i").Op("<").Len(jen.Id("id")), jen.Id("i").Op("++")).Block(
			jen.Id("usable").Op("=").Id("id").Index(jen.Id("i")).Op(">").LitRune(' ').Op("&&").Id("id").Index(jen.Id("i")).Op("<=").LitRune('~'),
		),
		jen.If(jen.Id("usable")).Block(jen.Return(jen.Id("id"))),
		jen.Var().Id("buf").Index(jen.Lit(40)).Byte(),
		jen.Return(jen.String().Call(jen.Qual(gokit.PkgStrconv, "AppendUint").Call(
			jen.Append(jen.Id("buf").Index(jen.Empty(), jen.Lit(0)), jen.Id("requestIDPrefix").Op("...")),
			jen.Id("requestIDCount").Dot("Add").Call(jen.Lit(1)), jen.Lit(10)))),
	)
}

// logCallKeys are the first key-value pairs of a call's log line: the
// method, and the request id of a method that takes a context.
func logCallKeys(m *model.Method) []jen.Code {
	kv := []jen.Code{jen.Lit("method"), jen.Lit(m.Name)}
	switch {
	case m.HasContext:
		kv = append(kv, jen.Lit("request_id"), jen.Id("RequestIDFromContext").Call(jen.Id("ctx")))
	case m.IsStreaming():
		// The gRPC server puts the call's request id in the stream's context.
		kv = append(kv, jen.Lit("request_id"), jen.Id("RequestIDFromContext").Call(jen.Id("stream").Dot("Context").Call()))
	}
	return kv
}
