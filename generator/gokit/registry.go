package gokit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/model"
)

// discoverySettings are the server settings of the registry the service
// registers with (kitforge.yaml discovery): the instance's advertised
// address and weight, and the registry's address and liveness timing,
// named after the registry.
func discoverySettings(l Layout) []setting {
	if _, ok := registryNames[l.Discovery]; !ok {
		return nil
	}
	sec := func(n int) jen.Code { return jen.Lit(n).Op("*").Qual(pkgTime, "Second") }
	out := []setting{
		{"AdvertiseAddr", "advertise-addr", "ADVERTISE_ADDR", "address (host or host:port) registered for clients to call; empty: the listen host, or this machine's first non-loopback IPv4", "string", jen.Lit("")},
		{"Weight", "weight", "WEIGHT", "share of the calls clients send this instance, relative to the other instances' weights", "int64", jen.Lit(1)},
	}
	switch l.Discovery {
	case discoveryConsul:
		out = append(out,
			setting{"ConsulAddr", "consul-addr", "CONSUL_HTTP_ADDR", "Consul agent HTTP address to register with", "string", jen.Lit("127.0.0.1:8500")},
			setting{"ConsulCheckInterval", "consul-check-interval", "CONSUL_CHECK_INTERVAL", "how often Consul checks GET /healthz of this instance", "duration", sec(10)},
		)
	case discoveryEtcd:
		out = append(out,
			setting{"EtcdEndpoints", "etcd-endpoints", "ETCD_ENDPOINTS", "comma-separated etcd client URLs to register with", "string", jen.Lit("http://127.0.0.1:2379")},
			setting{"EtcdTTL", "etcd-ttl", "ETCD_TTL", "TTL of the lease that holds this instance's key, kept alive while it runs", "duration", sec(10)},
		)
	case discoveryEureka:
		out = append(out,
			setting{"EurekaURL", "eureka-url", "EUREKA_URL", "comma-separated Eureka base URLs to register with", "string", jen.Lit("http://127.0.0.1:8761/eureka")},
			setting{"EurekaHeartbeat", "eureka-heartbeat", "EUREKA_HEARTBEAT", "how often this instance renews its Eureka lease, which lasts three heartbeats", "duration", sec(30)},
		)
	case discoveryZooKeeper:
		out = append(out,
			setting{"ZKServers", "zk-servers", "ZK_SERVERS", "comma-separated ZooKeeper servers to register with", "string", jen.Lit("127.0.0.1:2181")},
			setting{"ZKSessionTimeout", "zk-session-timeout", "ZK_SESSION_TIMEOUT", "ZooKeeper session timeout, how soon a dead instance's node goes", "duration", sec(5)},
		)
	case discoveryDNSSRV:
		out = append(out,
			setting{"DNSSRVName", "dns-srv-name", "DNS_SRV_NAME", "DNS SRV name clients look up; its records are managed outside this service", "string", jen.Lit("")},
		)
	}
	return out
}

// registryRegistrars are the sdruntime/server constructors of each
// registry and the Config fields they take after the registration.
var registryRegistrars = map[string]struct {
	ctor string
	args func() []jen.Code
}{
	discoveryConsul: {"newConsulRegistry", func() []jen.Code {
		return []jen.Code{jen.Id("cfg").Dot("ConsulAddr"), jen.Id("reg"), jen.Id("cfg").Dot("ConsulCheckInterval")}
	}},
	discoveryEtcd: {"newEtcdRegistry", func() []jen.Code {
		return []jen.Code{jen.Id("splitAddrs").Call(jen.Id("cfg").Dot("EtcdEndpoints")), jen.Id("reg"), jen.Id("cfg").Dot("EtcdTTL")}
	}},
	discoveryEureka: {"newEurekaRegistry", func() []jen.Code {
		return []jen.Code{jen.Id("splitAddrs").Call(jen.Id("cfg").Dot("EurekaURL")), jen.Id("reg"), jen.Id("cfg").Dot("EurekaHeartbeat")}
	}},
	discoveryZooKeeper: {"newZKRegistry", func() []jen.Code {
		return []jen.Code{jen.Id("splitAddrs").Call(jen.Id("cfg").Dot("ZKServers")), jen.Id("reg"), jen.Id("cfg").Dot("ZKSessionTimeout"), jen.Id("logger")}
	}},
}

// HasRegistry reports whether the server gets registry_gen.go.
func HasRegistry(l Layout) bool {
	_, ok := registryNames[l.Discovery]
	return ok
}

// Registry emits <out>/<name>server/registry_gen.go: discoveryActor, the
// run.Group actor Run adds first, and the registration code of the
// registry copied from sdruntime/server. Switching registries is a
// regeneration: this file and the registry's settings in Config change.
func Registry(svc *model.Service, l Layout) ([]byte, error) {
	name := registryNames[l.Discovery]
	g := jen.NewFilePathName(l.Server.Path, l.Server.Name)
	g.ImportAlias(kitLog, "log")
	grpcAddr := jen.Lit("")
	if l.GRPC {
		grpcAddr = jen.Id("cfg").Dot("GRPCAddr")
	}
	body := []jen.Code{
		jen.Id("logger").Op("=").Qual(kitLog, "With").Call(jen.Id("logger"), jen.Lit("registry"), jen.Lit(l.Discovery)),
		jen.List(jen.Id("reg"), jen.Err()).Op(":=").Id("newRegistration").Call(
			jen.Lit(svc.Name), jen.Id("cfg").Dot("AdvertiseAddr"), jen.Id("cfg").Dot("HTTPAddr"), grpcAddr, jen.Id("cfg").Dot("Weight")),
	}
	var doc []string
	if l.Discovery == discoveryDNSSRV {
		doc = []string{
			"discoveryActor returns the run.Group actor of DNS SRV discovery: there is nothing",
			"to register (the SRV records are managed outside the service), so it logs the",
			"name clients look up (cfg.DNSSRVName) and the record that should point here.",
		}
		body = append(body, jen.Return(jen.Id("dnsActor").Call(jen.Id("cfg").Dot("DNSSRVName"), jen.Id("reg"), jen.Err(), jen.Id("logger"))))
	} else {
		r := registryRegistrars[l.Discovery]
		doc = []string{
			"discoveryActor returns the run.Group actor that registers this instance with " + name,
			"at start, keeps it registered (registering again if the registry loses it) and",
			"deregisters it at shutdown; Run adds it first, so that it leaves " + name + " before",
			"any listener closes. While " + name + " is unreachable it retries with backoff and",
			"logs; it never stops the service, and every request to " + name + " is bounded.",
		}
		body = append(body,
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("registryActor").Call(jen.Nil(), jen.Err(), jen.Id("logger")))),
			jen.Id("logger").Op("=").Qual(kitLog, "With").Call(jen.Id("logger"), jen.Lit("instance"), jen.Id("reg").Dot("ID")),
			jen.List(jen.Id("r"), jen.Err()).Op(":=").Id(r.ctor).Call(r.args()...),
			jen.Return(jen.Id("registryActor").Call(jen.Id("r"), jen.Err(), jen.Id("logger"))),
		)
	}
	g.Comment(commentBlock(doc))
	g.Func().Id("discoveryActor").Params(jen.Id("cfg").Id("Config"), jen.Id("logger").Qual(kitLog, "Logger")).Params(
		jen.Id("execute").Func().Params().Error(), jen.Id("interrupt").Func().Params(jen.Error()),
	).Block(body...)
	glue, err := renderGlue(g)
	if err != nil {
		return nil, err
	}
	fileDoc := "Registration of this instance with " + name + " (kitforge.yaml discovery: " + l.Discovery + "),\ncopied by kitforge from its generator/gokit/sdruntime/server, where it is tested\nagainst a real " + name + ". Run adds discoveryActor to its run.Group first."
	return sdSource(l.Server.Name, fileDoc, glue, "server", sdServerFiles(l.Discovery))
}

// discoveryHook is the statement Run starts its run.Group with when the
// service registers with a registry: the registration actor, first, so
// that it deregisters before any listener closes.
func discoveryHook(l Layout) jen.Code {
	if !HasRegistry(l) {
		return jen.Null()
	}
	return jen.Comment("Added first: at shutdown the instance leaves " + registryNames[l.Discovery] + " before any listener closes.").Line().
		Id("g").Dot("Add").Call(jen.Id("discoveryActor").Call(jen.Id("cfg"), jen.Id("logger")))
}

// discoveryRunDoc is the paragraph Run's doc comment gets about discovery.
func discoveryRunDoc(l Layout) []string {
	if !HasRegistry(l) {
		return nil
	}
	if l.Discovery == discoveryDNSSRV {
		return []string{"", "Its DNS SRV records (cfg.DNSSRVName) are managed outside the service."}
	}
	name := registryNames[l.Discovery]
	return []string{
		"",
		"It registers the instance with " + name + " (cfg.AdvertiseAddr, cfg.Weight) at start,",
		"retrying while " + name + " is unreachable, and deregisters it first at shutdown.",
	}
}
