package generator

import (
	"path"
	"slices"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/middleware"
	"github.com/kitforge/kitforge/generator/gokit/sd"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
)

// protoJob is a generated file of proto services: its directory, name and
// emitter.
type protoJob struct {
	dir, file string
	gen       func() ([]byte, error)
}

// addProtoJobs runs jobs and adds their files to p.
func addProtoJobs(p *plan.Plan, jobs []protoJob) error {
	for _, j := range jobs {
		content, err := j.gen()
		if err != nil {
			return err
		}
		p.Files = append(p.Files, &plan.File{Path: path.Join(j.dir, j.file), Content: content, Owner: plan.Generated})
	}
	return nil
}

// addProtoDiscovery adds the discovery files of proto services: per service
// its <svc>client package (a load-balancing gRPC client, generated with or
// without a registry, as a Go-interface service's), and, with a registry,
// the server's registry_gen.go, which registers the one server every
// client looks up by name.
func addProtoDiscovery(p *plan.Plan, name string, server gokit.Pkg, services []*gokit.ProtoService) error {
	var jobs []protoJob
	for _, ps := range services {
		dir := ps.Layout.Client.Dir
		p.Owned = append(p.Owned, dir)
		if !sd.HasProtoClient(ps) {
			continue
		}
		jobs = append(jobs,
			protoJob{dir, "client_gen.go", func() ([]byte, error) { return sd.ProtoClient(name, ps) }},
			protoJob{dir, "sd_gen.go", func() ([]byte, error) { return sd.ProtoSDClient(name, ps) }},
		)
	}
	if len(services) > 0 && sd.HasRegistry(services[0].Layout) {
		jobs = append(jobs, protoJob{server.Dir, "registry_gen.go", func() ([]byte, error) { return sd.ProtoRegistry(name, server, services) }})
	}
	return addProtoJobs(p, jobs)
}

// addProtoMiddleware adds the files of the endpoint middlewares of
// kitforge.yaml to proto services: per service the middlewares and the
// transport options they need, and the server's wiring of both.
func addProtoMiddleware(p *plan.Plan, name string, server gokit.Pkg, services []*gokit.ProtoService) error {
	if !middleware.HasProtoMiddleware(services) {
		return nil
	}
	if err := checkStreamsUnprotected(services); err != nil {
		return err
	}
	var jobs []protoJob
	for _, ps := range services {
		l := ps.Layout
		jobs = append(jobs, protoJob{l.Endpoint.Dir, "middleware_gen.go", func() ([]byte, error) { return middleware.ProtoEndpointMiddleware(name, ps) }})
		if middleware.NeedsTransportMiddleware(l) {
			jobs = append(jobs, protoJob{l.Transport.Dir, "middleware_gen.go", func() ([]byte, error) { return middleware.ProtoTransportMiddleware(ps) }})
		}
	}
	jobs = append(jobs, protoJob{server.Dir, "middleware_gen.go", func() ([]byte, error) { return middleware.ProtoServerMiddleware(name, server, services) }})
	return addProtoJobs(p, jobs)
}

// checkStreamsUnprotected refuses jwt and basicauth for proto services with
// streaming rpcs: the endpoint middlewares guard the unary rpcs only, and a
// server must never serve an rpc unprotected by accident.
func checkStreamsUnprotected(services []*gokit.ProtoService) error {
	mw := services[0].Layout.Middleware
	if !slices.Contains(mw, "jwt") && !slices.Contains(mw, "basicauth") {
		return nil
	}
	for _, ps := range services {
		for _, m := range ps.Svc.Methods {
			if m.IsStreaming() {
				return &model.Error{Pos: m.Pos,
					Msg:  "rpc " + ps.Svc.GoName + "." + m.Name + " streams: jwt and basicauth guard the unary rpcs only (their endpoints), so it would be served unauthenticated",
					Hint: "remove jwt and basicauth from middleware, or move the streaming rpcs to a server without them"}
			}
		}
	}
	return nil
}
