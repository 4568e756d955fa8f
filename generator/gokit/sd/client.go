package sd

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// Import paths of the packages the generated client uses.
const (
	kitSD       = "github.com/go-kit/kit/sd"
	pkgInsecure = "google.golang.org/grpc/credentials/insecure"
)

// registryNames are the registries' names as a sentence says them.
var registryNames = map[string]string{
	discoveryConsul:    "Consul",
	discoveryEtcd:      "etcd",
	discoveryEureka:    "Eureka",
	discoveryZooKeeper: "ZooKeeper",
	discoveryDNSSRV:    "DNS SRV",
}

// HasClient reports whether kitforge generates the <name>client package
// for svc: for services from a Go interface, whose transports have the
// HTTP (and gRPC) clients it builds on.
func HasClient(svc *model.Service) bool { return svc.Source == model.SourceGo }

// HasProtoClient reports whether a proto service gets its <svc>client
// package: the client calls the instances over gRPC, so a service served
// without gRPC has none.
func HasProtoClient(ps *gokit.ProtoService) bool {
	return ps.Layout.GRPC
}

// Client emits <out>/<name>client/client_gen.go: the Client type, New, the
// transport options and the per-instance connection. The rest of the
// package (balancers, retry, circuit breakers, instancers) is sd_gen.go.
func Client(svc *model.Service, l gokit.Layout) ([]byte, error) {
	f := l.NewFile(l.Client)
	f.ImportName(l.Endpoint.Path, l.Endpoint.Name)
	f.ImportName(l.Transport.Path, l.Transport.Name)
	f.ImportName(kitSD, "sd")
	if l.GRPC {
		f.ImportName(gokit.PkgGRPC, "grpc")
		f.ImportName(pkgInsecure, "insecure")
	}
	f.PackageComment(gokit.CommentBlock(clientDoc(svc, l)))
	genClientType(f, svc, l)
	genClientTransport(f, svc, l)
	return gokit.Render(f)
}

// clientDoc is the client package's doc comment, lines without "//".
func clientDoc(svc *model.Service, l gokit.Layout) []string {
	name, pkg := svc.Name, l.Client.Name
	doc := []string{"Package " + pkg + " is a client of the " + name + " service. It finds the instances"}
	usage := []string{"\tc := " + pkg + ".New(" + pkg + ".Static(\"10.0.0.1:8080\", \"10.0.0.2:8080?weight=3\"), logger)"}
	if r, ok := registryNames[l.Discovery]; ok {
		doc = append(doc, "registered with "+r+" (NewInstancer) or those of a static list (Static), spreads")
		usage = instancerUsage(pkg)
	} else {
		doc = append(doc, "of a static list (Static, or any Go kit sd.Instancer), spreads")
	}
	doc = append(doc,
		"calls over them, retries on another instance when one is unavailable and stops",
		"calling instances that keep failing:",
		"",
	)
	doc = append(doc, usage...)
	doc = append(doc,
		"\tdefer c.Close()",
		"\tresult, err := c.Method(ctx, ...) // c is a "+l.Service.Name+"."+svc.Interface.Name,
		"",
		"Each method is a Go kit pipeline: an sd.Instancer reports the instances; an",
		"endpointer keeps one endpoint per instance (over HTTP, or gRPC with WithGRPC); a",
		"balancer picks one per call (Weighted, the default, RoundRobin or Random, see",
		"WithBalancer); lb.Retry tries up to 3 instances within 10 s (WithRetry), retrying",
		"only failures that say an instance is unavailable (refused or broken connections,",
		"an open circuit breaker, 502, 503, 504); and each instance has a circuit breaker",
		"(sony/gobreaker, shared by the methods) that opens after 3 such failures in a",
		"row and lets a probe through after 5 s (WithBreaker). Business errors come back at",
		"once, as the *"+l.Service.Name+".StatusError the instance answered with.",
		"",
		"# Instances and weights",
		"",
		"Go kit's instancers report an instance as a plain \"host:port\" string, and its",
		"endpointer hands balancers endpoints only, so an instance's weight has to travel",
		"in that string, and the weighted balancer has to watch the instancer itself. The",
		"instancers of this package report \"host:port?weight=N&grpc=PORT\" (weight 1 and",
		"no gRPC port when absent); the weighted balancer (a smooth weighted round robin,",
		"nginx's algorithm) subscribes to the instancer, parses each string and keeps one",
		"endpoint per instance.",
	)
	return append(doc, registryClientDoc(name, l.Discovery)...)
}

// instancerUsage is the usage example of a client package with a registry.
func instancerUsage(pkg string) []string {
	return []string{
		"\tinstancer, err := " + pkg + ".NewInstancer(addr, logger)",
		"\t...",
		"\tdefer instancer.Stop()",
		"\tc := " + pkg + ".New(instancer, logger)",
	}
}

// registryClientDoc is the paragraph of a client package's doc about where
// the instancer of registry finds an instance's weight (and gRPC port);
// name is the name the servers register.
func registryClientDoc(name, registry string) []string {
	var doc []string
	switch registry {
	case discoveryEtcd:
		doc = append(doc, "", "Servers store that string, with the weight of their -weight flag, as the value",
			"of their key /services/"+name+"/<id>, held by a lease; Go kit's sd/etcdv3",
			"Instancer passes it through unchanged.")
	case discoveryZooKeeper:
		doc = append(doc, "", "Servers store that string, with the weight of their -weight flag, as the data",
			"of their ephemeral node /services/"+name+"/<id>; Go kit's sd/zk Instancer passes it",
			"through unchanged.")
	case discoveryConsul:
		doc = append(doc, "", "Servers register the weight of their -weight flag as Meta weight (and",
			"Weights.Passing) and their gRPC port as Meta grpc_port. Go kit's sd/consul",
			"Instancer drops both, so NewInstancer is this package's own, on blocking queries",
			"of the instances that pass their health checks.")
	case discoveryEureka:
		doc = append(doc, "", "Servers register the weight of their -weight flag and their gRPC port as",
			"metadata (weight, grpcPort). Go kit's sd/eureka Instancer drops them, so",
			"NewInstancer is this package's own, polling Eureka through fargo.")
	case discoveryDNSSRV:
		doc = append(doc, "", "The weight is that of the SRV record (0 counts as 1); only the records of the",
			"lowest priority are used. Go kit's sd/dnssrv Instancer drops the weight, so",
			"NewInstancer is this package's own.")
	}
	return doc
}

// clientCloseName is the name of Client's Close method: Close, or
// CloseClient when the service has a method named Close.
func clientCloseName(svc *model.Service) string {
	name := "Close"
	if hasMethod(svc, name) {
		name = "CloseClient"
	}
	for hasMethod(svc, name) {
		name += "_"
	}
	return name
}

// hasMethod reports whether svc has a method called name.
func hasMethod(svc *model.Service, name string) bool {
	for _, m := range svc.Methods {
		if m.Name == name {
			return true
		}
	}
	return false
}

// clientSetField is the name of Client's embedded endpoint Set: Set, or
// the alias endpointSet when a method is called Set (a field would hide it).
func clientSetField(svc *model.Service) string {
	if hasMethod(svc, "Set") {
		return "endpointSet"
	}
	return "Set"
}

func genClientType(f *jen.File, svc *model.Service, l gokit.Layout) {
	genClientNew(f, jen.Qual(l.Endpoint.Path, "Set"), clientSetField(svc), jen.Qual(l.Service.Path, svc.Interface.Name), gokit.UnaryMethods(svc), nil,
		[]string{
			"Client is a " + l.Service.Name + "." + svc.Interface.Name + " whose calls go to the instances an sd.Instancer",
			"reports, balanced, retried and circuit-broken (see the package doc). Its",
			"embedded Set holds the client endpoint of each method, for use with other Go kit",
			"middlewares. Close it when done.",
		},
		[]string{
			"New returns a client of the " + svc.Name + " instances that instancer reports (NewInstancer,",
			"Static, or any Go kit sd.Instancer); logger gets the endpointers' and circuit",
			"breakers' messages (nil for none). The instancer stays the caller's to stop.",
		})

	closeName := clientCloseName(svc)
	f.Comment(closeName + " stops following the instancer and closes the connections to the")
	f.Comment("instances.")
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(closeName).Params().Block(jen.Id("c").Dot("p").Dot("close").Call())
}

func genClientTransport(f *jen.File, svc *model.Service, l gokit.Layout) {
	set := jen.Qual(l.Endpoint.Path, "Set")
	fields := []jen.Code{
		jen.Id("http").Index().Qual(gokit.KitHTTP, "ClientOption"),
		jen.Id("tls").Op("*").Qual(gokit.PkgTLS, "Config"),
	}
	if l.GRPC {
		fields = append(fields,
			jen.Id("grpc").Bool(),
			jen.Id("dial").Index().Qual(gokit.PkgGRPC, "DialOption"),
		)
	}
	f.Comment("transportOptions are the transport settings of a Client.")
	f.Type().Id("transportOptions").Struct(fields...)

	f.Comment("WithHTTPOptions adds Go kit HTTP client options (a custom http.Client, request")
	f.Comment("functions, ...) to every call over HTTP.")
	f.Func().Id("WithHTTPOptions").Params(jen.Id("opts").Op("...").Qual(gokit.KitHTTP, "ClientOption")).Id("Option").Block(
		jen.Return(jen.Func().Params(jen.Id("o").Op("*").Id("options")).Block(
			jen.Id("o").Dot("transport").Dot("http").Op("=").Append(jen.Id("o").Dot("transport").Dot("http"), jen.Id("opts").Op("...")),
		)),
	)
	genClientWithTLS(f, l)
	if l.GRPC {
		f.Comment("WithGRPC calls the instances over gRPC rather than HTTP: at the gRPC port they")
		f.Comment("registered (grpc=PORT in the instance string), else at their address, with one")
		f.Comment("connection per instance. Connections are plaintext unless WithTLS is given or")
		f.Comment("dialOpts set other transport credentials.")
		f.Func().Id("WithGRPC").Params(jen.Id("dialOpts").Op("...").Qual(gokit.PkgGRPC, "DialOption")).Id("Option").Block(
			jen.Return(jen.Func().Params(jen.Id("o").Op("*").Id("options")).Block(
				jen.Id("o").Dot("transport").Dot("grpc").Op("=").True(),
				jen.Id("o").Dot("transport").Dot("dial").Op("=").Append(jen.Id("o").Dot("transport").Dot("dial"), jen.Id("dialOpts").Op("...")),
			)),
		)
	}

	notSet := func(fn string) jen.Code {
		return jen.Qual(gokit.PkgErrors, "New").Call(jen.Lit(l.Transport.Name + "." + fn + " did not return a " + l.Endpoint.Name + ".Set"))
	}
	body := []jen.Code{}
	if l.GRPC {
		body = append(body, jen.If(jen.Id("t").Dot("grpc")).Block(append(grpcDial(set),
			jen.List(jen.Id("set"), jen.Id("ok")).Op(":=").Qual(l.Transport.Path, "NewGRPCClient").Call(jen.Id("conn")).Assert(set.Clone()),
			jen.If(jen.Op("!").Id("ok")).Block(
				jen.Id("_").Op("=").Id("conn").Dot("Close").Call(),
				jen.Return(set.Clone().Values(), jen.Nil(), notSet("NewGRPCClient")),
			),
			jen.Return(jen.Id("set"), jen.Id("conn"), jen.Nil()),
		)...))
	}
	body = append(body,
		jen.Id("addr").Op(":=").Id("in").Dot("addr"),
		jen.If(jen.Id("t").Dot("tls").Op("!=").Nil()).Block(jen.Id("addr").Op("=").Lit("https://").Op("+").Id("addr")),
		jen.List(jen.Id("svc"), jen.Err()).Op(":=").Qual(l.Transport.Path, "NewHTTPClient").Call(jen.Id("addr"), jen.Id("t").Dot("http").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(set.Clone().Values(), jen.Nil(), jen.Err())),
		jen.List(jen.Id("set"), jen.Id("ok")).Op(":=").Id("svc").Assert(set.Clone()),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(set.Clone().Values(), jen.Nil(), notSet("NewHTTPClient"))),
		jen.Return(jen.Id("set"), jen.Nil(), jen.Nil()),
	)
	if l.GRPC {
		f.Comment("connect returns the client endpoints of one instance, over HTTP, or over gRPC on")
		f.Comment("a connection of their own, closed with the instance.")
	} else {
		f.Comment("connect returns the client endpoints of one instance, over HTTP.")
	}
	f.Func().Id("connect").Params(jen.Id("in").Id("instance"), jen.Id("t").Id("transportOptions")).Params(
		set.Clone(), jen.Qual(gokit.PkgIO, "Closer"), jen.Error(),
	).Block(body...)
}

// genClientNew emits the Client type (the endpoint Set set and the
// pipeline), the assertion that it implements iface, and New, which builds
// each method's endpoint on the pipeline, wrapped by wrap when not nil.
func genClientNew(f *jen.File, set *jen.Statement, setField string, iface jen.Code, methods []*model.Method, wrap func(jen.Code) jen.Code, typeDoc, newDoc []string) {
	embedded := set.Clone()
	if setField != "Set" {
		f.Comment(setField + " is the endpoint Set, embedded in Client under this name because")
		f.Comment("the service has a method called Set.")
		f.Type().Id(setField).Op("=").Add(set.Clone())
		embedded = jen.Id(setField)
	}
	f.Comment(gokit.CommentBlock(typeDoc))
	f.Type().Id("Client").Struct(
		embedded,
		jen.Id("p").Op("*").Id("pipeline").Types(set.Clone()),
	)
	f.Var().Id("_").Add(iface).Op("=").Parens(jen.Op("*").Id("Client")).Parens(jen.Nil())

	fields := []jen.Code{}
	for _, m := range methods {
		var e jen.Code = jen.Id("p").Dot("endpoint").Call(
			jen.Lit(m.Name),
			jen.Func().Params(jen.Id("s").Add(set.Clone())).Qual(gokit.KitEndpoint, "Endpoint").Block(jen.Return(jen.Id("s").Dot(m.EndpointName()))),
		)
		if wrap != nil {
			e = wrap(e)
		}
		fields = append(fields, jen.Id(m.EndpointName()).Op(":").Add(e))
	}
	f.Comment(gokit.CommentBlock(newDoc))
	f.Func().Id("New").Params(
		jen.Id("instancer").Qual(kitSD, "Instancer"),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("opts").Op("...").Id("Option"),
	).Op("*").Id("Client").Block(
		jen.Id("p").Op(":=").Id("newPipeline").Call(jen.Id("instancer"), jen.Id("logger"), jen.Id("opts"), jen.Id("connect")),
		jen.Return(jen.Op("&").Id("Client").Values(
			jen.Line().Id(setField).Op(":").Add(set.Clone()).Values(gokit.Multiline(fields)...),
			jen.Line().Id("p").Op(":").Id("p"),
			jen.Line(),
		)),
	)
}

// instancerDocs says, per registry, what NewInstancer's address is and
// what it watches; {name} is the service name, {APP} its Eureka application.
var instancerDocs = map[string][]string{
	discoveryConsul: {
		"NewInstancer returns an sd.Instancer of the instances of {name} that pass their health",
		"checks in Consul, updated by blocking queries. addr is the agent's HTTP address,",
		"as the servers' -consul-addr takes (\"\" means CONSUL_HTTP_ADDR, else",
		"127.0.0.1:8500); consul/api's other environment variables (CONSUL_HTTP_TOKEN,",
		"CONSUL_CACERT, ...) apply. Stop it when done.",
	},
	discoveryEtcd: {
		"NewInstancer returns an sd.Instancer of the instances of {name} registered in etcd",
		"under /services/{name}/ (Go kit's sd/etcdv3 Instancer, on a watch). addr is the",
		"comma-separated client URLs, as the servers' -etcd-endpoints takes. Stop it when",
		"done.",
	},
	discoveryEureka: {
		"NewInstancer returns an sd.Instancer of the instances of {name} that are UP in Eureka",
		"(application {APP}), polled every 5 s (WithRefresh). addr is the comma-separated",
		"base URLs, as the servers' -eureka-url takes (\"http://host:8761/eureka\"). Stop it",
		"when done.",
	},
	discoveryZooKeeper: {
		"NewInstancer returns an sd.Instancer of the instances of {name} registered in",
		"ZooKeeper as children of /services/{name} (Go kit's sd/zk Instancer, on a watch).",
		"addr is the comma-separated host:port list, as the servers' -zk-servers takes.",
		"Stop it when done.",
	},
	discoveryDNSSRV: {
		"NewInstancer returns an sd.Instancer of the targets of the DNS SRV name addr",
		"(\"_{name}._tcp.example.com\"), looked up every 5 s (WithRefresh) with the system",
		"resolver (WithResolver for another). The records are managed outside the",
		"servers, which do not register with DNS. Stop it when done.",
	},
}

// registryConstructors are the sdruntime/client constructors of each
// registry's instancer; the DNS one takes no service name.
var registryConstructors = map[string]string{
	discoveryConsul:    "newConsulInstancer",
	discoveryEtcd:      "newEtcdInstancer",
	discoveryEureka:    "newEurekaInstancer",
	discoveryZooKeeper: "newZKInstancer",
	discoveryDNSSRV:    "newDNSInstancer",
}

// genClientWithTLS emits WithTLS, the client's TLS over both transports.
func genClientWithTLS(f *jen.File, l gokit.Layout) {
	over := "HTTPS"
	if l.GRPC {
		over = "HTTPS, or gRPC with TLS"
	}
	f.Comment(gokit.WrapComment("WithTLS calls the instances over "+over+", with c (TLSConfig builds one from PEM files: the servers' CA, a client certificate for mTLS, the server name). Over HTTP the client gets a transport of its own; an httptransport.SetClient of WithHTTPOptions wins over it.", 80))
	f.Func().Id("WithTLS").Params(jen.Id("c").Op("*").Qual(gokit.PkgTLS, "Config")).Id("Option").Block(
		jen.Return(jen.Func().Params(jen.Id("o").Op("*").Id("options")).Block(
			jen.Id("tr").Op(":=").Qual(gokit.PkgHTTP, "DefaultTransport").Assert(jen.Op("*").Qual(gokit.PkgHTTP, "Transport")).Dot("Clone").Call(),
			jen.Id("tr").Dot("TLSClientConfig").Op("=").Id("c"),
			jen.Id("o").Dot("transport").Dot("tls").Op("=").Id("c"),
			jen.Id("o").Dot("transport").Dot("http").Op("=").Append(
				jen.Index().Qual(gokit.KitHTTP, "ClientOption").Values(jen.Qual(gokit.KitHTTP, "SetClient").Call(jen.Op("&").Qual(gokit.PkgHTTP, "Client").Values(jen.Id("Transport").Op(":").Id("tr")))),
				jen.Id("o").Dot("transport").Dot("http").Op("..."),
			),
		)),
	)
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
	).Block(append(append(grpcDial(set),
		jen.Id("set").Op(":=").Qual(l.Transport.Path, "NewGRPCClient").Call(jen.Id("conn"), jen.Id("t").Dot("grpc").Op("...")),
	), append(wrap, jen.Return(jen.Id("set"), jen.Id("conn"), jen.Nil()))...)...)

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

// grpcDial is the statements of connect that dial an instance over gRPC
// (TLS when the options carry a configuration), returning a zero set and
// the error when that fails.
func grpcDial(set *jen.Statement) []jen.Code {
	return []jen.Code{
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
	}
}
