package generator

import (
	"path"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/plan"
)

// addProtoDiscovery adds the discovery files of proto services: per service
// its <svc>client package (a load-balancing gRPC client, generated with or
// without a registry, as a Go-interface service's), and, with a registry,
// the server's registry_gen.go, which registers the one server every
// client looks up by name.
func addProtoDiscovery(p *plan.Plan, name string, server gokit.Pkg, services []*gokit.ProtoService) error {
	type job struct {
		dir, file string
		gen       func() ([]byte, error)
	}
	var jobs []job
	for _, ps := range services {
		dir := ps.Layout.Client.Dir
		p.Owned = append(p.Owned, dir)
		if !gokit.HasProtoClient(ps) {
			continue
		}
		jobs = append(jobs,
			job{dir, "client_gen.go", func() ([]byte, error) { return gokit.ProtoClient(name, ps) }},
			job{dir, "sd_gen.go", func() ([]byte, error) { return gokit.ProtoSDClient(name, ps) }},
		)
	}
	if len(services) > 0 && gokit.HasRegistry(services[0].Layout) {
		jobs = append(jobs, job{server.Dir, "registry_gen.go", func() ([]byte, error) { return gokit.ProtoRegistry(name, server, services) }})
	}
	for _, j := range jobs {
		content, err := j.gen()
		if err != nil {
			return err
		}
		p.Files = append(p.Files, &plan.File{Path: path.Join(j.dir, j.file), Content: content, Owner: plan.Generated})
	}
	return nil
}
