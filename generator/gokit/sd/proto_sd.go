package sd

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// HasProtoClient reports whether a proto service gets its <svc>client
// package: the client calls the instances over gRPC, so a service served
// without gRPC has none.
func HasProtoClient(ps *gokit.ProtoService) bool {
	return ps.Layout.GRPC
}

// ProtoRegistry emits <out>/<name>server/registry_gen.go for the server of
// proto services: the same registration as a Go-interface service's
// (Registry), of the server name, which every service's client looks up.
func ProtoRegistry(name string, server gokit.Pkg, services []*gokit.ProtoService) ([]byte, error) {
	return Registry(&model.Service{Name: name}, gokit.ProtoServerLayout(server, services))
}

// ProtoSDClient emits <out>/<svc>client/sd_gen.go of a proto service: the
// client runtime of a Go-interface service's client (SDClient), whose
// instancer looks up the server name (every service of the module is
// served by the instances of that one server).
func ProtoSDClient(serverName string, ps *gokit.ProtoService) ([]byte, error) {
	return SDClient(&model.Service{Name: serverName}, ps.Layout)
}

// ProtoClient emits <out>/<svc>client/client_gen.go of a proto service: the
// Client type, a typed client of the unary rpcs over gRPC, load-balanced
// over the instances of the server serverName on the runtime of sd_gen.go.
func ProtoClient(serverName string, ps *gokit.ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := gokit.ProtoNewFile(l.Client, ps)
	f.ImportName(l.Transport.Path, l.Transport.Name)
	f.ImportName(kitSD, "sd")
	f.ImportName(pkgInsecure, "insecure")
	f.PackageComment(gokit.CommentBlock(protoClientDoc(serverName, ps)))

	genClientNew(f, jen.Qual(l.Endpoint.Path, "Set"), clientSetField(svc), jen.Qual(l.Service.Path, "Service"), gokit.UnaryMethods(svc),
		func(e jen.Code) jen.Code { return jen.Id("unwrapStatus").Call(e) },
		[]string{
			"Client is a " + l.Service.Name + ".Service whose unary calls go over gRPC to the instances",
			"an sd.Instancer reports, balanced, retried and circuit-broken (see the package",
			"doc). Its embedded Set holds the client endpoint of each unary rpc, for use with",
			"other Go kit middlewares. Close it when done.",
		},
		[]string{
			"New returns a client of the " + ps.FullName + " service at the instances of the",
			serverName + " server that instancer reports (NewInstancer, Static, or any Go kit",
			"sd.Instancer); logger gets the endpointers' and circuit breakers' messages (nil",
			"for none). The instancer stays the caller's to stop.",
		})

	for _, m := range svc.Methods {
		if !m.IsStreaming() {
			continue
		}
		pm := ps.Method(m)
		f.Comment(m.Name + " is not load-balanced: it streams, and a stream lives on one connection.")
		f.Comment("It returns an Unimplemented status; call " + pm.ProtoName + " with " + l.PB.Name + ".New" + svc.GoName + "Client")
		f.Comment("on a connection to one instance.")
		f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(m.Name).Params(gokit.Params(m)...).Error().Block(
			jen.Return(jen.Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "Unimplemented"),
				jen.Lit(l.Client.Name+": "+pm.ProtoName+" streams and is not load-balanced: call it with "+l.PB.Name+".New"+svc.GoName+"Client on a connection to one instance"))),
		)
	}

	closeName := clientCloseName(svc)
	f.Comment(closeName + " stops following the instancer and closes the connections to the")
	f.Comment("instances.")
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(closeName).Params().Block(jen.Id("c").Dot("p").Dot("close").Call())

	genProtoClientTransport(f, ps)
	return gokit.Render(f)
}

// protoClientDoc is a proto client package's doc comment, lines without "//".
func protoClientDoc(serverName string, ps *gokit.ProtoService) []string {
	l, pkg := ps.Layout, ps.Layout.Client.Name
	doc := []string{"Package " + pkg + " is a client of the " + ps.FullName + " service, served by the"}
	usage := []string{"\tc := " + pkg + ".New(" + pkg + ".Static(\"10.0.0.1:8081\", \"10.0.0.2:8081?weight=3\"), logger)"}
	if r, ok := registryNames[l.Discovery]; ok {
		doc = append(doc, serverName+" server. It finds the instances registered with "+r+" (NewInstancer) or",
			"those of a static list (Static), spreads calls over them, retries on another",
			"instance when one is unavailable and stops calling instances that keep failing:")
		usage = instancerUsage(pkg)
	} else {
		doc = append(doc, serverName+" server. It finds the instances of a static list (Static, or any Go kit",
			"sd.Instancer), spreads calls over them, retries on another instance when one is",
			"unavailable and stops calling instances that keep failing:")
	}
	doc = append(doc, "")
	doc = append(doc, usage...)
	doc = append(doc,
		"\tdefer c.Close()",
		"\tresp, err := c.Method(ctx, req) // c is a "+l.Service.Name+".Service",
		"",
		"Each unary rpc is a Go kit pipeline: an sd.Instancer reports the instances; an",
		"endpointer keeps one endpoint per instance, over gRPC at the instance's gRPC port",
		"(one connection per instance, shared by the rpcs); a balancer picks one per call",
		"(Weighted, the default, RoundRobin or Random, see WithBalancer); lb.Retry tries up",
		"to 3 instances within 10 s (WithRetry), retrying only the statuses that say an",
		"instance is unavailable (Unavailable, which refused and broken connections are,",
		"DeadlineExceeded, and an open circuit breaker); and each instance has a circuit",
		"breaker (sony/gobreaker, shared by the rpcs) that opens after 3 such failures in",
		"a row and lets a probe through after 5 s (WithBreaker). Other statuses come back",
		"at once, as the instance answered them.",
		"",
		"Streaming rpcs are not load-balanced: a stream lives on one connection. The",
		"Client's streaming methods return Unimplemented; call them with the gRPC client of",
		"the pb package on a connection to one instance.",
		"",
		"# Instances and weights",
		"",
		"Go kit's instancers report an instance as a plain \"host:port\" string, and its",
		"endpointer hands balancers endpoints only, so an instance's weight has to travel",
		"in that string, and the weighted balancer has to watch the instancer itself. The",
		"instancers of this package report \"host:port?weight=N&grpc=PORT\" (weight 1 and",
		"the gRPC server at host:port when absent); the weighted balancer (a smooth",
		"weighted round robin, nginx's algorithm) subscribes to the instancer, parses each",
		"string and keeps one endpoint per instance.",
	)
	return append(doc, registryClientDoc(serverName, l.Discovery)...)
}

// genProtoClientTransport emits the gRPC side of a proto client: its
// options, connect, and the status classification the retry and circuit
// breakers go by.
func genProtoClientTransport(f *jen.File, ps *gokit.ProtoService) {
	l := ps.Layout
	set := jen.Qual(l.Endpoint.Path, "Set")
	f.Comment("transportOptions are the transport settings of a Client.")
	f.Type().Id("transportOptions").Struct(
		jen.Id("dial").Index().Qual(gokit.PkgGRPC, "DialOption"),
		jen.Id("grpc").Index().Qual(gokit.KitGRPC, "ClientOption"),
		jen.Id("tls").Op("*").Qual(gokit.PkgTLS, "Config"),
	)

	f.Comment("WithTLS calls the instances over TLS with c (TLSConfig builds one from PEM")
	f.Comment("files: the servers' CA, a client certificate for mTLS, the server name).")
	f.Func().Id("WithTLS").Params(jen.Id("c").Op("*").Qual(gokit.PkgTLS, "Config")).Id("Option").Block(
		jen.Return(jen.Func().Params(jen.Id("o").Op("*").Id("options")).Block(jen.Id("o").Dot("transport").Dot("tls").Op("=").Id("c"))),
	)

	f.Comment("WithDialOptions adds gRPC dial options to every instance's connection.")
	f.Comment("Connections are plaintext unless WithTLS is given or they set other transport")
	f.Comment("credentials.")
	f.Func().Id("WithDialOptions").Params(jen.Id("opts").Op("...").Qual(gokit.PkgGRPC, "DialOption")).Id("Option").Block(
		jen.Return(jen.Func().Params(jen.Id("o").Op("*").Id("options")).Block(
			jen.Id("o").Dot("transport").Dot("dial").Op("=").Append(jen.Id("o").Dot("transport").Dot("dial"), jen.Id("opts").Op("...")),
		)),
	)
	f.Comment("WithGRPCOptions adds Go kit gRPC client options (metadata from the context,")
	f.Comment("credentials, ...) to every call.")
	f.Func().Id("WithGRPCOptions").Params(jen.Id("opts").Op("...").Qual(gokit.KitGRPC, "ClientOption")).Id("Option").Block(
		jen.Return(jen.Func().Params(jen.Id("o").Op("*").Id("options")).Block(
			jen.Id("o").Dot("transport").Dot("grpc").Op("=").Append(jen.Id("o").Dot("transport").Dot("grpc"), jen.Id("opts").Op("...")),
		)),
	)

	wrap := []jen.Code{}
	for _, m := range gokit.UnaryMethods(ps.Svc) {
		wrap = append(wrap, jen.Id("set").Dot(m.EndpointName()).Op("=").Id("classify").Call(jen.Id("set").Dot(m.EndpointName())))
	}
	f.Comment("connect returns the client endpoints of one instance, over gRPC at its gRPC")
	f.Comment("port, on a connection of their own, closed with the instance.")
	f.Func().Id("connect").Params(jen.Id("in").Id("instance"), jen.Id("t").Id("transportOptions")).Params(
		set.Clone(), jen.Qual(gokit.PkgIO, "Closer"), jen.Error(),
	).Block(append(append([]jen.Code{
		jen.Id("creds").Op(":=").Qual(pkgInsecure, "NewCredentials").Call(),
		jen.If(jen.Id("t").Dot("tls").Op("!=").Nil()).Block(
			jen.Id("creds").Op("=").Qual(gokit.PkgCredentials, "NewTLS").Call(jen.Id("t").Dot("tls")),
		),
		jen.Id("opts").Op(":=").Append(
			jen.Index().Qual(gokit.PkgGRPC, "DialOption").Values(jen.Qual(gokit.PkgGRPC, "WithTransportCredentials").Call(jen.Id("creds"))),
			jen.Id("t").Dot("dial").Op("..."),
		),
		jen.List(jen.Id("conn"), jen.Err()).Op(":=").Qual(gokit.PkgGRPC, "NewClient").Call(jen.Id("in").Dot("grpcAddr"), jen.Id("opts").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(set.Clone().Values(), jen.Nil(), jen.Err())),
		jen.Id("set").Op(":=").Qual(l.Transport.Path, "NewGRPCClient").Call(jen.Id("conn"), jen.Id("t").Dot("grpc").Op("...")),
	}, wrap...), jen.Return(jen.Id("set"), jen.Id("conn"), jen.Nil()))...)

	ep := func(name string) *jen.Statement {
		return jen.Func().Id(name).Params(jen.Id("e").Qual(gokit.KitEndpoint, "Endpoint")).Qual(gokit.KitEndpoint, "Endpoint")
	}
	f.Comment("classify wraps the errors of an instance's endpoint, gRPC statuses, in")
	f.Comment("statusError, whose StatusCode tells the retry and the circuit breakers which")
	f.Comment("of them say the instance is unavailable.")
	f.Add(ep("classify")).Block(
		jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(
			jen.List(jen.Id("response"), jen.Err()).Op(":=").Id("e").Call(jen.Id("ctx"), jen.Id("request")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("statusError").Values(jen.Err()))),
			jen.Return(jen.Id("response"), jen.Nil()),
		)),
	)
	f.Comment("unwrapStatus returns the status an instance answered as it is, rather than")
	f.Comment("wrapped by classify.")
	f.Add(ep("unwrapStatus")).Block(
		jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(
			jen.List(jen.Id("response"), jen.Err()).Op(":=").Id("e").Call(jen.Id("ctx"), jen.Id("request")),
			jen.If(jen.List(jen.Id("se"), jen.Id("ok")).Op(":=").Err().Assert(jen.Id("statusError")), jen.Id("ok")).Block(
				jen.Return(jen.Nil(), jen.Id("se").Dot("err")),
			),
			jen.Return(jen.Id("response"), jen.Err()),
		)),
	)

	f.Comment("statusError is the status an instance answered, with the HTTP status of its code.")
	f.Type().Id("statusError").Struct(jen.Id("err").Error())
	f.Comment("Error returns the status's message.")
	f.Func().Params(jen.Id("e").Id("statusError")).Id("Error").Params().String().Block(jen.Return(jen.Id("e").Dot("err").Dot("Error").Call()))
	f.Comment("Unwrap returns the status error.")
	f.Func().Params(jen.Id("e").Id("statusError")).Id("Unwrap").Params().Error().Block(jen.Return(jen.Id("e").Dot("err")))
	f.Comment("GRPCStatus returns the status, for status.FromError and status.Code.")
	f.Func().Params(jen.Id("e").Id("statusError")).Id("GRPCStatus").Params().Op("*").Qual(gokit.PkgGRPCStatus, "Status").Block(
		jen.Return(jen.Qual(gokit.PkgGRPCStatus, "Convert").Call(jen.Id("e").Dot("err"))))
	codes := []struct {
		code   string
		status int
	}{
		{"Unavailable", 503}, {"DeadlineExceeded", 504}, {"ResourceExhausted", 429}, {"Unauthenticated", 401},
		{"PermissionDenied", 403}, {"NotFound", 404}, {"Canceled", 499}, {"Unimplemented", 501},
	}
	cases := []jen.Code{}
	for _, c := range codes {
		cases = append(cases, jen.Case(jen.Qual(gokit.PkgGRPCCodes, c.code)).Block(jen.Return(jen.Lit(c.status))))
	}
	cases = append(cases,
		jen.Case(jen.Qual(gokit.PkgGRPCCodes, "InvalidArgument"), jen.Qual(gokit.PkgGRPCCodes, "FailedPrecondition"), jen.Qual(gokit.PkgGRPCCodes, "OutOfRange")).Block(jen.Return(jen.Lit(400))),
		jen.Case(jen.Qual(gokit.PkgGRPCCodes, "AlreadyExists"), jen.Qual(gokit.PkgGRPCCodes, "Aborted")).Block(jen.Return(jen.Lit(409))),
	)
	f.Comment("StatusCode returns the HTTP status of the status's code, as the server's HTTP")
	f.Comment("transcoding maps it: 503 for Unavailable (refused and broken connections")
	f.Comment("included), 504 for DeadlineExceeded, 500 for the codes without another.")
	f.Func().Params(jen.Id("e").Id("statusError")).Id("StatusCode").Params().Int().Block(
		jen.Switch(jen.Qual(gokit.PkgGRPCStatus, "Code").Call(jen.Id("e").Dot("err"))).Block(cases...),
		jen.Return(jen.Lit(500)),
	)
}
