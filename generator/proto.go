package generator

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sync"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/broker"
	"github.com/kitforge/kitforge/generator/gokit/endpoint"
	"github.com/kitforge/kitforge/generator/gokit/sd"
	genserver "github.com/kitforge/kitforge/generator/gokit/server"
	"github.com/kitforge/kitforge/generator/gokit/service"
	"github.com/kitforge/kitforge/generator/gokit/transport"
	"github.com/kitforge/kitforge/generator/merge"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
	"github.com/kitforge/kitforge/generator/protoparse"
)

// protoOutDefault is where the packages of a proto service go when
// kitforge.yaml says nothing: pkg/<name>service, pkg/<name>endpoint, ...
const protoOutDefault = "pkg"

// generateProto computes the plan of a module whose services are declared
// in .proto files: per service its generated interface, middlewares,
// endpoints, HTTP transcoding and gRPC transports and the scaffolded
// implementation; the .pb.go and gRPC glue of every local .proto file; and
// one server and main that serve every service.
func generateProto(ctx context.Context, cfg Config, opts config.Options, modRoot, modPath string) (*Result, error) {
	if opts.Interface != "" {
		return nil, &model.Error{Msg: "interface is for Go interfaces; a .proto service is generated from every service the files declare",
			Hint: "remove interface from kitforge.yaml (and --interface)"}
	}
	transports, err := protoTransports(opts)
	if err != nil {
		return nil, err
	}
	if opts.Out == "" {
		opts.Out = protoOutDefault
	}
	outDir, err := relSlash(modRoot, filepath.Join(cfg.Dir, opts.Out))
	if err != nil {
		return nil, err
	}
	sub := func(name, suffix string) gokit.Pkg {
		dir := path.Join(outDir, name+suffix)
		return gokit.Pkg{Path: modPath + "/" + dir, Name: name + suffix, Dir: dir}
	}
	loaded, err := protoparse.Load(ctx, protoparse.Config{
		Dir: cfg.Dir, Files: opts.Proto, ImportPaths: opts.ProtoPaths,
		ModuleRoot: modRoot, Module: modPath, PBDir: path.Join(outDir, "pb"), GoPackages: opts.GoPackage,
		ServicePackage: func(name string) (string, string, string) {
			p := sub(name, "service")
			return p.Path, p.Name, p.Dir
		},
	})
	if err != nil {
		return nil, err
	}
	name := opts.Name
	if name == "" {
		name = loaded.Services[0].Model.Name
	}
	server := sub(name, "server")
	cmdDir := "cmd/" + name
	names := map[string]string{}
	for _, f := range loaded.Files {
		names[f.Go.Path] = f.Go.Name
	}
	transcodeDir := path.Join(outDir, "internal", "transcode")
	transcodePkg := gokit.Pkg{Path: modPath + "/" + transcodeDir, Name: "transcode", Dir: transcodeDir}
	services := make([]*gokit.ProtoService, len(loaded.Services))
	for i, s := range loaded.Services {
		l := gokit.NewLayout(modPath, s.Model.Name, sub(s.Model.Name, "service"), outDir)
		l.Server, l.CmdDir, l.Transcode = server, cmdDir, transcodePkg
		l.NoGoGenerate = cfg.NoGoGenerate
		l.GRPC, l.NATS = slices.Contains(transports, "grpc"), slices.Contains(transports, "nats")
		l.AMQP = slices.Contains(transports, "amqp")
		l.Discovery, l.Middleware = opts.Discovery, opts.Middleware
		l.Imports = gokit.ImportNames(map[string]string{l.Service.Path: l.Service.Name})
		l.PB = gokit.Pkg{Path: s.PB.Path, Name: s.PB.Name, Dir: s.PB.Dir}
		ps := &gokit.ProtoService{Svc: s.Model, Layout: l, FullName: s.FullName, File: s.File, PackageNames: names,
			HTTP: slices.Contains(transports, "http")}
		for _, m := range s.Methods {
			ps.Methods = append(ps.Methods, gokit.ProtoMethod{ProtoName: m.ProtoName, Input: m.Input, Output: m.Output, StreamAlias: m.StreamAlias, Desc: m.Desc})
		}
		services[i] = ps
	}

	p := &plan.Plan{Root: modRoot}
	files, err := emitProto(name, server, services)
	if err != nil {
		return nil, err
	}
	p.Files = append(p.Files, files...)
	// The transcoding runtime's dir is owned even without HTTP, so that
	// dropping the transport deletes the runtime as stale.
	p.Owned = append(p.Owned, server.Dir, transcodePkg.Dir)
	if err := addProtoDiscovery(p, name, server, services); err != nil {
		return nil, err
	}
	if err := addProtoMiddleware(p, name, server, services); err != nil {
		return nil, err
	}
	if err := addProtoExtras(p, name, server, services); err != nil {
		return nil, err
	}
	for _, ps := range services {
		l := ps.Layout
		p.Owned = append(p.Owned, l.Service.Dir, l.Endpoint.Dir, l.Transport.Dir)
	}
	if err := addPBOutputs(p, loaded); err != nil {
		return nil, err
	}
	for _, ps := range services {
		if err := addProtoImplementation(ctx, p, ps, modRoot, cfg.FirstRun); err != nil {
			return nil, err
		}
	}
	if cfg.FirstRun {
		main, err := genserver.ProtoMain(name, server, cmdDir, modPath, services)
		if err != nil {
			return nil, err
		}
		p.Files = append(p.Files, &plan.File{Path: path.Join(cmdDir, "main.go"), Content: main, Owner: plan.Once})
	}
	if err := addProtoDeployFiles(p, name, opts.Proto, services, modRoot, deployOptions{cfg.FirstRun, cfg.System, opts.IstioMode()}); err != nil {
		return nil, err
	}
	resolved := opts
	resolved.Name = name
	resolved.Package = ""
	resolved.Transports = transports
	res := &Result{Plan: p, Service: services[0].Svc, Layout: services[0].Layout, Options: resolved,
		Notes: append(loaded.Notes, protoTransportNotes(services)...), Clients: sd.ProtoServiceClients(services)}
	for _, ps := range services {
		if ps.HTTP {
			res.Routes = append(res.Routes, routesOf(ps.Svc)...)
		}
	}
	if cfg.System {
		return res, nil
	}
	addModuleFiles(p, modRoot)
	if err := addConfigFile(p, cfg, modRoot, resolved); err != nil {
		return nil, err
	}
	return res, nil
}

// emitProto runs every emitter of the proto services concurrently and
// returns their files in a stable order.
func emitProto(name string, server gokit.Pkg, services []*gokit.ProtoService) ([]*plan.File, error) {
	type job struct {
		dir, file string
		gen       func() ([]byte, error)
	}
	var jobs []job
	for _, ps := range services {
		l := ps.Layout
		for _, j := range []struct {
			dir, file string
			gen       func(*gokit.ProtoService) ([]byte, error)
		}{
			{l.Service.Dir, "service_gen.go", service.ProtoInterface},
			{l.Service.Dir, "errors_gen.go", service.ProtoErrors},
			{l.Service.Dir, "middleware_gen.go", service.ProtoMiddleware},
			{l.Endpoint.Dir, "endpoint_gen.go", endpoint.ProtoEndpoint},
			{l.Transport.Dir, "http_gen.go", transport.ProtoHTTP},
			{l.Transport.Dir, "grpc_gen.go", transport.ProtoGRPC},
			{l.Transport.Dir, "nats_gen.go", broker.ProtoNATS},
			{l.Transport.Dir, "amqp_gen.go", broker.ProtoAMQP},
		} {
			if !protoEmits(ps, j.file) {
				continue
			}
			jobs = append(jobs, job{j.dir, j.file, func() ([]byte, error) { return j.gen(ps) }})
		}
	}
	jobs = append(jobs, job{server.Dir, "server_gen.go", func() ([]byte, error) { return genserver.ProtoServer(name, server, services) }})
	if slices.ContainsFunc(services, func(ps *gokit.ProtoService) bool { return ps.HTTP }) {
		runtime := services[0].Layout.Transcode
		jobs = append(jobs, job{runtime.Dir, "transcode_gen.go", func() ([]byte, error) { return transport.TranscodeRuntime(runtime) }})
	}
	files := make([]*plan.File, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() {
			content, err := j.gen()
			if err != nil {
				errs[i] = fmt.Errorf("generate %s/%s: %w", j.dir, j.file, err)
				return
			}
			files[i] = &plan.File{Path: path.Join(j.dir, j.file), Content: content, Owner: plan.Generated}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return files, nil
}

// addPBOutputs adds the .pb.go and gRPC glue of every local .proto file,
// each in its Go package, which kitforge then owns for protoc-gen-go's
// marker too (a .pb.go whose .proto is gone is stale).
func addPBOutputs(p *plan.Plan, loaded *protoparse.Result) error {
	outputs, err := loaded.Outputs()
	if err != nil {
		return err
	}
	for _, o := range outputs {
		f := &plan.File{Path: o.Path, Content: o.Content, Owner: plan.Generated}
		if !plan.IsGenerated(o.Content) {
			f.Marker = protocGenGoMarker
		}
		p.Files = append(p.Files, f)
	}
	for _, f := range loaded.Files {
		if slices.Contains(p.Owned, f.Go.Dir) {
			continue
		}
		p.Owned = append(p.Owned, f.Go.Dir)
		if p.Markers == nil {
			p.Markers = map[string][]string{}
		}
		p.Markers[f.Go.Dir] = append(p.Markers[f.Go.Dir], protocGenGoMarker)
	}
	return nil
}

// addProtoImplementation adds a service's service_impl.go: created on the
// first run with a not-implemented stub per rpc, streaming ones included,
// then merged with stubs for new rpcs.
func addProtoImplementation(ctx context.Context, p *plan.Plan, ps *gokit.ProtoService, modRoot string, firstRun bool) error {
	l := ps.Layout
	implPath := path.Join(l.Service.Dir, "service_impl.go")
	// A service added to the .proto later gets its implementation file; one
	// the user deleted from an existing service package stays deleted.
	if !firstRun && !fileExists(filepath.Join(modRoot, filepath.FromSlash(implPath))) &&
		fileExists(filepath.Join(modRoot, filepath.FromSlash(l.Service.Dir))) {
		return nil
	}
	impl, err := service.ProtoImplementation(ps)
	if err != nil {
		return err
	}
	p.Files = append(p.Files, &plan.File{
		Path: implPath, Content: impl, Owner: plan.Scaffold,
		Merge: func(existing []byte) ([]byte, []string, error) {
			stubs, err := service.ProtoStubs(ps)
			if err != nil {
				return nil, nil, err
			}
			methods := make([]merge.Method, len(stubs))
			for i, s := range stubs {
				methods[i] = merge.Method{Name: s.Name, Stub: s.Source, Signature: s.Signature, Imports: s.Imports}
			}
			res, err := merge.Implementation(existing, implPath, gokit.ImplType, methods)
			if err == nil {
				res, err = replaceBrokenBodies(ctx, p, implPath, gokit.ImplType, existing, methods, res)
			}
			if err != nil {
				return nil, nil, err
			}
			return res.Src, res.Notes, nil
		},
	})
	return nil
}

// addConfigFile records the resolved options in kitforge.yaml, so reruns
// need no flags.
func addConfigFile(p *plan.Plan, cfg Config, modRoot string, resolved config.Options) error {
	cfgRel, err := relSlash(modRoot, filepath.Join(cfg.Dir, config.FileName))
	if err != nil {
		return err
	}
	p.Files = append(p.Files, &plan.File{
		Path: cfgRel, Content: resolved.Marshal(), Owner: plan.Scaffold,
		Merge: func(existing []byte) ([]byte, []string, error) {
			old, err := config.Parse(existing, cfgRel)
			if err != nil {
				return nil, nil, err
			}
			if sameOptions(old.WithDefaults(), resolved) {
				return existing, nil, nil
			}
			return resolved.Marshal(), []string{"recorded the new options"}, nil
		},
	})
	return nil
}
