package broker

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
)

// SetProtoTransports sets the transports of the server of proto services
// from theirs (every service of a module has the same).
func SetProtoTransports(l *gokit.Layout, services []*gokit.ProtoService) {
	l.GRPC, l.NATS, l.AMQP = services[0].Layout.GRPC, services[0].Layout.NATS, services[0].Layout.AMQP
	l.NoOpenAPI = !services[0].HTTP
}

// OnHTTP is code, one statement per line, when the proto services have the
// HTTP/JSON transport, and nothing when they do not.
func OnHTTP(services []*gokit.ProtoService, code ...jen.Code) jen.Code {
	return when(services[0].HTTP, code)
}

// OnGRPC is code, one statement per line, when the proto services have the
// gRPC transport, and nothing when they do not.
func OnGRPC(services []*gokit.ProtoService, code ...jen.Code) jen.Code {
	return when(services[0].Layout.GRPC, code)
}

// when is code, one statement per line, if cond, and nothing otherwise.
func when(cond bool, code []jen.Code) jen.Code {
	if !cond {
		return jen.Null()
	}
	s := &jen.Statement{}
	for i, c := range code {
		if i > 0 {
			s.Line()
		}
		s.Add(c)
	}
	return s
}

// ProtoRunDoc is the doc comment of Run for proto services, which says what
// each transport serves.
func ProtoRunDoc(l gokit.Layout, services []*gokit.ProtoService) string {
	httpOn := services[0].HTTP
	var doc string
	if httpOn && l.GRPC { // kept as it was written by hand before transports could be dropped
		doc = strings.Join([]string{
			"// Run serves services until ctx is cancelled or the process receives SIGINT or",
			"// SIGTERM, then shuts down gracefully, letting in-flight calls finish within",
			"// cfg.ShutdownTimeout. On cfg.HTTPAddr it serves the unary rpcs as HTTP/JSON (their",
			"// google.api.http routes), GET /healthz, GET /readyz and GET /metrics (Prometheus);",
			"// on cfg.GRPCAddr every rpc over gRPC, with the standard health service (SERVING,",
			"// NOT_SERVING from the start of shutdown) and server reflection. A signal or",
			"// cancellation is a clean exit (nil).",
		}, "\n")
	} else {
		text := "Run serves services until ctx is cancelled or the process receives SIGINT or SIGTERM, then shuts down gracefully, letting in-flight calls finish within cfg.ShutdownTimeout. On cfg.HTTPAddr it serves "
		if httpOn {
			text += "the unary rpcs as HTTP/JSON (their google.api.http routes), "
		}
		text += "GET /healthz, GET /readyz and GET /metrics (Prometheus)"
		if l.GRPC {
			text += "; on cfg.GRPCAddr every rpc over gRPC, with the standard health service (SERVING, NOT_SERVING from the start of shutdown) and server reflection"
		}
		doc = gokit.WrapComment(text+". A signal or cancellation is a clean exit (nil).", 76)
	}
	if l.NATS {
		doc += "\n//\n" + gokit.WrapComment("Over NATS (cfg.NATSURL) it serves every unary rpc on its subject, in the queue group of its service; on shutdown the connection is drained, so that messages in flight are finished before exit.", 76)
	}
	if l.AMQP {
		doc += "\n//\n" + protoAMQPRunDoc(services)
	}
	return doc
}
