package broker

import (
	"path"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// AMQPSettings are the server settings of the AMQP transport.
func AMQPSettings() []gokit.Setting {
	return []gokit.Setting{
		{Field: "AMQPURL", Flag: "amqp-url", Env: "AMQP_URL", Usage: "AMQP broker URL", Kind: "string", Default: jen.Lit("amqp://guest:guest@127.0.0.1:5672/")},
		{Field: "AMQPQueuePrefix", Flag: "amqp-queue-prefix", Env: "AMQP_QUEUE_PREFIX", Usage: "prefix of every AMQP queue name", Kind: "string", Default: jen.Lit("")},
		{Field: "AMQPPrefetch", Flag: "amqp-prefetch", Env: "AMQP_PREFETCH", Usage: "limit of AMQP deliveries handled at once per method (0: none)", Kind: "int64", Default: jen.Lit(16)},
	}
}

// AMQPActor adds the run-group actor of the AMQP transport: serveAMQP until
// the group stops, then a graceful stop.
func AMQPActor() jen.Code {
	return amqpActorFor([]amqpSub{{endpoints: "endpoints"}})
}

// amqpSub is a service an AMQP connection serves: the import paths of its
// transport and endpoint packages and the local of Run that holds its
// endpoints.
type amqpSub struct{ transport, endpoint, endpoints string }

// amqpActorFor is AMQPActor for the services subs, served by one serveAMQP.
func amqpActorFor(subs []amqpSub) jen.Code {
	args := []jen.Code{jen.Id("stop"), jen.Id("cfg")}
	for _, s := range subs {
		args = append(args, jen.Id(s.endpoints))
	}
	args = append(args, jen.Qual(gokit.KitLog, "With").Call(jen.Id("logger"), jen.Lit("transport"), jen.Lit("AMQP")))
	return jen.Block(
		jen.Id("stop").Op(",").Id("served").Op(":=").Make(jen.Chan().Struct()).Op(",").Make(jen.Chan().Struct()),
		jen.Id("shut").Dot("onDrain").Call(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context")).Block(
			jen.Close(jen.Id("stop")),
			jen.Select().Block(
				jen.Case(jen.Op("<-").Id("served")),
				jen.Case(jen.Op("<-").Id("ctx").Dot("Done").Call()),
			),
		)),
		jen.Id("g").Dot("Add").Call(
			jen.Func().Params().Error().Block(
				jen.Defer().Close(jen.Id("served")),
				jen.Id("serveAMQP").Call(args...),
				jen.Return(jen.Nil()),
			),
			jen.Func().Params(jen.Error()).Block(jen.Id("shut").Dot("drain").Call()),
		),
	)
}

// GenServeAMQP emits serveAMQP, dialAMQP and redactURL into server_gen.go:
// the connection to the broker, kept up with reconnects and backoff.
func GenServeAMQP(f *jen.File, svc *model.Service, l gokit.Layout) {
	GenServeAMQPFor(f, svc.Name, []amqpSub{{l.Transport.Path, l.Endpoint.Path, "endpoints"}})
}

// GenServeAMQPFor is GenServeAMQP for the services subs, on one connection
// named name; with more than one service, dialAMQP's consumer is an
// amqpConsumers of theirs.
func GenServeAMQPFor(f *jen.File, name string, subs []amqpSub) {
	f.ImportAlias(amqpGo, "amqp")
	transports := make([]string, len(subs))
	params := []jen.Code{jen.Id("cfg").Id("Config")}
	args := []jen.Code{jen.Id("cfg")}
	queues := []jen.Code{jen.Lit("msg"), jen.Lit("consuming"), jen.Lit("url"), jen.Id("redactURL").Call(jen.Id("cfg").Dot("AMQPURL"))}
	for i, s := range subs {
		transports[i] = path.Base(s.transport) + ".ConsumeAMQP"
		params = append(params, jen.Id(s.endpoints).Qual(s.endpoint, "Set"))
		args = append(args, jen.Id(s.endpoints))
		queues = append(queues, jen.Lit("queues"), jen.Qual(s.transport, "AMQPQueue").Call(jen.Id("cfg").Dot("AMQPQueuePrefix"), jen.Lit("*")))
	}
	params = append(params, jen.Id("logger").Qual(gokit.KitLog, "Logger"))
	args = append(args, jen.Id("logger"))
	consumerType := jen.Op("*").Qual(subs[0].transport, "AMQPConsumer")
	consume := []jen.Code{jen.List(jen.Id("consumer"), jen.Err()).Op("=").Qual(subs[0].transport, "ConsumeAMQP").Call(jen.Id("ch"), jen.Id("cfg").Dot("AMQPQueuePrefix"), jen.Id(subs[0].endpoints), jen.Id("logger"))}
	if len(subs) > 1 {
		consumerType = jen.Id("amqpConsumers")
		consume = nil
		for _, s := range subs {
			consume = append(consume, jen.If(jen.Err().Op("==").Nil()).Block(
				jen.Var().Id("c").Op("*").Qual(s.transport, "AMQPConsumer"),
				jen.List(jen.Id("c"), jen.Err()).Op("=").Qual(s.transport, "ConsumeAMQP").Call(jen.Id("ch"), jen.Id("cfg").Dot("AMQPQueuePrefix"), jen.Id(s.endpoints), jen.Id("logger")),
				jen.Id("consumer").Op("=").Append(jen.Id("consumer"), jen.Id("c")),
			))
		}
	} else {
		consume = []jen.Code{jen.If(jen.Err().Op("==").Nil()).Block(consume...)}
	}
	logKV := func(kv ...jen.Code) jen.Code {
		return jen.Id("_").Op("=").Id("logger").Dot("Log").Call(kv...)
	}
	ms := func(n int) jen.Code { return jen.Lit(n).Op("*").Qual(gokit.PkgTime, "Millisecond") }

	f.Comment("serveAMQP serves endpoints over AMQP at cfg.AMQPURL until stop is closed: it")
	if len(subs) == 1 { // as it was written for one service
		f.Comment("connects, consumes every method's queue (" + transports[0] + ") and, whenever")
		f.Comment("the connection or channel is lost or the broker cancels a consumer, connects")
		f.Comment("again, after a backoff that doubles from 500 ms to 30 s while the broker is")
		f.Comment("unreachable. Once stop is closed it stops consuming, lets the deliveries in")
		f.Comment("flight finish (at most cfg.ShutdownTimeout), then closes the connection.")
	} else {
		f.Comment(gokit.WrapComment("connects, consumes every method's queue of every service ("+strings.Join(transports, ", ")+") on one channel and, whenever the connection or channel is lost or the broker cancels a consumer, connects again, after a backoff that doubles from 500 ms to 30 s while the broker is unreachable. Once stop is closed it stops consuming, lets the deliveries in flight finish (at most cfg.ShutdownTimeout), then closes the connection.", 77))
	}
	f.Func().Id("serveAMQP").Params(append([]jen.Code{jen.Id("stop").Op("<-").Chan().Struct()}, params...)...).Block(
		jen.Var().Id("backoff").Qual(gokit.PkgTime, "Duration"),
		jen.For().Block(
			jen.If(jen.Id("backoff").Op(">").Lit(0)).Block(
				jen.Select().Block(
					jen.Case(jen.Op("<-").Id("stop")).Block(jen.Return()),
					jen.Case(jen.Op("<-").Qual(gokit.PkgTime, "After").Call(jen.Id("backoff"))),
				),
			),
			jen.List(jen.Id("conn"), jen.Id("consumer"), jen.Id("closed"), jen.Err()).Op(":=").Id("dialAMQP").Call(args...),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Id("backoff").Op("=").Min(jen.Max(jen.Lit(2).Op("*").Id("backoff"), ms(500)), jen.Lit(30).Op("*").Qual(gokit.PkgTime, "Second")),
				logKV(jen.Lit("msg"), jen.Lit("cannot consume"), jen.Lit("err"), jen.Err(), jen.Lit("retry_in"), jen.Id("backoff")),
				jen.Continue(),
			),
			logKV(queues...),
			jen.Id("backoff").Op("=").Add(ms(500)),
			jen.Select().Block(
				jen.Case(jen.Op("<-").Id("stop")).Block(
					jen.List(jen.Id("ctx"), jen.Id("cancel")).Op(":=").Qual(gokit.PkgContext, "WithTimeout").Call(jen.Qual(gokit.PkgContext, "Background").Call(), jen.Id("cfg").Dot("ShutdownTimeout")),
					jen.If(jen.Err().Op(":=").Id("consumer").Dot("Shutdown").Call(jen.Id("ctx")), jen.Err().Op("!=").Nil()).Block(
						logKV(jen.Lit("during"), jen.Lit("shutdown"), jen.Lit("err"), jen.Err()),
					),
					jen.Id("cancel").Call(),
					jen.Id("_").Op("=").Id("conn").Dot("Close").Call(),
					jen.Return(),
				),
				jen.Case(jen.Err().Op(":=").Op("<-").Id("closed")).Block(
					logKV(jen.Lit("msg"), jen.Lit("disconnected"), jen.Lit("err"), jen.Err(), jen.Lit("retry_in"), jen.Id("backoff")),
				),
				jen.Case(jen.Op("<-").Id("consumer").Dot("Done").Call()).Block(
					logKV(jen.Lit("msg"), jen.Lit("the broker cancelled a consumer"), jen.Lit("retry_in"), jen.Id("backoff")),
				),
			),
			jen.Id("_").Op("=").Id("conn").Dot("Close").Call(),
		),
	)

	f.Comment("dialAMQP connects to cfg.AMQPURL, opens a channel whose prefetch count per")
	f.Comment("consumer is cfg.AMQPPrefetch, and consumes every method's queue on it. closed")
	f.Comment("reports the loss of the channel (with the connection's, if that is the cause).")
	f.Func().Id("dialAMQP").Params(params...).Params(
		jen.Id("conn").Op("*").Qual(amqpGo, "Connection"),
		jen.Id("consumer").Add(consumerType),
		jen.Id("closed").Op("<-").Chan().Op("*").Qual(amqpGo, "Error"),
		jen.Err().Error(),
	).Block(
		jen.Id("props").Op(":=").Qual(amqpGo, "NewConnectionProperties").Call(),
		jen.Id("props").Dot("SetClientConnectionName").Call(jen.Lit(name)),
		jen.List(jen.Id("conn"), jen.Err()).Op("=").Qual(amqpGo, "DialConfig").Call(jen.Id("cfg").Dot("AMQPURL"), jen.Qual(amqpGo, "Config").Values(gokit.Multiline([]jen.Code{
			jen.Id("Heartbeat").Op(":").Lit(10).Op("*").Qual(gokit.PkgTime, "Second"),
			jen.Id("Dial").Op(":").Qual(amqpGo, "DefaultDial").Call(jen.Lit(10).Op("*").Qual(gokit.PkgTime, "Second")),
			jen.Id("Properties").Op(":").Id("props"),
		})...)),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Nil(), jen.Err())),
		jen.List(jen.Id("ch"), jen.Err()).Op(":=").Id("conn").Dot("Channel").Call(),
		jen.If(jen.Err().Op("==").Nil()).Block(
			jen.Id("closed").Op("=").Id("ch").Dot("NotifyClose").Call(jen.Make(jen.Chan().Op("*").Qual(amqpGo, "Error"), jen.Lit(1))),
			jen.Err().Op("=").Id("ch").Dot("Qos").Call(jen.Int().Call(jen.Id("cfg").Dot("AMQPPrefetch")), jen.Lit(0), jen.False()),
		),
		gokit.When(true, consume),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Id("_").Op("=").Id("conn").Dot("Close").Call(),
			jen.Return(jen.Nil(), jen.Nil(), jen.Nil(), jen.Err()),
		),
		jen.Return(jen.Id("conn"), jen.Id("consumer"), jen.Id("closed"), jen.Nil()),
	)

	if len(subs) > 1 {
		genAMQPConsumers(f)
	}

	f.Comment("redactURL hides the password of a broker URL, for logs.")
	f.Func().Id("redactURL").Params(jen.Id("raw").String()).String().Block(
		jen.List(jen.Id("u"), jen.Err()).Op(":=").Qual(gokit.PkgURL, "Parse").Call(jen.Id("raw")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Lit("(malformed URL)"))),
		jen.Return(jen.Id("u").Dot("Redacted").Call()),
	)
}

// genAMQPConsumers emits amqpConsumers: the consumers of several services on
// one channel, shut down together, done when any of them is.
func genAMQPConsumers(f *jen.File) {
	f.Comment("amqpConsumers are the AMQP consumers of every service, on one channel.")
	f.Type().Id("amqpConsumers").Index().Interface(
		jen.Id("Shutdown").Params(jen.Qual(gokit.PkgContext, "Context")).Error(),
		jen.Id("Done").Params().Op("<-").Chan().Struct(),
	)

	f.Comment("Shutdown shuts every consumer down at once (each stops consuming, then")
	f.Comment("finishes its deliveries in flight) and returns when they all have, or with")
	f.Comment("ctx's error.")
	f.Func().Params(jen.Id("cs").Id("amqpConsumers")).Id("Shutdown").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context")).Error().Block(
		jen.Id("errs").Op(":=").Make(jen.Index().Error(), jen.Len(jen.Id("cs"))),
		jen.Var().Id("wg").Qual(gokit.PkgSync, "WaitGroup"),
		jen.For(jen.List(jen.Id("i"), jen.Id("c")).Op(":=").Range().Id("cs")).Block(
			jen.Id("wg").Dot("Go").Call(jen.Func().Params().Block(jen.Id("errs").Index(jen.Id("i")).Op("=").Id("c").Dot("Shutdown").Call(jen.Id("ctx")))),
		),
		jen.Id("wg").Dot("Wait").Call(),
		jen.Return(jen.Qual(gokit.PkgErrors, "Join").Call(jen.Id("errs").Op("..."))),
	)

	f.Comment("Done is closed once any consumer has stopped; each one does when the channel")
	f.Comment("closes, so the goroutines that watch them end with the connection.")
	f.Func().Params(jen.Id("cs").Id("amqpConsumers")).Id("Done").Params().Op("<-").Chan().Struct().Block(
		jen.Id("done").Op(":=").Make(jen.Chan().Struct()),
		jen.Var().Id("once").Qual(gokit.PkgSync, "Once"),
		jen.For(jen.List(jen.Id("_"), jen.Id("c")).Op(":=").Range().Id("cs")).Block(
			jen.Go().Func().Params().Block(
				jen.Op("<-").Id("c").Dot("Done").Call(),
				jen.Id("once").Dot("Do").Call(jen.Func().Params().Block(jen.Close(jen.Id("done")))),
			).Call(),
		),
		jen.Return(jen.Id("done")),
	)
}

// ProtoAMQPActor is the run-group actor of the AMQP transport of proto
// services: one connection and channel consuming every service's queues, or
// nothing without AMQP.
func ProtoAMQPActor(services []*gokit.ProtoService) jen.Code {
	if !services[0].Layout.AMQP {
		return jen.Null()
	}
	return amqpActorFor(ProtoAMQPSubs(services))
}

// ProtoAMQPSubs lists the services an AMQP connection serves.
func ProtoAMQPSubs(services []*gokit.ProtoService) []amqpSub {
	subs := make([]amqpSub, len(services))
	for i, ps := range services {
		subs[i] = amqpSub{ps.Layout.Transport.Path, ps.Layout.Endpoint.Path, gokit.ProtoVar(services, ps, "endpoints")}
	}
	return subs
}

// ProtoAMQPRunDoc is the paragraph of Run's doc comment about AMQP.
func ProtoAMQPRunDoc(services []*gokit.ProtoService) string {
	names := make([]string, len(services))
	for i, ps := range services {
		names[i] = ps.FullName
	}
	return gokit.WrapComment("Over AMQP (cfg.AMQPURL) it consumes the queue of every unary rpc of "+strings.Join(names, ", ")+" beside the other instances, reconnecting with backoff while the broker is unreachable; on shutdown it stops consuming and finishes the deliveries in flight first.", 76)
}
