package sd

import (
	"bytes"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/sdruntime"
	"github.com/kitforge/kitforge/generator/model"
)

// Registries kitforge generates discovery code for (kitforge.yaml
// discovery); "" is none.
const (
	discoveryConsul    = "consul"
	discoveryEtcd      = "etcd"
	discoveryEureka    = "eureka"
	discoveryZooKeeper = "zookeeper"
	discoveryDNSSRV    = "dnssrv"
)

// sdClientFiles lists the files of sdruntime/client that a client of
// registry gets: the balancers, retry, circuit breaking and the grace
// period of an emptied registry always; the instancer of the registry when
// there is one.
func sdClientFiles(registry string) []string {
	files := []string{"options.go", "instance.go", "retry.go", "pipeline.go", "grace.go", "weighted.go", "tls.go"}
	switch registry {
	case discoveryConsul:
		return append(files, "instancer.go", "cache.go", "consul.go")
	case discoveryEtcd:
		return append(files, "instancer.go", "etcd.go")
	case discoveryEureka:
		return append(files, "instancer.go", "cache.go", "eureka.go")
	case discoveryZooKeeper:
		return append(files, "instancer.go", "zookeeper.go")
	case discoveryDNSSRV:
		return append(files, "instancer.go", "cache.go", "dnssrv.go")
	}
	return files
}

// sdServerFiles lists the files of sdruntime/server that a server
// registering with registry gets.
func sdServerFiles(registry string) []string {
	files := []string{"register.go"}
	switch registry {
	case discoveryConsul:
		return append(files, "consul.go")
	case discoveryEtcd:
		return append(files, "etcd.go")
	case discoveryEureka:
		return append(files, "eureka.go")
	case discoveryZooKeeper:
		return append(files, "zookeeper.go")
	case discoveryDNSSRV:
		return append(files, "dnssrv.go")
	}
	return nil
}

// sdSource joins Go sources into one gofmt'd file of package pkg: glue
// (kitforge's generated code, rendered by jennifer) first, then the named
// files of sdruntime (dir "client" or "server"), each without its package
// clause and imports, under one import block. doc, when not empty, is a
// file comment (not a package doc) below the header.
func sdSource(pkg, doc string, glue []byte, dir string, files []string) ([]byte, error) {
	type source struct {
		name string
		src  []byte
	}
	sources := []source{}
	if len(glue) > 0 {
		sources = append(sources, source{"glue", glue})
	}
	for _, name := range files {
		src, err := sdruntime.Files.ReadFile(path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		sources = append(sources, source{path.Join(dir, name), src})
	}
	names := map[string]string{} // import path → name ("" for the default)
	var paths []string
	var glueBody, bodies bytes.Buffer
	for i, s := range sources {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, s.name, s.src, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("sd: %s: %w", s.name, err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			name := ""
			if imp.Name != nil {
				name = imp.Name.Name
			}
			if name == path.Base(p) {
				name = ""
			}
			if old, ok := names[p]; ok && old != name {
				return nil, fmt.Errorf("sd: %s imports %s as %q, another file as %q", s.name, p, name, old)
			}
			if _, ok := names[p]; !ok {
				paths = append(paths, p)
			}
			names[p] = name
		}
		start := fset.Position(f.Name.End()).Offset
		if n := len(f.Decls); n > 0 {
			start = fset.Position(f.Decls[n-1].End()).Offset
		}
		body := &bodies
		if i == 0 && len(glue) > 0 {
			body = &glueBody
		}
		body.WriteString("\n")
		body.Write(bytes.Trim(s.src[start:], "\n"))
		body.WriteString("\n")
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s\n\n", gokit.GeneratedHeader)
	if doc != "" {
		b.WriteString(gokit.CommentBlock(strings.Split(doc, "\n")) + "\n\n")
	}
	fmt.Fprintf(&b, "package %s\n\nimport (\n", pkg)
	var std, other []string
	for _, p := range paths {
		spec := strconv.Quote(p)
		if names[p] != "" {
			spec = names[p] + " " + spec
		}
		if strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
			other = append(other, spec)
		} else {
			std = append(std, spec)
		}
	}
	byPath := func(a, b string) int {
		return strings.Compare(a[strings.IndexByte(a, '"'):], b[strings.IndexByte(b, '"'):])
	}
	slices.SortFunc(std, byPath)
	slices.SortFunc(other, byPath)
	for _, s := range std {
		b.WriteString("\t" + s + "\n")
	}
	if len(std) > 0 && len(other) > 0 {
		b.WriteString("\n")
	}
	for _, s := range other {
		b.WriteString("\t" + s + "\n")
	}
	b.WriteString(")\n")
	b.Write(glueBody.Bytes())
	// Only the head and the glue need formatting: the runtime files are
	// gofmt'd where they live (TestSDSourceIsFormatted keeps it so), and
	// formatting them again would be most of a generation's time.
	head, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("sd: %w\n%s", err, b.Bytes())
	}
	return append(head, bodies.Bytes()...), nil
}

// renderGlue renders a jennifer file of glue code for sdSource, which
// writes the header and import block itself.
func renderGlue(f *jen.File) ([]byte, error) {
	f.NoFormat = true
	var b bytes.Buffer
	if err := f.Render(&b); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	return b.Bytes(), nil
}

// SDClient emits <out>/<name>client/sd_gen.go: the registry-independent
// part of the client copied from sdruntime/client (options, balancers,
// retry, circuit breakers), and the instancer of the registry the service
// was generated for with its NewInstancer. Switching registries is a
// regeneration: only this file changes.
func SDClient(svc *model.Service, l gokit.Layout) ([]byte, error) {
	var glue []byte
	if ctor, ok := registryConstructors[l.Discovery]; ok {
		g := jen.NewFilePathName(l.Client.Path, l.Client.Name)
		g.ImportName(kitSD, "sd")
		g.ImportAlias(gokit.KitLog, "log")
		var lines []string
		for _, line := range instancerDocs[l.Discovery] {
			lines = append(lines, strings.NewReplacer("{name}", svc.Name, "{APP}", strings.ToUpper(svc.Name)).Replace(line))
		}
		g.Comment(gokit.CommentBlock(lines))
		args := []jen.Code{jen.Id("addr")}
		if l.Discovery != discoveryDNSSRV {
			args = append(args, jen.Lit(svc.Name))
		}
		args = append(args, jen.Id("logger"), jen.Id("opts").Op("..."))
		g.Func().Id("NewInstancer").Params(
			jen.Id("addr").String(),
			jen.Id("logger").Qual(gokit.KitLog, "Logger"),
			jen.Id("opts").Op("...").Id("InstancerOption"),
		).Params(jen.Qual(kitSD, "Instancer"), jen.Error()).Block(
			jen.If(jen.Id("logger").Op("==").Nil()).Block(jen.Id("logger").Op("=").Qual(gokit.KitLog, "NewNopLogger").Call()),
			jen.Return(jen.Id(ctor).Call(args...)),
		)
		var err error
		if glue, err = renderGlue(g); err != nil {
			return nil, err
		}
	}
	doc := "Load balancing, retry and circuit breaking of the " + svc.Name + " client"
	if r, ok := registryNames[l.Discovery]; ok {
		doc += ", and its " + r + " instancer"
	}
	doc += ",\ncopied by kitforge from its generator/gokit/sdruntime/client, where they are\ntested. client_gen.go builds the Client on them."
	return sdSource(l.Client.Name, doc, glue, "client", sdClientFiles(l.Discovery))
}

// ProtoSDClient emits <out>/<svc>client/sd_gen.go of a proto service: the
// client runtime of a Go-interface service's client (SDClient), whose
// instancer looks up the server name (every service of the module is
// served by the instances of that one server).
func ProtoSDClient(serverName string, ps *gokit.ProtoService) ([]byte, error) {
	return SDClient(&model.Service{Name: serverName}, ps.Layout)
}
