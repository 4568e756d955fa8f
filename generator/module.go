package generator

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/sd"
	"github.com/kitforge/kitforge/generator/gokit/server"
	"github.com/kitforge/kitforge/generator/gokit/service"
	"github.com/kitforge/kitforge/generator/gokit/transport"
	"github.com/kitforge/kitforge/generator/goparse"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
)

// ModuleConfig says what to generate: the services of one kitforge.yaml.
type ModuleConfig struct {
	// Dir is the directory of kitforge.yaml.
	Dir    string
	Module config.Module
	// Only names the services whose own files are planned (generate
	// --service); empty means all. Every service is results all the same, and
	// the files that span services are planned: the system files and the
	// callers' clients describe them all.
	Only []string
	// New names the services generated for the first time (kitforge add):
	// their scaffolds are created.
	New []string
	// FirstRun is true when no kitforge.yaml existed (see Config.FirstRun).
	FirstRun bool
	// Load stands in for goparse.Load (see Config.Load).
	Load func(context.Context, goparse.Config) (*model.Service, error)
}

// GenerateModule computes the plan of every service of a kitforge.yaml. A
// file of one service's options is Generate's; a services list gives each
// service its own packages, cmd/<name> and deploy/<name>/, and the module
// the files that span services: go.mod and go.sum, kitforge.yaml, the
// clients a service uses to call others (<caller>server/calls_gen.go), the
// system's docker-compose.yaml, Kubernetes kustomization and README.
func GenerateModule(ctx context.Context, mc ModuleConfig) (*Result, error) {
	if !mc.Module.List {
		o := mc.Module.Services[0]
		return Generate(ctx, Config{Dir: mc.Dir, Options: o, FirstRun: mc.FirstRun || slices.Contains(mc.New, o.Name), Load: mc.Load})
	}
	modRoot, _, err := findModule(mc.Dir)
	if err != nil {
		return nil, err
	}
	carrier, err := goGenerateCarrier(mc)
	if err != nil {
		return nil, err
	}
	results := make([]*Result, len(mc.Module.Services))
	for i, o := range mc.Module.Services {
		// One at a time: each load runs go list, which uses every core.
		cfg := Config{Dir: mc.Dir, Options: o, FirstRun: slices.Contains(mc.New, o.Name), System: true, NoGoGenerate: i != carrier, Load: mc.Load}
		res, err := Generate(ctx, cfg)
		if err == nil && !cfg.FirstRun && !generatedBefore(res, modRoot) {
			// A service listed by hand and never generated gets its
			// scaffolds, as kitforge add would have written them.
			cfg.FirstRun = true
			mc.New = append(slices.Clone(mc.New), o.Name)
			res, err = Generate(ctx, cfg)
		}
		if err != nil {
			return nil, err
		}
		results[i] = res
	}
	if err := checkDistinctPackages(results, mc.Dir); err != nil {
		return nil, err
	}
	var notes []string
	for _, res := range results {
		n, err := addCalls(res, res.Options, results, slices.Contains(mc.New, res.Options.Name))
		if err != nil {
			return nil, err
		}
		notes = append(notes, n...)
	}

	p := &plan.Plan{Root: modRoot}
	for _, res := range results {
		if len(mc.Only) > 0 && !slices.Contains(mc.Only, res.Options.Name) {
			continue
		}
		if err := mergePlan(p, res.Plan); err != nil {
			return nil, err
		}
		notes = append(notes, res.Notes...)
	}
	if err := addSystemFiles(p, results, modRoot); err != nil {
		return nil, err
	}
	if len(mc.Only) == 0 {
		// What is gone is found by what the listed services own; with
		// some of them left out, that would be mistaken for gone.
		addRemovedServices(p, results, mc.Dir)
		if err := addRemovedProtoParts(p, results, mc.Dir, modRoot); err != nil {
			return nil, err
		}
	}
	addModuleFiles(p, modRoot)

	resolved := config.Module{List: true}
	for _, res := range results {
		resolved.Services = append(resolved.Services, res.Options)
	}
	if err := addModuleConfigFile(p, mc.Dir, modRoot, resolved); err != nil {
		return nil, err
	}
	first := results[0]
	return &Result{Plan: p, Service: first.Service, Layout: first.Layout, Options: first.Options, Notes: notes, Services: results}, nil
}

// goGenerateCarrier is the index of the service whose package gets the
// //go:generate line that regenerates the whole module: the first, unless a
// Go file of the user's in a service's package or beside kitforge.yaml
// already runs kitforge (-1: none does).
func goGenerateCarrier(mc ModuleConfig) (int, error) {
	dirs := []string{mc.Dir}
	for _, o := range mc.Module.Services {
		if strings.HasPrefix(o.Package, "./") || o.Package == "." {
			dirs = append(dirs, filepath.Join(mc.Dir, filepath.FromSlash(o.Package)))
		}
	}
	has, err := userRunsKitforge(dirs)
	if err != nil || has {
		return -1, err
	}
	return 0, nil
}

// addRemovedProtoParts does for the .proto entries of a services list
// what Generate does for a module's only .proto entry: the services gone
// from a .proto lose their generated packages (their implementation is
// kept out of the build), and .pb.go files whose go_package moved are
// deleted from their old directory.
func addRemovedProtoParts(p *plan.Plan, results []*Result, dir, modRoot string) error {
	var outDirs []string
	for _, res := range results {
		if len(res.Options.Proto) == 0 {
			continue
		}
		out, err := relSlash(modRoot, filepath.Join(dir, res.Options.Out))
		if err != nil {
			return err
		}
		if !slices.Contains(outDirs, out) {
			outDirs = append(outDirs, out)
		}
	}
	for _, out := range outDirs {
		addRemovedProtoServices(p, out)
	}
	if len(outDirs) > 0 {
		addMovedPBDirs(p, dir)
	}
	return nil
}

// generatedBefore reports whether res's service was generated before: its
// server package's server_gen.go is on disk.
func generatedBefore(res *Result, modRoot string) bool {
	return fileExists(filepath.Join(modRoot, filepath.FromSlash(res.Layout.Server.Dir), "server_gen.go"))
}

// checkDistinctPackages refuses two services whose generated packages or
// main packages would be the same directories.
func checkDistinctPackages(results []*Result, dir string) error {
	owner := map[string]string{}
	for _, res := range results {
		dirs := append([]string{res.Layout.CmdDir}, res.Plan.Owned...)
		for _, d := range dirs {
			if other, ok := owner[d]; ok && other != res.Options.Name {
				return model.Errorf(model.Pos{File: filepath.Join(dir, config.FileName)}, "give one of them another name (name:) or out directory (out:)",
					"services %s and %s would both generate into %s", other, res.Options.Name, d)
			}
			owner[d] = res.Options.Name
		}
	}
	return nil
}

// mergePlan adds src's files and owned directories to p. A file both plan
// (the shared transcoding runtime, a .pb.go of an imported .proto) must be
// the same in both.
func mergePlan(p, src *plan.Plan) error {
	have := map[string]*plan.File{}
	for _, f := range p.Files {
		have[f.Path] = f
	}
	for _, f := range src.Files {
		if prev, ok := have[f.Path]; ok {
			if !bytes.Equal(prev.Content, f.Content) || prev.Owner != f.Owner {
				return &model.Error{Msg: fmt.Sprintf("two services generate %s, differently", f.Path),
					Hint: "give the services distinct out directories (out:) in kitforge.yaml"}
			}
			continue
		}
		have[f.Path] = f
		p.Files = append(p.Files, f)
	}
	for _, d := range src.Owned {
		if !slices.Contains(p.Owned, d) {
			p.Owned = append(p.Owned, d)
		}
	}
	for marker, dirs := range src.Markers {
		if p.Markers == nil {
			p.Markers = map[string][]string{}
		}
		for _, d := range dirs {
			if !slices.Contains(p.Markers[marker], d) {
				p.Markers[marker] = append(p.Markers[marker], d)
			}
		}
	}
	return nil
}

// addCalls adds a caller's calls_gen.go (the clients of the services it
// calls) to its plan and, for a service generated for the first time from a
// Go interface, a New that takes the clients and a main.go that dials
// them. It returns notes for what the user wires by hand.
func addCalls(res *Result, o config.Options, all []*Result, first bool) ([]string, error) {
	if len(o.Calls) == 0 {
		return nil, nil
	}
	l := res.Layout
	for _, name := range o.Calls {
		i := slices.IndexFunc(all, func(r *Result) bool { return r.Options.Name == name })
		callee := all[i]
		if len(callee.Clients) == 0 {
			return nil, &model.Error{Msg: fmt.Sprintf("%s calls %s, which has no generated client", o.Name, name),
				Hint: "a .proto service's client is over gRPC: add grpc to " + name + "'s transports"}
		}
		clients := slices.Clone(callee.Clients)
		for i := range clients {
			clients[i].ConstructorArgs = calleeClientCount(callee.Options.Calls, all)
		}
		l.Calls = append(l.Calls, gokit.Callee{Name: name, Discovery: callee.Options.Discovery, Clients: clients})
	}
	content, err := sd.Calls(o.Name, l)
	if err != nil {
		return nil, fmt.Errorf("generate %s/calls_gen.go: %w", l.Server.Dir, err)
	}
	res.Plan.Files = append(res.Plan.Files, &plan.File{Path: path.Join(l.Server.Dir, "calls_gen.go"), Content: content, Owner: plan.Generated})
	if res.Service.Source == model.SourceGo {
		// The round-trip test builds the service with New, which takes
		// the callees.
		test, err := transport.HTTPTest(res.Service, l)
		if err != nil {
			return nil, err
		}
		replaceContent(res.Plan, path.Join(l.Transport.Dir, "http_gen_test.go"), test)
	}
	if !first {
		return nil, nil
	}
	if res.Service.Source != model.SourceGo {
		return []string{o.Name + ": pass the clients of " + fmt.Sprint(o.Calls) + " to your services in " + l.CmdDir + "/main.go: " + l.Server.Name + ".DefaultCallsConfig(), Register, Dial"}, nil
	}
	impl, err := service.Implementation(res.Service, l)
	if err != nil {
		return nil, err
	}
	main, err := server.Main(res.Service, l)
	if err != nil {
		return nil, err
	}
	replaceContent(res.Plan, path.Join(l.Service.Dir, "service_impl.go"), impl)
	replaceContent(res.Plan, path.Join(l.CmdDir, "main.go"), main)
	return nil, nil
}

// replaceContent sets the content of the planned file rel.
func replaceContent(p *plan.Plan, rel string, content []byte) {
	for _, f := range p.Files {
		if f.Path == rel {
			f.Content = content
		}
	}
}

// calleeClientCount is the number of clients the services calls names
// offer: the parameters of a constructor that takes them.
func calleeClientCount(calls []string, all []*Result) int {
	n := 0
	for _, name := range calls {
		if i := slices.IndexFunc(all, func(r *Result) bool { return r.Options.Name == name }); i >= 0 {
			n += len(all[i].Clients)
		}
	}
	return n
}

// addModuleConfigFile records the module's resolved options in
// kitforge.yaml, so reruns need no flags.
func addModuleConfigFile(p *plan.Plan, dir, modRoot string, resolved config.Module) error {
	cfgRel, err := relSlash(modRoot, filepath.Join(dir, config.FileName))
	if err != nil {
		return err
	}
	content := resolved.Marshal()
	p.Files = append(p.Files, &plan.File{
		Path: cfgRel, Content: content, Owner: plan.Scaffold,
		Merge: func(existing []byte) ([]byte, []string, error) {
			old, err := config.ParseModule(existing, cfgRel)
			if err != nil {
				return nil, nil, err
			}
			if sameModule(old, resolved) {
				return existing, nil, nil
			}
			return content, []string{"recorded the new options"}, nil
		},
	})
	return nil
}

// sameModule reports whether two files describe the same services with the
// same options, defaults resolved.
func sameModule(a, b config.Module) bool {
	if a.List != b.List || len(a.Services) != len(b.Services) {
		return false
	}
	for i := range a.Services {
		if !sameOptions(a.Services[i].WithDefaults(), b.Services[i].WithDefaults()) {
			return false
		}
	}
	return true
}
