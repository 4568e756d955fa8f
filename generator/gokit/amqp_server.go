package gokit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/model"
)

// amqpSettings are the server settings of the AMQP transport.
func amqpSettings() []setting {
	return []setting{
		{"AMQPURL", "amqp-url", "AMQP_URL", "AMQP broker URL", "string", jen.Lit("amqp://guest:guest@127.0.0.1:5672/")},
		{"AMQPQueuePrefix", "amqp-queue-prefix", "AMQP_QUEUE_PREFIX", "prefix of every AMQP queue name", "string", jen.Lit("")},
		{"AMQPPrefetch", "amqp-prefetch", "AMQP_PREFETCH", "limit of AMQP deliveries handled at once per method (0: none)", "int64", jen.Lit(16)},
	}
}

// amqpActor adds the run-group actor of the AMQP transport: serveAMQP until
// the group stops, then a graceful stop.
func amqpActor() jen.Code {
	return jen.Block(
		jen.Id("stop").Op(":=").Make(jen.Chan().Struct()),
		jen.Id("g").Dot("Add").Call(
			jen.Func().Params().Error().Block(
				jen.Id("serveAMQP").Call(jen.Id("stop"), jen.Id("cfg"), jen.Id("endpoints"), jen.Qual(kitLog, "With").Call(jen.Id("logger"), jen.Lit("transport"), jen.Lit("AMQP"))),
				jen.Return(jen.Nil()),
			),
			jen.Func().Params(jen.Error()).Block(jen.Close(jen.Id("stop"))),
		),
	)
}

// genServeAMQP emits serveAMQP, dialAMQP and redactURL into server_gen.go:
// the connection to the broker, kept up with reconnects and backoff.
func genServeAMQP(f *jen.File, svc *model.Service, l Layout) {
	f.ImportAlias(amqpGo, "amqp")
	logKV := func(kv ...jen.Code) jen.Code {
		return jen.Id("_").Op("=").Id("logger").Dot("Log").Call(kv...)
	}
	ms := func(n int) jen.Code { return jen.Lit(n).Op("*").Qual(pkgTime, "Millisecond") }

	f.Comment("serveAMQP serves endpoints over AMQP at cfg.AMQPURL until stop is closed: it")
	f.Comment("connects, consumes every method's queue (" + l.Transport.Name + ".ConsumeAMQP) and, whenever")
	f.Comment("the connection or channel is lost or the broker cancels a consumer, connects")
	f.Comment("again, after a backoff that doubles from 500 ms to 30 s while the broker is")
	f.Comment("unreachable. Once stop is closed it stops consuming, lets the deliveries in")
	f.Comment("flight finish (at most cfg.ShutdownTimeout), then closes the connection.")
	f.Func().Id("serveAMQP").Params(
		jen.Id("stop").Op("<-").Chan().Struct(),
		jen.Id("cfg").Id("Config"),
		jen.Id("endpoints").Qual(l.Endpoint.Path, "Set"),
		jen.Id("logger").Qual(kitLog, "Logger"),
	).Block(
		jen.Var().Id("backoff").Qual(pkgTime, "Duration"),
		jen.For().Block(
			jen.If(jen.Id("backoff").Op(">").Lit(0)).Block(
				jen.Select().Block(
					jen.Case(jen.Op("<-").Id("stop")).Block(jen.Return()),
					jen.Case(jen.Op("<-").Qual(pkgTime, "After").Call(jen.Id("backoff"))),
				),
			),
			jen.List(jen.Id("conn"), jen.Id("consumer"), jen.Id("closed"), jen.Err()).Op(":=").Id("dialAMQP").Call(jen.Id("cfg"), jen.Id("endpoints"), jen.Id("logger")),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Id("backoff").Op("=").Min(jen.Max(jen.Lit(2).Op("*").Id("backoff"), ms(500)), jen.Lit(30).Op("*").Qual(pkgTime, "Second")),
				logKV(jen.Lit("msg"), jen.Lit("cannot consume"), jen.Lit("err"), jen.Err(), jen.Lit("retry_in"), jen.Id("backoff")),
				jen.Continue(),
			),
			logKV(jen.Lit("msg"), jen.Lit("consuming"), jen.Lit("url"), jen.Id("redactURL").Call(jen.Id("cfg").Dot("AMQPURL")),
				jen.Lit("queues"), jen.Qual(l.Transport.Path, "AMQPQueue").Call(jen.Id("cfg").Dot("AMQPQueuePrefix"), jen.Lit("*"))),
			jen.Id("backoff").Op("=").Add(ms(500)),
			jen.Select().Block(
				jen.Case(jen.Op("<-").Id("stop")).Block(
					jen.List(jen.Id("ctx"), jen.Id("cancel")).Op(":=").Qual(pkgContext, "WithTimeout").Call(jen.Qual(pkgContext, "Background").Call(), jen.Id("cfg").Dot("ShutdownTimeout")),
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
	f.Func().Id("dialAMQP").Params(
		jen.Id("cfg").Id("Config"),
		jen.Id("endpoints").Qual(l.Endpoint.Path, "Set"),
		jen.Id("logger").Qual(kitLog, "Logger"),
	).Params(
		jen.Id("conn").Op("*").Qual(amqpGo, "Connection"),
		jen.Id("consumer").Op("*").Qual(l.Transport.Path, "AMQPConsumer"),
		jen.Id("closed").Op("<-").Chan().Op("*").Qual(amqpGo, "Error"),
		jen.Err().Error(),
	).Block(
		jen.Id("props").Op(":=").Qual(amqpGo, "NewConnectionProperties").Call(),
		jen.Id("props").Dot("SetClientConnectionName").Call(jen.Lit(svc.Name)),
		jen.List(jen.Id("conn"), jen.Err()).Op("=").Qual(amqpGo, "DialConfig").Call(jen.Id("cfg").Dot("AMQPURL"), jen.Qual(amqpGo, "Config").Values(multiline([]jen.Code{
			jen.Id("Heartbeat").Op(":").Lit(10).Op("*").Qual(pkgTime, "Second"),
			jen.Id("Dial").Op(":").Qual(amqpGo, "DefaultDial").Call(jen.Lit(10).Op("*").Qual(pkgTime, "Second")),
			jen.Id("Properties").Op(":").Id("props"),
		})...)),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Nil(), jen.Err())),
		jen.List(jen.Id("ch"), jen.Err()).Op(":=").Id("conn").Dot("Channel").Call(),
		jen.If(jen.Err().Op("==").Nil()).Block(
			jen.Id("closed").Op("=").Id("ch").Dot("NotifyClose").Call(jen.Make(jen.Chan().Op("*").Qual(amqpGo, "Error"), jen.Lit(1))),
			jen.Err().Op("=").Id("ch").Dot("Qos").Call(jen.Int().Call(jen.Id("cfg").Dot("AMQPPrefetch")), jen.Lit(0), jen.False()),
		),
		jen.If(jen.Err().Op("==").Nil()).Block(
			jen.List(jen.Id("consumer"), jen.Err()).Op("=").Qual(l.Transport.Path, "ConsumeAMQP").Call(jen.Id("ch"), jen.Id("cfg").Dot("AMQPQueuePrefix"), jen.Id("endpoints"), jen.Id("logger")),
		),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Id("_").Op("=").Id("conn").Dot("Close").Call(),
			jen.Return(jen.Nil(), jen.Nil(), jen.Nil(), jen.Err()),
		),
		jen.Return(jen.Id("conn"), jen.Id("consumer"), jen.Id("closed"), jen.Nil()),
	)

	f.Comment("redactURL hides the password of a broker URL, for logs.")
	f.Func().Id("redactURL").Params(jen.Id("raw").String()).String().Block(
		jen.List(jen.Id("u"), jen.Err()).Op(":=").Qual(pkgURL, "Parse").Call(jen.Id("raw")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Lit("(malformed URL)"))),
		jen.Return(jen.Id("u").Dot("Redacted").Call()),
	)
}
