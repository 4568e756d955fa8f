package server

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/service"
	"github.com/kitforge/kitforge/generator/model"
)

// Main emits cmd/<name>/main.go, created once: flags, a logger, the service
// implementation and <name>server.Run.
func Main(svc *model.Service, l gokit.Layout) ([]byte, error) {
	f := service.NewScaffoldFile(gokit.Pkg{Path: l.Module + "/" + l.CmdDir, Name: "main"})
	l.ImportUserPackages(f)
	f.ImportName(l.Server.Path, l.Server.Name)
	f.PackageComment("Command " + svc.Name + " serves the " + svc.Name + " service.")
	calls := len(l.Calls) > 0
	var body []jen.Code
	add := func(on bool, code ...jen.Code) {
		if on {
			body = append(body, code...)
		}
	}
	add(true, jen.Id("cfg").Op(":=").Qual(l.Server.Path, "DefaultConfig").Call())
	add(calls, jen.Id("callsCfg").Op(":=").Qual(l.Server.Path, "DefaultCallsConfig").Call())
	add(true, jen.Id("fs").Op(":=").Qual(gokit.PkgFlag, "NewFlagSet").Call(jen.Lit(svc.Name), jen.Qual(gokit.PkgFlag, "ExitOnError")))
	add(calls, jen.Id("callsCfg").Dot("Register").Call(jen.Id("fs")))
	add(true,
		jen.If(jen.Err().Op(":=").Id("cfg").Dot("Parse").Call(jen.Id("fs"), jen.Qual(gokit.PkgOS, "Args").Index(jen.Lit(1), jen.Empty())), jen.Err().Op("!=").Nil()).Block(
			jen.Qual(gokit.PkgFmt, "Fprintln").Call(jen.Qual(gokit.PkgOS, "Stderr"), jen.Err()),
			jen.Qual(gokit.PkgOS, "Exit").Call(jen.Lit(2)),
		),
		jen.Line(),
		jen.Id("logger").Op(":=").Add(l.ServiceIdent("NewLogger")).Call(jen.Qual(gokit.PkgOS, "Stderr"), jen.Lit("service"), jen.Lit(svc.Name)),
		jen.Line(),
	)
	add(calls,
		jen.Comment("The clients of the services "+svc.Name+" calls (kitforge.yaml calls:)."),
		jen.List(jen.Id("calls"), jen.Err()).Op(":=").Id("callsCfg").Dot("Dial").Call(jen.Id("logger")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("err"), jen.Err()), jen.Qual(gokit.PkgOS, "Exit").Call(jen.Lit(2))),
		jen.Defer().Id("calls").Dot("Close").Call(),
	)
	var args []jen.Code
	for _, c := range l.Calls {
		for _, cl := range c.Clients {
			args = append(args, jen.Id("calls").Dot(cl.Field))
		}
	}
	onError := []jen.Code{jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("err"), jen.Err())}
	if calls {
		onError = append(onError, jen.Id("calls").Dot("Close").Call())
	}
	add(true,
		jen.Id("svc").Op(":=").Add(l.Constructor()).Call(args...),
		mainOptions(l.Server),
		jen.If(jen.Err().Op(":=").Qual(l.Server.Path, "Run").Call(jen.Qual(gokit.PkgContext, "Background").Call(), jen.Id("cfg"), jen.Id("svc"), jen.Id("logger"), jen.Id("opts").Op("...")), jen.Err().Op("!=").Nil()).Block(
			append(onError, jen.Qual(gokit.PkgOS, "Exit").Call(jen.Lit(1)))...,
		),
	)
	f.Func().Id("main").Params().Block(body...)
	return gokit.Render(f)
}

// ProtoMain emits cmd/<name>/main.go for proto services, created once:
// flags, a logger, each service's implementation and <name>server.Run.
func ProtoMain(name string, server gokit.Pkg, cmdDir, module string, services []*gokit.ProtoService) ([]byte, error) {
	f := service.NewScaffoldFile(gokit.Pkg{Path: module + "/" + cmdDir, Name: "main"})
	f.ImportName(server.Path, server.Name)
	values := make([]jen.Code, 0, len(services))
	for _, ps := range services {
		f.ImportName(ps.Layout.Service.Path, ps.Layout.Service.Name)
		values = append(values, jen.Id(ps.Svc.GoName).Op(":").Qual(ps.Layout.Service.Path, "New").Call())
	}
	f.PackageComment("Command " + name + " serves the " + name + " services.")
	f.Func().Id("main").Params().Block(
		jen.Id("cfg").Op(":=").Qual(server.Path, "DefaultConfig").Call(),
		jen.Id("fs").Op(":=").Qual(gokit.PkgFlag, "NewFlagSet").Call(jen.Lit(name), jen.Qual(gokit.PkgFlag, "ExitOnError")),
		jen.If(jen.Err().Op(":=").Id("cfg").Dot("Parse").Call(jen.Id("fs"), jen.Qual(gokit.PkgOS, "Args").Index(jen.Lit(1), jen.Empty())), jen.Err().Op("!=").Nil()).Block(
			jen.Qual(gokit.PkgFmt, "Fprintln").Call(jen.Qual(gokit.PkgOS, "Stderr"), jen.Err()),
			jen.Qual(gokit.PkgOS, "Exit").Call(jen.Lit(2)),
		),
		jen.Line(),
		jen.Id("logger").Op(":=").Qual(gokit.KitLog, "NewLogfmtLogger").Call(jen.Qual(gokit.KitLog, "NewSyncWriter").Call(jen.Qual(gokit.PkgOS, "Stderr"))),
		jen.Id("logger").Op("=").Qual(gokit.KitLog, "With").Call(jen.Id("logger"), jen.Lit("ts"), jen.Qual(gokit.KitLog, "DefaultTimestampUTC"), jen.Lit("service"), jen.Lit(name)),
		jen.Line(),
		jen.Id("services").Op(":=").Qual(server.Path, "Services").Values(gokit.Multiline(values)...),
		mainOptions(server),
		jen.If(jen.Err().Op(":=").Qual(server.Path, "Run").Call(jen.Qual(gokit.PkgContext, "Background").Call(), jen.Id("cfg"), jen.Id("services"), jen.Id("logger"), jen.Id("opts").Op("...")), jen.Err().Op("!=").Nil()).Block(
			jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("err"), jen.Err()),
			jen.Qual(gokit.PkgOS, "Exit").Call(jen.Lit(1)),
		),
	)
	return gokit.Render(f)
}
