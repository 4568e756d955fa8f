// Package generator turns a service definition into a plan: every file of a
// Go kit service, computed in memory. It writes nothing; the CLI applies,
// diffs or prints the plan.
package generator

import (
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/deps"
	"github.com/kitforge/kitforge/generator/gate"
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/broker"
	"github.com/kitforge/kitforge/generator/gokit/endpoint"
	"github.com/kitforge/kitforge/generator/gokit/sd"
	"github.com/kitforge/kitforge/generator/gokit/server"
	"github.com/kitforge/kitforge/generator/gokit/service"
	"github.com/kitforge/kitforge/generator/gokit/transport"
	"github.com/kitforge/kitforge/generator/goparse"
	"github.com/kitforge/kitforge/generator/merge"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
	"github.com/kitforge/kitforge/generator/protoschema"
	"github.com/kitforge/kitforge/generator/render"
)

// Config says what to generate.
type Config struct {
	// Dir is the directory of kitforge.yaml: options' relative paths start
	// here. It must be inside a Go module.
	Dir string
	// Options are the generation options (from kitforge.yaml and flags).
	Options config.Options
	// FirstRun is true when no kitforge.yaml existed: scaffolded files that
	// are missing are created. On later runs a missing scaffold is one the
	// user deleted, and kitforge respects that.
	FirstRun bool
	// Load, when set, stands in for goparse.Load (Go-interface input): the
	// fuzz tests load in-process (goparse.LoadInMemory) rather than run go
	// list for every input.
	Load func(context.Context, goparse.Config) (*model.Service, error)
	// System is true for a service of a kitforge.yaml that lists services
	// (GenerateModule): its deploy files go under deploy/<name>/ and
	// cmd/<name>/, and the module's own files (go.mod, go.sum,
	// kitforge.yaml, the system files, removed services) are left to
	// GenerateModule.
	System bool
	// NoGoGenerate leaves out kitforge's //go:generate line (generate_gen.go,
	// or the line in a .proto service's server_gen.go): GenerateModule
	// gives one service of a module the line that regenerates them all.
	NoGoGenerate bool
}

// Result is a computed generation: the plan and what it was computed from.
type Result struct {
	Plan    *plan.Plan
	Service *model.Service
	Layout  gokit.Layout
	// Options are the options with every default resolved (name, out).
	Options config.Options
	// Notes are lines for the user about choices kitforge made (.proto
	// input: derived Go packages, rpcs served on gRPC only).
	Notes []string
	// Routes are the service's HTTP routes ("GET /users/{id}").
	Routes []string
	// Clients are the client packages the service offers the services that
	// call it (kitforge.yaml calls:).
	Clients []gokit.CalleeClient
	// Services are the results of every service of a module with a
	// services list (GenerateModule), in the file's order; nil otherwise.
	Services []*Result
}

// cmdDirs are the main packages of the result's services.
func (r *Result) cmdDirs() []string {
	if len(r.Services) == 0 {
		if r.Layout.CmdDir == "" {
			return nil
		}
		return []string{r.Layout.CmdDir}
	}
	var dirs []string
	for _, s := range r.Services {
		dirs = append(dirs, s.cmdDirs()...)
	}
	return dirs
}

// Generate loads the service and computes every file of the plan.
func Generate(ctx context.Context, cfg Config) (*Result, error) {
	opts := cfg.Options.WithDefaults()
	modRoot, modPath, err := findModule(cfg.Dir)
	if err != nil {
		return nil, err
	}
	if len(opts.Proto) > 0 {
		res, err := generateProto(ctx, cfg, opts, modRoot, modPath)
		if err != nil || cfg.System {
			return res, err
		}
		outDir, err := relSlash(modRoot, filepath.Join(cfg.Dir, res.Options.Out))
		if err != nil {
			return nil, err
		}
		addRemovedProtoServices(res.Plan, outDir)
		addMovedPBDirs(res.Plan, cfg.Dir)
		return res, nil
	}
	load := goparse.Load
	if cfg.Load != nil {
		load = cfg.Load
	}
	svc, err := load(ctx, goparse.Config{
		Dir: cfg.Dir, Pattern: opts.Package, Interface: opts.Interface, Name: opts.Name,
		GeneratedNames: serviceNames(), Exports: gate.ExportFiles,
	})
	if err != nil {
		return nil, err
	}
	if err := checkRoutes(svc); err != nil {
		return nil, err
	}
	svcDir, err := relSlash(modRoot, svc.Dir)
	if err != nil {
		return nil, err
	}
	outDir := path.Dir(svcDir)
	if opts.Out != "" {
		abs := filepath.Join(cfg.Dir, opts.Out)
		if outDir, err = relSlash(modRoot, abs); err != nil {
			return nil, err
		}
	}
	if svcDir == "." {
		outDir = "."
	}
	layout := gokit.NewLayout(modPath, svc.Name, gokit.Pkg{Path: svc.Interface.ImportPath, Name: svc.PackageName, Dir: svcDir}, outDir)
	layout.GRPC = opts.Has("grpc")
	layout.NATS = opts.Has("nats")
	layout.AMQP = opts.Has("amqp")
	layout.Middleware = opts.Middleware
	layout.Imports = gokit.ImportNames(svc.PackageNames)
	layout.Discovery = opts.Discovery
	layout.Names = gokit.ResolveServiceNames(svc)
	emitters, err := withGoGenerate(layout, cfg.NoGoGenerate, []string{svc.Dir, cfg.Dir}, withMiddleware(layout, withAMQP(layout, withNATS(layout, []emitter{
		{layout.Service.Dir, "errors_gen.go", service.Errors},
		{layout.Service.Dir, "middleware_gen.go", service.Middleware},
		{layout.Endpoint.Dir, "endpoint_gen.go", endpoint.Endpoint},
		{layout.Transport.Dir, "http_gen.go", transport.HTTP},
		{layout.Transport.Dir, "http_gen_test.go", transport.HTTPTest},
		{layout.Transport.Dir, "openapi_gen.go", transport.OpenAPI},
		{layout.Server.Dir, "server_gen.go", server.Server},
	}))))
	if err != nil {
		return nil, err
	}
	discovery := startDiscovery(svc, layout)
	grpc := startGRPC(ctx, svc, layout, modRoot)

	p := &plan.Plan{Root: modRoot}
	files, err := emitAll(svc, layout, emitters)
	if gerr := grpc.wait(); gerr != nil {
		return nil, gerr
	}
	if err != nil {
		return nil, err
	}
	p.Files = append(p.Files, files...)
	p.Owned = []string{layout.Service.Dir, layout.Endpoint.Dir, layout.Transport.Dir, layout.Server.Dir}
	grpc.addTo(p)
	if err := discovery.addTo(p); err != nil {
		return nil, err
	}

	if err := addScaffolds(ctx, p, svc, layout, grpc.samples, modRoot, deployOptions{cfg.FirstRun, cfg.System, opts.IstioMode()}); err != nil {
		return nil, err
	}
	resolved := opts
	resolved.Name = svc.Name
	resolved.Interface = svc.Interface.Name
	res := &Result{Plan: p, Service: svc, Layout: layout, Options: resolved, Notes: layout.Names.Notes, Clients: sd.ServiceClients(svc, layout), Routes: routesOf(svc)}
	if cfg.System {
		return res, nil
	}
	addModuleFiles(p, modRoot)

	// kitforge.yaml records the resolved options so reruns need no flags.
	cfgRel, err := relSlash(modRoot, filepath.Join(cfg.Dir, config.FileName))
	if err != nil {
		return nil, err
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
	return res, nil
}

// withNATS adds the NATS transport's file when that transport is on.
func withNATS(l gokit.Layout, emitters []emitter) []emitter {
	if !l.NATS {
		return emitters
	}
	return append(emitters, emitter{l.Transport.Dir, "nats_gen.go", broker.NATS})
}

// withAMQP adds the AMQP transport's file when that transport is on.
func withAMQP(l gokit.Layout, emitters []emitter) []emitter {
	if !l.AMQP {
		return emitters
	}
	return append(emitters, emitter{l.Transport.Dir, "amqp_gen.go", broker.AMQP})
}

// emitter produces one generated file.
type emitter struct {
	dir, name string
	gen       func(*model.Service, gokit.Layout) ([]byte, error)
}

// emitAll runs the emitters concurrently (they are pure and independent;
// formatting dominates generation time) and returns their files in order.
func emitAll(svc *model.Service, l gokit.Layout, emitters []emitter) ([]*plan.File, error) {
	files := make([]*plan.File, len(emitters))
	errs := make([]error, len(emitters))
	var wg sync.WaitGroup
	for i, e := range emitters {
		wg.Go(func() {
			content, err := e.gen(svc, l)
			if err != nil {
				errs[i] = fmt.Errorf("generate %s/%s: %w", e.dir, e.name, err)
				return
			}
			files[i] = &plan.File{Path: path.Join(e.dir, e.name), Content: content, Owner: plan.Generated}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return files, nil
}

// addScaffolds adds the user-owned files: the implementation (merged with
// new stubs on every run) and main.go (created once).
func addScaffolds(ctx context.Context, p *plan.Plan, svc *model.Service, l gokit.Layout, grpcSamples map[string]string, modRoot string, d deployOptions) error {
	firstRun := d.firstRun
	implPath := path.Join(l.Service.Dir, "service_impl.go")
	implExists := fileExists(filepath.Join(modRoot, filepath.FromSlash(implPath)))
	if implExists || firstRun {
		impl, err := service.Implementation(svc, l)
		if err != nil {
			return err
		}
		p.Files = append(p.Files, &plan.File{
			Path: implPath, Content: impl, Owner: plan.Scaffold,
			Merge: func(existing []byte) ([]byte, []string, error) {
				stubs, err := service.Stubs(svc, l)
				if err != nil {
					return nil, nil, err
				}
				methods := make([]merge.Method, len(stubs))
				for i, s := range stubs {
					methods[i] = merge.Method{Name: s.Name, Stub: s.Source, Signature: s.Signature, Imports: s.Imports}
				}
				implType := l.Names.Name(gokit.ImplType)
				res, err := merge.Implementation(existing, implPath, implType, methods)
				if err == nil {
					res, err = replaceBrokenBodies(ctx, p, implPath, implType, existing, methods, res)
				}
				if err != nil {
					return nil, nil, err
				}
				return res.Src, res.Notes, nil
			},
		})
	}
	if firstRun {
		main, err := server.Main(svc, l)
		if err != nil {
			return err
		}
		p.Files = append(p.Files, &plan.File{Path: path.Join(l.CmdDir, "main.go"), Content: main, Owner: plan.Once})
	}
	return addDeployFiles(p, svc, l, grpcSamples, modRoot, d)
}

// deployOptions say which deploy files a service gets and where.
type deployOptions struct {
	// firstRun creates the scaffolded files (see Config.FirstRun); system
	// places them as for one service of several (render.Options.System).
	firstRun, system bool
	// istio is the mTLS mode of the Istio resources, "" for none.
	istio string
}

// deployFile plans one rendered deploy file: created on the first run and
// kept if it exists; Istio resources are created whenever the option asks
// for them (it may be turned on after the first run).
func deployFile(p *plan.Plan, f render.File, modRoot string, d deployOptions) {
	if d.firstRun || fileExists(filepath.Join(modRoot, filepath.FromSlash(f.Path))) || render.IsIstio(f.Path) {
		p.Files = append(p.Files, &plan.File{Path: f.Path, Content: f.Content, Owner: plan.Once})
	}
}

// addDeployFiles adds the Dockerfile, Kubernetes manifests, docker-compose,
// Makefile and README: created on the first run, then the user's. Only the
// README's endpoint table is kept in step with the interface.
func addDeployFiles(p *plan.Plan, svc *model.Service, l gokit.Layout, grpcSamples map[string]string, modRoot string, d deployOptions) error {
	opts := render.Options{Module: l.Module, CmdDir: l.CmdDir, ServiceDir: l.Service.Dir, GoVersion: "1.26", System: d.system, Istio: d.istio}
	if l.GRPC {
		opts.GRPCService = protoschema.ServiceFullName(svc, protoschema.DefaultPackage(svc))
		opts.GRPCSamples = grpcSamples
	}
	view := render.NewView(svc, opts)
	files, err := render.Files(view)
	if err != nil {
		return err
	}
	for _, f := range files {
		if path.Base(f.Path) == "README.md" {
			table := view.EndpointTable
			p.Files = append(p.Files, &plan.File{Path: f.Path, Content: f.Content, Owner: plan.Scaffold,
				Merge: func(existing []byte) ([]byte, []string, error) {
					out := render.UpdateReadme(existing, table)
					var notes []string
					if string(out) != string(existing) {
						notes = append(notes, "updated the endpoint table")
					}
					return out, notes, nil
				}})
			continue
		}
		deployFile(p, f, modRoot, d)
	}
	return nil
}

// addModuleFiles makes go.mod and go.sum require what the planned Go files
// import, and nothing more (deps.Edit): every change is a note of the merge.
// It runs after every Go file is planned.
func addModuleFiles(p *plan.Plan, modRoot string) {
	needs := deps.NeedsOf(plannedImports(p))
	sums := deps.SumLines(needs)
	p.Files = append(p.Files,
		&plan.File{Path: "go.mod", Owner: plan.Scaffold, Merge: func(existing []byte) ([]byte, []string, error) {
			res, err := deps.Edit(existing, filepath.Join(modRoot, "go.mod"), needs)
			if err != nil {
				return nil, nil, err
			}
			if err := deps.CheckWorkspace(modRoot, res); err != nil {
				return nil, nil, err
			}
			if err := deps.CheckVendor(modRoot, res, needs); err != nil {
				return nil, nil, err
			}
			notes := make([]string, len(res.Changes))
			for i, c := range res.Changes {
				notes[i] = c.String()
			}
			return res.GoMod, notes, nil
		}},
		&plan.File{Path: "go.sum", Content: deps.EditSum(nil, sums), Owner: plan.Scaffold, Merge: func(existing []byte) ([]byte, []string, error) {
			return deps.EditSum(existing, sums), nil, nil
		}},
	)
}

// plannedImports returns the import paths of every planned Go file, sorted.
func plannedImports(p *plan.Plan) []string {
	seen := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range p.Files {
		if !strings.HasSuffix(f.Path, ".go") {
			continue
		}
		af, err := parser.ParseFile(fset, f.Path, f.Content, parser.ImportsOnly)
		if err != nil {
			continue // not Go kitforge wrote; the build reports it
		}
		for _, imp := range af.Imports {
			if path, err := strconv.Unquote(imp.Path.Value); err == nil {
				seen[path] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// findModule returns the root directory and module path of the module that
// contains dir.
func findModule(dir string) (root, modPath string, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			mp := modfile.ModulePath(data)
			if mp == "" {
				return "", "", model.Errorf(model.Pos{File: filepath.Join(d, "go.mod"), Line: 1, Col: 1}, "add a module line, e.g. \"module example.com/calc\"", "go.mod has no module path")
			}
			return d, mp, nil
		}
		if filepath.Dir(d) == d {
			return "", "", &model.Error{Msg: fmt.Sprintf("%s is not inside a Go module", abs), Hint: "run `go mod init MODULE` first, or use `kitforge new` to start a service"}
		}
	}
}

// relSlash returns target relative to root, slash-separated; it fails when
// target is outside root.
func relSlash(root, target string) (string, error) {
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", &model.Error{Msg: fmt.Sprintf("%s is outside the module at %s", target, root), Hint: "keep the service and the generated packages inside one module"}
	}
	return filepath.ToSlash(rel), nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func sameOptions(a, b config.Options) bool {
	return string(a.Marshal()) == string(b.Marshal())
}
