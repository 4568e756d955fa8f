package server

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
)

// shutdownSettings are the settings of the graceful shutdown, after the
// transports' and middlewares' own.
func shutdownSettings() []gokit.Setting {
	sec := func(n int) jen.Code { return jen.Lit(n).Op("*").Qual(gokit.PkgTime, "Second") }
	return []gokit.Setting{
		{Field: "ShutdownTimeout", Flag: "shutdown-timeout", Env: "SHUTDOWN_TIMEOUT", Usage: "longest time every transport together drains in-flight calls at shutdown", Kind: "duration", Default: sec(15)},
		{Field: "ShutdownDelay", Flag: "shutdown-delay", Env: "SHUTDOWN_DELAY", Usage: "time shutdown keeps serving while not ready, before listeners close, for load balancers to notice", Kind: "duration", Default: jen.Lit(0)},
	}
}

// shutdownStart are Run's statements that create the shutdown coordinator;
// the first hook of shutdown marks the server not ready.
func shutdownStart() []jen.Code {
	return []jen.Code{
		jen.Var().Id("ready").Qual("sync/atomic", "Bool"),
		jen.Id("shut").Op(":=").Id("newShutdown").Call(jen.Id("cfg").Dot("ShutdownDelay"), jen.Id("cfg").Dot("ShutdownTimeout")),
		jen.Id("shut").Dot("onBegin").Call(jen.Func().Params().Block(jen.Id("ready").Dot("Store").Call(jen.False()))),
	}
}

// shutdownActor is the run group actor added first: its interrupt, the first
// to run at shutdown, flips readiness and gRPC health before anything else.
func shutdownActor() jen.Code {
	return jen.Id("g").Dot("Add").Call(jen.Id("shut").Dot("actor").Call())
}

// httpDrain registers the HTTP server srv's drain: Shutdown until the
// deadline, then Close of the connections still open.
func httpDrain() jen.Code {
	return jen.Id("shut").Dot("onDrain").Call(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context")).Block(
		jen.If(jen.Err().Op(":=").Id("srv").Dot("Shutdown").Call(jen.Id("ctx")), jen.Err().Op("!=").Nil()).Block(
			jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("transport"), jen.Lit("HTTP"), jen.Lit("during"), jen.Lit("shutdown"), jen.Lit("err"), jen.Err()),
			jen.Id("_").Op("=").Id("srv").Dot("Close").Call(),
		),
	))
}

// httpActor is the run group actor of the HTTP listener srv serves on ln.
func httpActor() jen.Code {
	return jen.Id("g").Dot("Add").Call(
		jen.Func().Params().Error().Block(
			jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("transport"), jen.Lit("HTTP"), jen.Lit("addr"), jen.Id("ln").Dot("Addr").Call().Dot("String").Call()),
			jen.If(jen.Err().Op(":=").Id("serveHTTP").Call(jen.Id("srv"), jen.Id("ln")), jen.Op("!").Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgHTTP, "ErrServerClosed"))).Block(jen.Return(jen.Err())),
			jen.Return(jen.Nil()),
		),
		jen.Func().Params(jen.Error()).Block(jen.Id("shut").Dot("drain").Call()),
	)
}

// genShutdown emits the shutdown coordinator into server_gen.go.
func genShutdown(f *jen.File) {
	f.Comment("shutdown is the graceful shutdown of every transport at once: it marks the")
	f.Comment("server not ready (readyz 503, gRPC health NOT_SERVING) first, keeps serving")
	f.Comment("for delay so that load balancers notice, then every transport stops accepting")
	f.Comment("and drains its calls in flight in parallel, all of them within one timeout.")
	f.Type().Id("shutdown").Struct(
		jen.Id("delay").Op(",").Id("timeout").Qual(gokit.PkgTime, "Duration"),
		jen.Id("begins").Index().Func().Params(),
		jen.Id("drains").Index().Func().Params(jen.Qual(gokit.PkgContext, "Context")),
		jen.Id("begin").Op(",").Id("end").Qual(gokit.PkgSync, "Once"),
		jen.Id("begun").Chan().Struct(),
		jen.Id("delayed").Op("<-").Chan().Qual(gokit.PkgTime, "Time"),
	)

	f.Comment("newShutdown returns a shutdown that waits delay, then drains within timeout.")
	f.Func().Id("newShutdown").Params(jen.Id("delay").Op(",").Id("timeout").Qual(gokit.PkgTime, "Duration")).Op("*").Id("shutdown").Block(
		jen.Return(jen.Op("&").Id("shutdown").Values(jen.Id("delay").Op(":").Id("delay"), jen.Id("timeout").Op(":").Id("timeout"), jen.Id("begun").Op(":").Make(jen.Chan().Struct()))),
	)

	f.Comment("onBegin adds f to what runs first when shutdown begins.")
	f.Func().Params(jen.Id("s").Op("*").Id("shutdown")).Id("onBegin").Params(jen.Id("f").Func().Params()).Block(
		jen.Id("s").Dot("begins").Op("=").Append(jen.Id("s").Dot("begins"), jen.Id("f")),
	)

	f.Comment("onDrain adds a transport's drain; ctx ends at the deadline of the whole shutdown.")
	f.Func().Params(jen.Id("s").Op("*").Id("shutdown")).Id("onDrain").Params(jen.Id("f").Func().Params(jen.Qual(gokit.PkgContext, "Context"))).Block(
		jen.Id("s").Dot("drains").Op("=").Append(jen.Id("s").Dot("drains"), jen.Id("f")),
	)

	f.Comment("start runs the begin hooks once and starts the delay.")
	f.Func().Params(jen.Id("s").Op("*").Id("shutdown")).Id("start").Params().Block(
		jen.Id("s").Dot("begin").Dot("Do").Call(jen.Func().Params().Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("f")).Op(":=").Range().Id("s").Dot("begins")).Block(jen.Id("f").Call()),
			jen.Id("s").Dot("delayed").Op("=").Qual(gokit.PkgTime, "After").Call(jen.Id("s").Dot("delay")),
			jen.Close(jen.Id("s").Dot("begun")),
		)),
	)

	f.Comment("drain starts shutdown if it has not begun, waits out the delay, then runs")
	f.Comment("every transport's drain in parallel under one deadline. It is every")
	f.Comment("transport actor's interrupt: the first call drains them all, later calls")
	f.Comment("wait for it.")
	f.Func().Params(jen.Id("s").Op("*").Id("shutdown")).Id("drain").Params().Block(
		jen.Id("s").Dot("start").Call(),
		jen.Id("s").Dot("end").Dot("Do").Call(jen.Func().Params().Block(
			jen.Op("<-").Id("s").Dot("delayed"),
			jen.List(jen.Id("ctx"), jen.Id("cancel")).Op(":=").Qual(gokit.PkgContext, "WithTimeout").Call(jen.Qual(gokit.PkgContext, "Background").Call(), jen.Id("s").Dot("timeout")),
			jen.Defer().Id("cancel").Call(),
			jen.Var().Id("wg").Qual(gokit.PkgSync, "WaitGroup"),
			jen.For(jen.List(jen.Id("_"), jen.Id("f")).Op(":=").Range().Id("s").Dot("drains")).Block(
				jen.Id("wg").Dot("Add").Call(jen.Lit(1)),
				jen.Go().Func().Params(jen.Id("f").Func().Params(jen.Qual(gokit.PkgContext, "Context"))).Block(
					jen.Defer().Id("wg").Dot("Done").Call(),
					jen.Id("f").Call(jen.Id("ctx")),
				).Call(jen.Id("f")),
			),
			jen.Id("wg").Dot("Wait").Call(),
		)),
	)

	f.Comment("actor is the run group actor added first: it runs until shutdown begins,")
	f.Comment("and its interrupt, the first to run, begins it.")
	f.Func().Params(jen.Id("s").Op("*").Id("shutdown")).Id("actor").Params().Params(jen.Func().Params().Error(), jen.Func().Params(jen.Error())).Block(
		jen.Return(
			jen.Func().Params().Error().Block(jen.Op("<-").Id("s").Dot("begun"), jen.Return(jen.Nil())),
			jen.Func().Params(jen.Error()).Block(jen.Id("s").Dot("start").Call()),
		),
	)
}
