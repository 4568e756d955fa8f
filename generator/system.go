package generator

import (
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
	"github.com/kitforge/kitforge/generator/render"
)

// addSystemFiles adds the files of a module with several services: a
// docker-compose.yaml running them all, deploy/kustomization.yaml of all
// their manifests, a README of the system (services, routes, who calls
// whom) and a Makefile. They are scaffolded once, then the user's; the
// parts between kitforge's markers are kept in step with kitforge.yaml.
func addSystemFiles(p *plan.Plan, results []*Result, modRoot string) error {
	exists := func(rel string) bool {
		return slices.ContainsFunc(p.Files, func(f *plan.File) bool { return f.Path == rel }) ||
			fileExists(filepath.Join(modRoot, filepath.FromSlash(rel)))
	}
	services := make([]render.SystemService, len(results))
	for i, res := range results {
		services[i] = systemService(res, results, exists)
	}
	compose := render.ComposeServices(services)
	resources := render.KustomizationResources(services)
	table := render.SystemTable(services)
	p.Files = append(p.Files,
		regionFile(render.ComposeFile, render.Compose(services), render.ComposeMarkers, compose, "updated the services"),
		regionFile(render.KustomizationFile, render.Kustomization(services), render.ResourcesMarkers, resources, "updated the resources"),
		&plan.File{Path: "README.md", Content: render.SystemReadme(results[0].Layout.Module, services), Owner: plan.Scaffold,
			Merge: func(existing []byte) ([]byte, []string, error) {
				out := render.UpdateSystemReadme(existing, table)
				if string(out) == string(existing) {
					return existing, nil, nil
				}
				return out, []string{"updated the services of the system"}, nil
			}},
	)
	if !fileExists(filepath.Join(modRoot, "Makefile")) {
		p.Files = append(p.Files, &plan.File{Path: "Makefile", Content: render.SystemMakefile(), Owner: plan.Once})
	}
	return nil
}

// regionFile is a scaffolded system file whose region between markers
// kitforge keeps equal to region; a file without the markers is the user's.
func regionFile(rel string, content []byte, markers [2]string, region, note string) *plan.File {
	return &plan.File{Path: rel, Content: content, Owner: plan.Scaffold,
		Merge: func(existing []byte) ([]byte, []string, error) {
			out, ok := render.UpdateRegion(existing, markers[0], markers[1], region)
			if !ok || string(out) == string(existing) {
				return existing, nil, nil
			}
			return out, []string{note}, nil
		}}
}

// systemService describes res for the system files. A service that had the
// module to itself keeps its files at the root (Dockerfile, deploy/k8s/);
// one added later has them under deploy/<name>/.
func systemService(res *Result, all []*Result, exists func(string) bool) render.SystemService {
	name := res.Options.Name
	s := render.SystemService{Name: name, CmdDir: res.Layout.CmdDir, GRPC: res.Options.Has("grpc"), Discovery: res.Options.Discovery,
		Dockerfile: "deploy/" + name + "/Dockerfile"}
	if !exists(s.Dockerfile) && exists("Dockerfile") {
		s.Dockerfile = "Dockerfile"
	}
	for _, kind := range []struct {
		dir   string
		files []string
	}{
		{"k8s", []string{"deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml"}},
		{"istio", []string{"destinationrule.yaml", "virtualservice.yaml", "peerauthentication.yaml"}},
	} {
		for _, m := range kind.files {
			switch {
			case exists(path.Join("deploy", name, kind.dir, m)):
				s.K8sFiles = append(s.K8sFiles, path.Join(name, kind.dir, m))
			case s.Dockerfile == "Dockerfile" && exists(path.Join("deploy", kind.dir, m)):
				s.K8sFiles = append(s.K8sFiles, path.Join(kind.dir, m))
			}
		}
	}
	for _, c := range res.Options.Calls {
		i := slices.IndexFunc(all, func(r *Result) bool { return r.Options.Name == c })
		callee := all[i]
		s.Calls = append(s.Calls, render.SystemCall{Name: c, Discovery: callee.Options.Discovery, GRPC: callee.Service.Source != model.SourceGo})
	}
	s.Routes = res.Routes
	return s
}

// routesOf lists the HTTP routes of services, "GET /users/{id}".
func routesOf(services ...*model.Service) []string {
	var out []string
	for _, svc := range services {
		for _, m := range svc.Methods {
			for _, h := range m.HTTP {
				out = append(out, strings.TrimSpace(h.Verb+" "+h.Path))
			}
		}
	}
	return out
}
