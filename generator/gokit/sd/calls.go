package sd

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// registryAddr is the setting of the address of registry d that a client
// looks instances up in (Consul's agent, etcd's endpoints, ...).
func registryAddr(d string) (gokit.Setting, bool) {
	s := DiscoverySettings(gokit.Layout{Discovery: d})
	if len(s) < 3 {
		return gokit.Setting{}, false
	}
	return s[2], true
}

// envName is the environment variable of a callee's setting: "USERS_ADDR".
func envName(callee, suffix string) string {
	return strings.ToUpper(callee) + "_" + suffix
}

// Calls emits <server>/calls_gen.go: CallsConfig (where each callee's
// instances are: a static list, or the callee's registry), and Calls, a
// client per callee, balanced and retried like every generated client.
func Calls(name string, l gokit.Layout) ([]byte, error) {
	f := l.NewFile(l.Server)
	f.ImportName(gokit.PkgFlag, "flag")
	var (
		fields, defaults, flags, clients []jen.Code
		dials                            []jen.Code
	)
	for _, c := range l.Calls {
		addr := gokit.UpperFirst(c.Name) + "Addr"
		fields = append(fields,
			jen.Comment(addr+` lists `+c.Name+` instances as `+c.Clients[0].Client.Name+`.Static takes them, comma-separated;`),
			jen.Comment(calleeEmptyAddrDoc(c)),
			jen.Id(addr).String())
		flags = append(flags, jen.Id("fs").Dot("StringVar").Call(jen.Op("&").Id("c").Dot(addr), jen.Lit(c.Name+"-addr"),
			jen.Id("envOr").Call(jen.Lit(envName(c.Name, "ADDR")), jen.Id("c").Dot(addr)),
			jen.Lit(c.Name+` instances, "host:port[,host:port...]" (env `+envName(c.Name, "ADDR")+`)`)))
		client := c.Clients[0].Client.Path
		inst := c.Name + "Instancer"
		static := jen.Id(inst).Op("=").Qual(client, "Static").Call(jen.Id("splitList").Call(jen.Id("c").Dot(addr)).Op("..."))
		fail := func(err jen.Code) jen.Code {
			return jen.Block(jen.Id("calls").Dot("Close").Call(), jen.Return(jen.Nil(), err))
		}
		dials = append(dials, jen.Var().Id(inst).Qual(kitSD, "Instancer"))
		if rs, ok := registryAddr(c.Discovery); ok {
			reg := gokit.UpperFirst(c.Name) + "Registry"
			fields = append(fields,
				jen.Comment(reg+" is where "+c.Name+" instances are found when "+addr+" is empty: the "+strings.TrimSuffix(rs.Usage, " to register with")+"."),
				jen.Id(reg).String())
			defaults = append(defaults, jen.Id(reg).Op(":").Add(rs.Default))
			flags = append(flags, jen.Id("fs").Dot("StringVar").Call(jen.Op("&").Id("c").Dot(reg), jen.Lit(c.Name+"-registry"),
				jen.Id("envOr").Call(jen.Lit(envName(c.Name, "REGISTRY")), jen.Id("c").Dot(reg)),
				jen.Lit("where "+c.Name+" instances are found when -"+c.Name+"-addr is empty (env "+envName(c.Name, "REGISTRY")+")")))
			dials = append(dials, jen.If(jen.Id("c").Dot(addr).Op("!=").Lit("")).Block(static).Else().Block(
				jen.Var().Err().Error(),
				jen.If(jen.List(jen.Id(inst), jen.Err()).Op("=").Qual(client, "NewInstancer").Call(jen.Id("c").Dot(reg), jen.Id("logger")), jen.Err().Op("!=").Nil()).Add(
					fail(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit(c.Name+": %w"), jen.Err()))),
			))
		} else {
			dials = append(dials,
				jen.If(jen.Id("c").Dot(addr).Op("==").Lit("")).Add(fail(jen.Qual(gokit.PkgErrors, "New").Call(jen.Lit("-"+c.Name+"-addr is empty: list the "+c.Name+" instances to call ("+c.Name+" registers with no registry)")))),
				static)
		}
		dials = append(dials, jen.Id("calls").Dot("stops").Op("=").Append(jen.Id("calls").Dot("stops"), jen.Id(inst).Dot("Stop")))
		for _, cl := range c.Clients {
			clients = append(clients, jen.Comment(cl.Field+" calls "+c.Name+": a "+cl.Service.Name+"."+cl.Iface+"."), jen.Id(cl.Field).Op("*").Qual(cl.Client.Path, "Client"))
			dials = append(dials,
				jen.Id("calls").Dot(cl.Field).Op("=").Qual(cl.Client.Path, "New").Call(jen.Id(inst), jen.Id("logger")),
				jen.Id("calls").Dot("closers").Op("=").Append(jen.Id("calls").Dot("closers"), jen.Id("calls").Dot(cl.Field).Dot("Close")),
			)
		}
	}
	f.Comment("CallsConfig says where the instances of the services " + name + " calls are: a")
	f.Comment("static list per service, or the service's registry. Register adds it to a flag set.")
	f.Type().Id("CallsConfig").Struct(fields...)
	f.Comment("DefaultCallsConfig returns the default settings: every callee found in its")
	f.Comment("registry at the registry's default address (or, without one, no instance).")
	f.Func().Id("DefaultCallsConfig").Params().Id("CallsConfig").Block(jen.Return(jen.Id("CallsConfig").Values(gokit.Multiline(defaults)...)))
	f.Comment("Register adds the settings to fs as flags whose defaults come from the environment;")
	f.Comment("call it before Config.Parse, which parses fs.")
	f.Func().Params(jen.Id("c").Op("*").Id("CallsConfig")).Id("Register").Params(jen.Id("fs").Op("*").Qual(gokit.PkgFlag, "FlagSet")).Block(flags...)
	f.Comment("Calls holds a client of each service " + name + " calls, each balancing, retrying and")
	f.Comment("circuit-breaking its calls (see the client packages). Close it when done.")
	f.Type().Id("Calls").Struct(append(clients, jen.Id("closers").Index().Func().Params(), jen.Id("stops").Index().Func().Params())...)
	f.Comment("Dial returns the clients of the services " + name + " calls; logger gets their messages.")
	f.Func().Params(jen.Id("c").Id("CallsConfig")).Id("Dial").Params(jen.Id("logger").Qual(gokit.KitLog, "Logger")).Params(jen.Op("*").Id("Calls"), jen.Error()).Block(
		append(append([]jen.Code{jen.Id("calls").Op(":=").Op("&").Id("Calls").Values()}, dials...), jen.Return(jen.Id("calls"), jen.Nil()))...)
	f.Comment("Close closes every client, then stops following the registries.")
	f.Func().Params(jen.Id("c").Op("*").Id("Calls")).Id("Close").Params().Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("closeClient")).Op(":=").Range().Id("c").Dot("closers")).Block(jen.Id("closeClient").Call()),
		jen.For(jen.List(jen.Id("_"), jen.Id("stop")).Op(":=").Range().Id("c").Dot("stops")).Block(jen.Id("stop").Call()),
		jen.Id("c").Dot("closers").Op(",").Id("c").Dot("stops").Op("=").Nil().Op(",").Nil(),
	)
	genCallsHelpers(f)
	return gokit.Render(f)
}

// calleeEmptyAddrDoc says what an empty address of callee c means.
func calleeEmptyAddrDoc(c gokit.Callee) string {
	if _, ok := registryAddr(c.Discovery); ok {
		return "empty: the instances registered with " + registryNames[c.Discovery] + "."
	}
	return "it must be set: " + c.Name + " registers with no registry."
}

// genCallsHelpers emits the helpers of CallsConfig.
func genCallsHelpers(f *jen.File) {
	f.Comment("envOr returns the environment variable key, or def when it is unset.")
	f.Func().Id("envOr").Params(jen.List(jen.Id("key"), jen.Id("def")).String()).String().Block(
		jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Qual(gokit.PkgOS, "LookupEnv").Call(jen.Id("key")), jen.Id("ok")).Block(jen.Return(jen.Id("v"))),
		jen.Return(jen.Id("def")),
	)
	f.Comment("splitList splits a comma-separated list, leaving out empty entries.")
	f.Func().Id("splitList").Params(jen.Id("s").String()).Index().String().Block(
		jen.Var().Id("out").Index().String(),
		jen.For(jen.List(jen.Id("_"), jen.Id("item")).Op(":=").Range().Qual(gokit.PkgStrings, "Split").Call(jen.Id("s"), jen.Lit(","))).Block(
			jen.If(jen.Id("item").Op("=").Qual(gokit.PkgStrings, "TrimSpace").Call(jen.Id("item")), jen.Id("item").Op("!=").Lit("")).Block(
				jen.Id("out").Op("=").Append(jen.Id("out"), jen.Id("item")),
			),
		),
		jen.Return(jen.Id("out")),
	)
}

// ServiceClients are the client packages a service of a Go interface
// offers its callers: its <name>client (none when it has no client).
func ServiceClients(svc *model.Service, l gokit.Layout) []gokit.CalleeClient {
	if !HasClient(svc) {
		return nil
	}
	return []gokit.CalleeClient{{Field: gokit.UpperFirst(svc.Name), Param: svc.Name, Client: l.Client, Service: l.Service, Iface: svc.Interface.Name,
		Constructor: l.Names.Name("New")}}
}

// ProtoServiceClients are the client packages of the services of a .proto
// entry: one per service with a client (gRPC on).
func ProtoServiceClients(services []*gokit.ProtoService) []gokit.CalleeClient {
	var out []gokit.CalleeClient
	for _, ps := range services {
		if !HasProtoClient(ps) {
			continue
		}
		param := strings.ToLower(ps.Svc.GoName[:1]) + ps.Svc.GoName[1:]
		out = append(out, gokit.CalleeClient{Field: ps.Svc.GoName, Param: param, Client: ps.Layout.Client, Service: ps.Layout.Service, Iface: "Service", Constructor: "New"})
	}
	return out
}
