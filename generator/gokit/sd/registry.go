package sd

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// DiscoverySettings are the server settings of the registry the service
// registers with (kitforge.yaml discovery): the instance's advertised
// address and weight, and the registry's address and liveness timing,
// named after the registry.
func DiscoverySettings(l gokit.Layout) []gokit.Setting {
	if _, ok := registryNames[l.Discovery]; !ok {
		return nil
	}
	sec := func(n int) jen.Code { return jen.Lit(n).Op("*").Qual(gokit.PkgTime, "Second") }
	out := []gokit.Setting{
		{Field: "AdvertiseAddr", Flag: "advertise-addr", Env: "ADVERTISE_ADDR", Usage: "address (host or host:port) registered for clients to call; empty: the listen host, or this machine's first non-loopback IPv4", Kind: "string", Default: jen.Lit("")},
		{Field: "Weight", Flag: "weight", Env: "WEIGHT", Usage: "share of the calls clients send this instance, relative to the other instances' weights", Kind: "int64", Default: jen.Lit(1)},
	}
	switch l.Discovery {
	case discoveryConsul:
		out = append(out,
			gokit.Setting{Field: "ConsulAddr", Flag: "consul-addr", Env: "CONSUL_HTTP_ADDR", Usage: "Consul agent HTTP address to register with", Kind: "string", Default: jen.Lit("127.0.0.1:8500")},
			gokit.Setting{Field: "ConsulCheckInterval", Flag: "consul-check-interval", Env: "CONSUL_CHECK_INTERVAL", Usage: "how often Consul checks GET /healthz of this instance", Kind: "duration", Default: sec(10)},
		)
	case discoveryEtcd:
		out = append(out,
			gokit.Setting{Field: "EtcdEndpoints", Flag: "etcd-endpoints", Env: "ETCD_ENDPOINTS", Usage: "comma-separated etcd client URLs to register with", Kind: "string", Default: jen.Lit("http://127.0.0.1:2379")},
			gokit.Setting{Field: "EtcdTTL", Flag: "etcd-ttl", Env: "ETCD_TTL", Usage: "TTL of the lease that holds this instance's key, kept alive while it runs", Kind: "duration", Default: sec(10)},
		)
	case discoveryEureka:
		out = append(out,
			gokit.Setting{Field: "EurekaURL", Flag: "eureka-url", Env: "EUREKA_URL", Usage: "comma-separated Eureka base URLs to register with", Kind: "string", Default: jen.Lit("http://127.0.0.1:8761/eureka")},
			gokit.Setting{Field: "EurekaHeartbeat", Flag: "eureka-heartbeat", Env: "EUREKA_HEARTBEAT", Usage: "how often this instance renews its Eureka lease, which lasts three heartbeats", Kind: "duration", Default: sec(30)},
		)
	case discoveryZooKeeper:
		out = append(out,
			gokit.Setting{Field: "ZKServers", Flag: "zk-servers", Env: "ZK_SERVERS", Usage: "comma-separated ZooKeeper servers to register with", Kind: "string", Default: jen.Lit("127.0.0.1:2181")},
			gokit.Setting{Field: "ZKSessionTimeout", Flag: "zk-session-timeout", Env: "ZK_SESSION_TIMEOUT", Usage: "ZooKeeper session timeout, how soon a dead instance's node goes", Kind: "duration", Default: sec(5)},
		)
	case discoveryDNSSRV:
		out = append(out,
			gokit.Setting{Field: "DNSSRVName", Flag: "dns-srv-name", Env: "DNS_SRV_NAME", Usage: "DNS SRV name clients look up; its records are managed outside this service", Kind: "string", Default: jen.Lit("")},
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
func HasRegistry(l gokit.Layout) bool {
	_, ok := registryNames[l.Discovery]
	return ok
}

// Registry emits <out>/<name>server/registry_gen.go: discoveryActor, the
// run.Group actor Run adds first, and the registration code of the
// registry copied from sdruntime/server. Switching registries is a
// regeneration: this file and the registry's settings in Config change.
func Registry(svc *model.Service, l gokit.Layout) ([]byte, error) {
	name := registryNames[l.Discovery]
	g := jen.NewFilePathName(l.Server.Path, l.Server.Name)
	g.ImportAlias(gokit.KitLog, "log")
	grpcAddr := jen.Lit("")
	if l.GRPC {
		grpcAddr = jen.Id("cfg").Dot("GRPCAddr")
	}
	body := []jen.Code{
		jen.Id("logger").Op("=").Qual(gokit.KitLog, "With").Call(jen.Id("logger"), jen.Lit("registry"), jen.Lit(l.Discovery)),
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
			jen.Id("logger").Op("=").Qual(gokit.KitLog, "With").Call(jen.Id("logger"), jen.Lit("instance"), jen.Id("reg").Dot("ID")),
			jen.List(jen.Id("r"), jen.Err()).Op(":=").Id(r.ctor).Call(r.args()...),
			jen.Return(jen.Id("registryActor").Call(jen.Id("r"), jen.Err(), jen.Id("logger"))),
		)
	}
	g.Comment(gokit.CommentBlock(doc))
	g.Func().Id("discoveryActor").Params(jen.Id("cfg").Id("Config"), jen.Id("logger").Qual(gokit.KitLog, "Logger")).Params(
		jen.Id("execute").Func().Params().Error(), jen.Id("interrupt").Func().Params(jen.Error()),
	).Block(body...)
	glue, err := renderGlue(g)
	if err != nil {
		return nil, err
	}
	fileDoc := "Registration of this instance with " + name + " (kitforge.yaml discovery: " + l.Discovery + "),\ncopied by kitforge from its generator/gokit/sdruntime/server, where it is tested\nagainst a real " + name + ". Run adds discoveryActor to its run.Group first."
	return sdSource(l.Server.Name, fileDoc, glue, "server", sdServerFiles(l.Discovery))
}

// DiscoveryHook is the statement Run starts its run.Group with when the
// service registers with a registry: the registration actor, first, so
// that it deregisters before any listener closes.
func DiscoveryHook(l gokit.Layout) jen.Code {
	if !HasRegistry(l) {
		return jen.Null()
	}
	return jen.Comment("Added first: at shutdown the instance leaves " + registryNames[l.Discovery] + " before any listener closes.").Line().
		Id("g").Dot("Add").Call(jen.Id("discoveryActor").Call(jen.Id("cfg"), jen.Id("logger")))
}

// DiscoveryRunDoc is the paragraph Run's doc comment gets about discovery.
func DiscoveryRunDoc(l gokit.Layout) []string {
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

// ProtoRegistry emits <out>/<name>server/registry_gen.go for the server of
// proto services: the same registration as a Go-interface service's
// (Registry), of the server name, which every service's client looks up.
func ProtoRegistry(name string, server gokit.Pkg, services []*gokit.ProtoService) ([]byte, error) {
	return Registry(&model.Service{Name: name}, gokit.ProtoServerLayout(server, services))
}
