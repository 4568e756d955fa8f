package gokit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/model"
)

// Middleware emits <svc>/middleware_gen.go: the Middleware type and the
// logging and instrumenting service middlewares, as in addsvc's
// addservice/middleware.go.
func Middleware(svc *model.Service, l Layout) ([]byte, error) {
	f := l.newFile(l.Service)
	iface := svc.Interface.Name
	n := l.Names.Name

	if !l.Names.UserMiddleware {
		f.Comment(n("Middleware") + " describes a service middleware: a function that wraps a " + iface + ".")
		f.Type().Id(n("Middleware")).Func().Params(jen.Id(iface)).Id(iface)
	}

	genLoggingMiddleware(f, svc, n)
	genInstrumentingMiddleware(f, svc, n)
	return render(f)
}

func genLoggingMiddleware(f *jen.File, svc *model.Service, n func(string) string) {
	iface := svc.Interface.Name
	f.Comment(n("LoggingMiddleware") + " logs every call with its method, parameters (except those")
	f.Comment("marked kitforge:sensitive), duration and error.")
	f.Func().Id(n("LoggingMiddleware")).Params(jen.Id("logger").Qual(kitLog, "Logger")).Id(n("Middleware")).Block(
		jen.Return(jen.Func().Params(jen.Id("next").Id(iface)).Id(iface).Block(
			jen.Return(jen.Id(n("loggingMiddleware")).Values(jen.Id("logger"), jen.Id("next"))),
		)),
	)
	f.Type().Id(n("loggingMiddleware")).Struct(
		jen.Id("logger").Qual(kitLog, "Logger"),
		jen.Id("next").Id(iface),
	)
	asJSON := false
	for _, m := range unaryMethods(svc) {
		kv := []jen.Code{jen.Lit("method"), jen.Lit(m.Name)}
		for _, p := range m.Params {
			switch {
			case p.Sensitive:
			case svc.Source == model.SourceGo && logfmtCannotWrite(p.Type):
				asJSON = true
				kv = append(kv, jen.Lit(p.JSONName), jen.Id(n("jsonLogValue")).Values(jen.Id(p.VarName)))
			default:
				kv = append(kv, jen.Lit(p.JSONName), jen.Id(p.VarName))
			}
		}
		kv = append(kv, jen.Lit("took"), jen.Qual(pkgTime, "Since").Call(jen.Id("begin")))
		if m.HasError {
			kv = append(kv, jen.Lit("err"), jen.Err())
		}
		f.Comment(m.Name + " logs the call and forwards it to the next " + iface + ".")
		f.Func().Params(jen.Id("mw").Id(n("loggingMiddleware"))).Id(m.Name).Params(params(m)...).Params(namedResults(m)...).Block(
			jen.Defer().Func().Params(jen.Id("begin").Qual(pkgTime, "Time")).Block(
				jen.Id("_").Op("=").Id("mw").Dot("logger").Dot("Log").Call(kv...),
			).Call(jen.Qual(pkgTime, "Now").Call()),
			forward(m, jen.Id("mw").Dot("next")),
		)
	}
	if asJSON {
		genJSONLogValue(f, n("jsonLogValue"))
	}
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
		if t.IsNamed(pkgTime, "Time") || t.Underlying == nil {
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
		jen.Switch(jen.Id("v").Op(":=").Id("j").Dot("v").Assert(jen.Type())).Block(
			jen.Case(jen.Qual("encoding", "TextMarshaler")).Block(jen.Return(jen.Id("v").Dot("MarshalText").Call())),
			jen.Case(jen.Qual(pkgFmt, "Stringer")).Block(jen.Return(jen.Index().Byte().Call(jen.Id("v").Dot("String").Call()), jen.Nil())),
		),
		jen.Return(jen.Qual(pkgJSON, "Marshal").Call(jen.Id("j").Dot("v"))),
	)
	f.Comment("MarshalJSON implements json.Marshaler, which JSON loggers use.")
	f.Func().Params(jen.Id("j").Id(name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Qual(pkgJSON, "Marshal").Call(jen.Id("j").Dot("v"))),
	)
}

func genInstrumentingMiddleware(f *jen.File, svc *model.Service, n func(string) string) {
	iface := svc.Interface.Name
	methods := unaryMethods(svc)
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
		jen.Id("requests").Op("*").Qual(promClient, "CounterVec"),
		jen.Id("latency").Op("*").Qual(promClient, "HistogramVec"),
	).Id(n("Middleware")).Block(
		jen.Return(jen.Func().Params(jen.Id("next").Id(iface)).Id(iface).Block(
			jen.Return(jen.Id(n("instrumentingMiddleware")).Values(multiline(append([]jen.Code{jen.Id("next").Op(":").Id("next")}, inits...))...)),
		)),
	)
	fields := []jen.Code{jen.Id("next").Id(iface)}
	for _, m := range methods {
		fields = append(fields, jen.Id(field(m)).Id(n("methodMetrics")))
	}
	f.Type().Id(n("instrumentingMiddleware")).Struct(fields...)

	f.Comment(n("methodMetrics") + " holds one method's metric children, by outcome.")
	f.Type().Id(n("methodMetrics")).Struct(
		jen.List(jen.Id("success"), jen.Id("failure")).Qual(promClient, "Counter"),
		jen.List(jen.Id("successLatency"), jen.Id("failureLatency")).Qual(promClient, "Observer"),
	)
	f.Comment(n("newMethodMetrics") + " resolves the children of one method.")
	f.Func().Id(n("newMethodMetrics")).Params(
		jen.Id("requests").Op("*").Qual(promClient, "CounterVec"),
		jen.Id("latency").Op("*").Qual(promClient, "HistogramVec"),
		jen.Id("method").String(),
	).Id(n("methodMetrics")).Block(
		jen.Return(jen.Id(n("methodMetrics")).Values(multiline([]jen.Code{
			jen.Id("success").Op(":").Id("requests").Dot("WithLabelValues").Call(jen.Id("method"), jen.Lit("success")),
			jen.Id("failure").Op(":").Id("requests").Dot("WithLabelValues").Call(jen.Id("method"), jen.Lit("error")),
			jen.Id("successLatency").Op(":").Id("latency").Dot("WithLabelValues").Call(jen.Id("method"), jen.Lit("success")),
			jen.Id("failureLatency").Op(":").Id("latency").Dot("WithLabelValues").Call(jen.Id("method"), jen.Lit("error")),
		})...)),
	)
	f.Comment("observe records one call that started at begin.")
	f.Func().Params(jen.Id("m").Id(n("methodMetrics"))).Id("observe").Params(jen.Id("begin").Qual(pkgTime, "Time"), jen.Err().Error()).Block(
		jen.Id("took").Op(":=").Qual(pkgTime, "Since").Call(jen.Id("begin")).Dot("Seconds").Call(),
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
		f.Func().Params(jen.Id("mw").Id(n("instrumentingMiddleware"))).Id(m.Name).Params(params(m)...).Params(namedResults(m)...).Block(
			jen.Defer().Func().Params(jen.Id("begin").Qual(pkgTime, "Time")).Block(
				jen.Id("mw").Dot(field(m)).Dot("observe").Call(jen.Id("begin"), errArg),
			).Call(jen.Qual(pkgTime, "Now").Call()),
			forward(m, jen.Id("mw").Dot("next")),
		)
	}
}

// forward calls the same method on next and returns its results.
func forward(m *model.Method, next *jen.Statement) jen.Code {
	call := next.Dot(m.Name).Call(callArgs(m, jen.Id("ctx"), nil)...)
	if len(m.Results) == 0 && !m.HasError {
		return call
	}
	return jen.Return(call)
}
