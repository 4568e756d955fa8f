package broker

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// NATSSettings are the server settings of the NATS transport.
func NATSSettings() []gokit.Setting {
	return []gokit.Setting{
		{Field: "NATSURL", Flag: "nats-url", Env: "NATS_URL", Usage: "NATS server URL(s), comma-separated", Kind: "string", Default: jen.Lit("nats://127.0.0.1:4222")},
		{Field: "NATSSubjectPrefix", Flag: "nats-subject-prefix", Env: "NATS_SUBJECT_PREFIX", Usage: "prefix of every NATS subject", Kind: "string", Default: jen.Lit("")},
	}
}

// NATSActor connects to NATS (retrying in the background while the server
// is unreachable, so the service still starts), subscribes every method and
// adds a run-group actor whose interrupt drains the connection.
func NATSActor(svc *model.Service, l gokit.Layout) jen.Code {
	return natsConnActor(svc.Name, []natsSub{{l.Transport.Path, "endpoints"}})
}

// natsSub is a service a NATS connection serves: the import path of its
// transport package and the local of Run that holds its endpoints.
type natsSub struct{ transport, endpoints string }

// natsConnActor is NATSActor for the services subs, on one connection named
// name.
func natsConnActor(name string, subs []natsSub) jen.Code {
	logKV := func(kv ...jen.Code) jen.Code {
		return jen.Id("_").Op("=").Id("logger").Dot("Log").Call(append([]jen.Code{jen.Lit("transport"), jen.Lit("NATS")}, kv...)...)
	}
	code := []jen.Code{
		jen.Id("closed").Op(":=").Make(jen.Chan().Struct()),
		jen.List(jen.Id("nc"), jen.Err()).Op(":=").Qual(NATSGo, "Connect").Call(
			jen.Id("cfg").Dot("NATSURL"),
			jen.Qual(NATSGo, "Name").Call(jen.Lit(name)),
			jen.Qual(NATSGo, "RetryOnFailedConnect").Call(jen.True()),
			jen.Qual(NATSGo, "MaxReconnects").Call(jen.Lit(-1)),
			jen.Qual(NATSGo, "ReconnectWait").Call(jen.Qual(gokit.PkgTime, "Second")),
			jen.Qual(NATSGo, "DrainTimeout").Call(jen.Id("cfg").Dot("ShutdownTimeout")),
			jen.Qual(NATSGo, "DisconnectErrHandler").Call(jen.Func().Params(jen.Id("_").Op("*").Qual(NATSGo, "Conn"), jen.Err().Error()).Block(
				jen.If(jen.Err().Op("!=").Nil()).Block(logKV(jen.Lit("msg"), jen.Lit("disconnected"), jen.Lit("err"), jen.Err())),
			)),
			jen.Qual(NATSGo, "ConnectHandler").Call(jen.Func().Params(jen.Id("c").Op("*").Qual(NATSGo, "Conn")).Block(
				logKV(jen.Lit("msg"), jen.Lit("connected"), jen.Lit("url"), jen.Id("c").Dot("ConnectedUrlRedacted").Call()),
			)),
			jen.Qual(NATSGo, "ReconnectHandler").Call(jen.Func().Params(jen.Id("c").Op("*").Qual(NATSGo, "Conn")).Block(
				logKV(jen.Lit("msg"), jen.Lit("reconnected"), jen.Lit("url"), jen.Id("c").Dot("ConnectedUrlRedacted").Call()),
			)),
			jen.Qual(NATSGo, "ClosedHandler").Call(jen.Func().Params(jen.Op("*").Qual(NATSGo, "Conn")).Block(jen.Close(jen.Id("closed")))),
		),
	}
	code = append(code, jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("nats: %w"), jen.Err()))))
	queues := []jen.Code{jen.Lit("url"), jen.Id("cfg").Dot("NATSURL")}
	for _, s := range subs {
		code = append(code, jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Qual(s.transport, "SubscribeNATS").Call(jen.Id("nc"), jen.Id("cfg").Dot("NATSSubjectPrefix"), jen.Id(s.endpoints), jen.Id("logger")), jen.Err().Op("!=").Nil()).Block(
			jen.Id("nc").Dot("Close").Call(),
			jen.Return(jen.Err()),
		))
		queues = append(queues, jen.Lit("queue"), jen.Qual(s.transport, "NATSQueue"))
	}
	return jen.Block(append(code,
		jen.Id("shut").Dot("onDrain").Call(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context")).Block(
			jen.Comment("Drain: no new messages, finish those in flight, then close."),
			jen.If(jen.Err().Op(":=").Id("nc").Dot("Drain").Call(), jen.Err().Op("!=").Nil()).Block(
				logKV(jen.Lit("during"), jen.Lit("drain"), jen.Lit("err"), jen.Err()),
				jen.Id("nc").Dot("Close").Call(),
			),
			jen.Select().Block(
				jen.Case(jen.Op("<-").Id("closed")),
				jen.Case(jen.Op("<-").Id("ctx").Dot("Done").Call()).Block(jen.Id("nc").Dot("Close").Call()),
			),
		)),
		jen.Id("g").Dot("Add").Call(
			jen.Func().Params().Error().Block(
				logKV(queues...),
				jen.Op("<-").Id("closed"),
				jen.Return(jen.Nil()),
			),
			jen.Func().Params(jen.Error()).Block(jen.Id("shut").Dot("drain").Call()),
		),
	)...)
}

// ProtoNATSActor is the run-group actor of the NATS transport of proto
// services: one connection serving every service, or nothing without NATS.
func ProtoNATSActor(services []*gokit.ProtoService) jen.Code {
	if !services[0].Layout.NATS {
		return jen.Null()
	}
	subs := make([]natsSub, len(services))
	for i, ps := range services {
		subs[i] = natsSub{ps.Layout.Transport.Path, gokit.ProtoVar(services, ps, "endpoints")}
	}
	return natsConnActor(strings.TrimSuffix(services[0].Layout.Server.Name, "server"), subs)
}
