package gokit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/model"
)

// Middleware emits <svc>/middleware_gen.go: the Middleware type and the
// logging and instrumenting service middlewares, as in addsvc's
// addservice/middleware.go.
func Middleware(svc *model.Service, l Layout) ([]byte, error) {
	f := newFile(l.Service)
	iface := svc.Interface.Name

	f.Comment("Middleware describes a service middleware: a function that wraps a " + iface + ".")
	f.Type().Id("Middleware").Func().Params(jen.Id(iface)).Id(iface)

	genLoggingMiddleware(f, svc)
	genInstrumentingMiddleware(f, svc)
	return render(f)
}

func genLoggingMiddleware(f *jen.File, svc *model.Service) {
	iface := svc.Interface.Name
	f.Comment("LoggingMiddleware logs every call with its method, parameters (except those")
	f.Comment("marked kitforge:sensitive), duration and error.")
	f.Func().Id("LoggingMiddleware").Params(jen.Id("logger").Qual(kitLog, "Logger")).Id("Middleware").Block(
		jen.Return(jen.Func().Params(jen.Id("next").Id(iface)).Id(iface).Block(
			jen.Return(jen.Id("loggingMiddleware").Values(jen.Id("logger"), jen.Id("next"))),
		)),
	)
	f.Type().Id("loggingMiddleware").Struct(
		jen.Id("logger").Qual(kitLog, "Logger"),
		jen.Id("next").Id(iface),
	)
	for _, m := range unaryMethods(svc) {
		kv := []jen.Code{jen.Lit("method"), jen.Lit(m.Name)}
		for _, p := range m.Params {
			if !p.Sensitive {
				kv = append(kv, jen.Lit(p.JSONName), jen.Id(p.VarName))
			}
		}
		kv = append(kv, jen.Lit("took"), jen.Qual(pkgTime, "Since").Call(jen.Id("begin")))
		if m.HasError {
			kv = append(kv, jen.Lit("err"), jen.Err())
		}
		f.Comment(m.Name + " logs the call and forwards it to the next " + iface + ".")
		f.Func().Params(jen.Id("mw").Id("loggingMiddleware")).Id(m.Name).Params(params(m)...).Params(namedResults(m)...).Block(
			jen.Defer().Func().Params(jen.Id("begin").Qual(pkgTime, "Time")).Block(
				jen.Id("_").Op("=").Id("mw").Dot("logger").Dot("Log").Call(kv...),
			).Call(jen.Qual(pkgTime, "Now").Call()),
			forward(m, jen.Id("mw").Dot("next")),
		)
	}
}

func genInstrumentingMiddleware(f *jen.File, svc *model.Service) {
	iface := svc.Interface.Name
	f.Comment("InstrumentingMiddleware counts calls by method and outcome (success or error)")
	f.Comment("and records their latency in seconds.")
	f.Func().Id("InstrumentingMiddleware").Params(
		jen.Id("requests").Qual(kitMetrics, "Counter"),
		jen.Id("latency").Qual(kitMetrics, "Histogram"),
	).Id("Middleware").Block(
		jen.Return(jen.Func().Params(jen.Id("next").Id(iface)).Id(iface).Block(
			jen.Return(jen.Id("instrumentingMiddleware").Values(jen.Id("requests"), jen.Id("latency"), jen.Id("next"))),
		)),
	)
	f.Type().Id("instrumentingMiddleware").Struct(
		jen.Id("requests").Qual(kitMetrics, "Counter"),
		jen.Id("latency").Qual(kitMetrics, "Histogram"),
		jen.Id("next").Id(iface),
	)
	f.Comment("observe records one call of method that started at begin.")
	f.Func().Params(jen.Id("mw").Id("instrumentingMiddleware")).Id("observe").Params(
		jen.Id("method").String(), jen.Id("begin").Qual(pkgTime, "Time"), jen.Err().Error(),
	).Block(
		jen.Id("outcome").Op(":=").Lit("success"),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("outcome").Op("=").Lit("error")),
		jen.Id("mw").Dot("requests").Dot("With").Call(jen.Lit("method"), jen.Id("method"), jen.Lit("outcome"), jen.Id("outcome")).Dot("Add").Call(jen.Lit(1)),
		jen.Id("mw").Dot("latency").Dot("With").Call(jen.Lit("method"), jen.Id("method"), jen.Lit("outcome"), jen.Id("outcome")).Dot("Observe").Call(
			jen.Qual(pkgTime, "Since").Call(jen.Id("begin")).Dot("Seconds").Call()),
	)
	for _, m := range unaryMethods(svc) {
		errArg := jen.Code(jen.Nil())
		if m.HasError {
			errArg = jen.Err()
		}
		f.Comment(m.Name + " records the call's outcome and latency.")
		f.Func().Params(jen.Id("mw").Id("instrumentingMiddleware")).Id(m.Name).Params(params(m)...).Params(namedResults(m)...).Block(
			jen.Defer().Func().Params(jen.Id("begin").Qual(pkgTime, "Time")).Block(
				jen.Id("mw").Dot("observe").Call(jen.Lit(m.Name), jen.Id("begin"), errArg),
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
