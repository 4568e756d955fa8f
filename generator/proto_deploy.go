package generator

import (
	"fmt"
	"path"
	"strings"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
	"github.com/kitforge/kitforge/generator/render"
)

// addProtoDeployFiles adds the Dockerfile, Kubernetes manifests,
// docker-compose and Makefile (with the gRPC port) and a README written for
// .proto services: created on the first run, then the user's; only the
// README's endpoint table is kept in step with the .proto files.
func addProtoDeployFiles(p *plan.Plan, name string, protos []string, services []*gokit.ProtoService, modRoot string, d deployOptions) error {
	first := *services[0].Svc
	first.Name = name
	l := services[0].Layout
	grpcService := ""
	if l.GRPC {
		grpcService = services[0].FullName
	}
	view := render.NewView(&first, render.Options{
		Module: l.Module, CmdDir: l.CmdDir, ServiceDir: l.Service.Dir, GoVersion: "1.26", GRPCService: grpcService, System: d.system, Istio: d.istio,
	})
	view.EndpointTable = protoEndpointTable(services)
	files, err := render.Files(view)
	if err != nil {
		return err
	}
	for _, f := range files {
		if path.Base(f.Path) == "README.md" {
			table := view.EndpointTable
			p.Files = append(p.Files, &plan.File{Path: f.Path, Content: protoReadme(view, protos, services), Owner: plan.Scaffold,
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

// protoEndpointTable lists every rpc with, per transport, its HTTP routes,
// its gRPC name, its NATS subject and its AMQP queue (the same name).
func protoEndpointTable(services []*gokit.ProtoService) string {
	httpOn, l := services[0].HTTP, services[0].Layout
	var b strings.Builder
	b.WriteString("| rpc |")
	for _, c := range []struct {
		on   bool
		name string
	}{{httpOn, "HTTP"}, {l.GRPC, "gRPC"}, {l.NATS, "NATS"}, {l.AMQP, "AMQP"}} {
		if c.on {
			b.WriteString(" " + c.name + " |")
		}
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", strings.Count(b.String(), "|")-2) + "\n")
	for _, ps := range services {
		for i, m := range ps.Svc.Methods {
			fmt.Fprintf(&b, "| %s.%s |", ps.Svc.GoName, m.Name)
			if httpOn {
				var routes []string
				for _, h := range m.HTTP {
					routes = append(routes, "`"+h.Verb+" "+h.Path+"`")
				}
				switch {
				case m.Kind != model.Unary && len(routes) == 0:
					routes = []string{"gRPC only (streaming)"}
				case m.Kind == model.ServerStream:
					routes[len(routes)-1] += " (newline-delimited JSON, or Server-Sent Events)"
				case m.Kind == model.ClientStream:
					routes[len(routes)-1] += " (one message per line of the body)"
				}
				fmt.Fprintf(&b, " %s |", strings.Join(routes, ", "))
			}
			if l.GRPC {
				fmt.Fprintf(&b, " `%s/%s` |", ps.FullName, ps.Methods[i].ProtoName)
			}
			for _, on := range []bool{l.NATS, l.AMQP} {
				if !on {
					continue
				}
				subject := "`" + ps.FullName + "." + m.Name + "`"
				if m.Kind != model.Unary {
					subject = "not carried (streaming)"
				}
				fmt.Fprintf(&b, " %s |", subject)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString(protoExamples(services))
	return b.String()
}

// shutdownReadme is the README's paragraph on graceful shutdown (as in
// templates/README.md.tmpl).
const shutdownReadme = "On SIGTERM the server fails `GET /readyz` (and reports gRPC health `NOT_SERVING`) at once,\n" +
	"keeps serving for `-shutdown-delay` (`SHUTDOWN_DELAY`, default 0; the Kubernetes Deployment\n" +
	"sets 5s so that endpoints stop routing to the pod first), then every transport stops accepting\n" +
	"and drains its calls in flight in parallel, all within one `-shutdown-timeout` (`SHUTDOWN_TIMEOUT`,\n" +
	"default 15s). Keep `terminationGracePeriodSeconds` above delay + timeout (the Deployment: 25).\n\n"

// hooksReadme is the README's section on Run's options (as in
// templates/README.md.tmpl); %[1]s is the server package.
const hooksReadme = `## Hooks

` + "`" + `main.go` + "`" + ` is yours (kitforge writes it once): pass options to ` + "`" + `%[1]s.Run` + "`" + ` there and they
survive regeneration. ` + "`" + `WithHTTPMiddleware` + "`" + `, ` + "`" + `WithHTTPRoute` + "`" + `, ` + "`" + `WithEndpointMiddleware` + "`" + `,
` + "`" + `WithRegistry` + "`" + ` (your Prometheus registry, served on ` + "`" + `/metrics` + "`" + `), ` + "`" + `WithErrorStatus` + "`" + `, and with gRPC
` + "`" + `WithGRPCServerOptions` + "`" + `, ` + "`" + `WithGRPCUnaryInterceptors` + "`" + `, ` + "`" + `WithGRPCStreamInterceptors` + "`" + `. For example
CORS, and a sentinel error answering 404 (gRPC ` + "`" + `NotFound` + "`" + `) without a ` + "`" + `StatusCode` + "`" + ` method:

` + "`" + `` + "`" + `` + "`" + `go
cors := func(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "https://app.example.com")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
			w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
notFound := func(err error) int {
	if errors.Is(err, ErrNotFound) { // your sentinel: var ErrNotFound = errors.New("not found")
		return http.StatusNotFound
	}
	return 0 // unchanged
}
err := %[1]s.Run(ctx, cfg, svc, logger,
	%[1]s.WithHTTPMiddleware(cors), %[1]s.WithErrorStatus(notFound))
` + "`" + `` + "`" + `` + "`" + `

`

// protoReadme is the README of a module generated from .proto files.
func protoReadme(v render.View, protos []string, services []*gokit.ProtoService) []byte {
	var impls []string
	for _, ps := range services {
		impls = append(impls, "`"+ps.Layout.Service.Dir+"/service_impl.go`")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- Scaffolded by kitforge: this file is yours to edit. kitforge rewrites only the endpoint table between the kitforge:endpoints markers. -->\n# %s\n\n", v.Name)
	if v.Doc != "" {
		b.WriteString(v.Doc + "\n\n")
	}
	fmt.Fprintf(&b, "Generated with [kitforge](https://github.com/kitforge/kitforge) from `%s`. Implement the\n", strings.Join(protos, "`, `"))
	fmt.Fprintf(&b, "rpcs in %s; after you change the .proto files, run `go generate ./...`\n(or `make generate`).\n\n", strings.Join(impls, ", "))
	l := services[0].Layout
	grpcurl := ""
	if l.GRPC {
		grpcurl = "grpcurl -plaintext localhost:8081 list\n"
	}
	fmt.Fprintf(&b, "## Run\n\n```sh\ngo run ./%s            # or: make run\ncurl -s localhost:%d/healthz\n%s```\n\n", v.CmdDir, v.HTTPPort, grpcurl)
	fmt.Fprintf(&b, "Settings are flags with environment fallbacks: `go run ./%s -help` lists them.\n", v.CmdDir)
	if l.GRPC {
		b.WriteString("`GET /metrics` serves Prometheus metrics. The gRPC server (`-grpc-addr`, default :8081) has the\nstandard health service and server reflection (`-grpc-reflection=false`, env `GRPC_REFLECTION=false`,\nturns it off).\n\n")
	} else {
		b.WriteString("`GET /metrics` serves Prometheus metrics.\n\n")
	}
	b.WriteString(shutdownReadme)
	if l.NATS {
		b.WriteString("Over NATS (`-nats-url`, env `NATS_URL`) every unary rpc is served on the subject of the table\n(after `-nats-subject-prefix`), in a queue group named after its service; messages are protobuf\n(binary), errors come back with their gRPC status. `NewNATSClient` in the transport package calls them.\n\n")
	}
	if l.AMQP {
		b.WriteString("Over AMQP (`-amqp-url`, env `AMQP_URL`) every unary rpc is served on the durable queue of the\ntable (after `-amqp-queue-prefix`), consumed by every instance; messages are protobuf (binary),\nerrors come back with their gRPC status. `NewAMQPClient` in the transport package calls them.\n\n")
	}
	fmt.Fprintf(&b, hooksReadme, l.Server.Name)
	b.WriteString("## Endpoints\n\n")
	if services[0].HTTP {
		b.WriteString("HTTP bodies are JSON in the proto3 mapping (lowerCamel field names); errors answer the HTTP\nstatus of their gRPC code with `{\"error\": {\"code\", \"message\", \"status\"}}`.\n\n")
	}
	b.WriteString("<!-- kitforge:endpoints:start -->\n" + v.EndpointTable + "<!-- kitforge:endpoints:end -->\n\n")
	b.WriteString("## Develop\n\n```sh\nmake test       # go test ./...\nmake generate   # regenerate after changing the .proto files\nmake check      # CI: fail if generated code is stale\nmake docker     # container image (distroless, non-root)\nkubectl apply -f deploy/k8s/\n```\n")
	return []byte(b.String())
}
