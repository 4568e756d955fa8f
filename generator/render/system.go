package render

import (
	"fmt"
	"slices"
	"strings"
)

// SystemService is one service of a module with several, as the system
// files show it.
type SystemService struct {
	Name, CmdDir string
	// Dockerfile builds the service's image (module-relative).
	Dockerfile string
	// K8sFiles are its Kubernetes manifests, relative to deploy/.
	K8sFiles []string
	// GRPC reports a gRPC listener beside HTTP.
	GRPC bool
	// Discovery is its registry (kitforge.yaml discovery), "" for none.
	Discovery string
	// Calls are the services it calls, each with its registry ("" for
	// static addresses) and whether its client speaks gRPC.
	Calls []SystemCall
	// Routes are its HTTP routes, "GET /users/{id}".
	Routes []string
}

// SystemCall is a service another calls.
type SystemCall struct {
	Name, Discovery string
	GRPC            bool
}

// System file names and the markers of the parts kitforge keeps in step.
const (
	ComposeFile       = "docker-compose.yaml"
	KustomizationFile = "deploy/kustomization.yaml"
	composeStart      = "  # kitforge:services:start\n"
	composeEnd        = "  # kitforge:services:end\n"
	resourcesStart    = "  # kitforge:resources:start\n"
	resourcesEnd      = "  # kitforge:resources:end\n"
	systemStart       = "<!-- kitforge:system:start -->\n"
	systemEnd         = "<!-- kitforge:system:end -->\n"
)

// registries are the containers of the registries compose can run, and
// the environment that points a service at one.
var registries = map[string]struct{ service, env string }{
	"consul":    {"  consul:\n    image: hashicorp/consul:1.20\n    command: agent -dev -client 0.0.0.0\n    ports:\n      - \"8500:8500\"\n", "CONSUL_HTTP_ADDR: consul:8500"},
	"etcd":      {"  etcd:\n    image: quay.io/coreos/etcd:v3.5.17\n    command: etcd --listen-client-urls http://0.0.0.0:2379 --advertise-client-urls http://etcd:2379\n    ports:\n      - \"2379:2379\"\n", "ETCD_ENDPOINTS: http://etcd:2379"},
	"zookeeper": {"  zookeeper:\n    image: zookeeper:3.9\n    ports:\n      - \"2181:2181\"\n", "ZK_SERVERS: zookeeper:2181"},
}

// registryAddr is the address of registry d inside compose's network: the
// value after the colon of its environment line.
func registryAddr(d string) string {
	_, v, _ := strings.Cut(registries[d].env, ": ")
	return v
}

// ComposeServices is the part of docker-compose.yaml between the markers:
// a service per kitforge service (host ports 8080, 8090, ... in the order
// of kitforge.yaml; each container listens on 8080 and 8081 as its own
// Dockerfile says) and the registries they use.
func ComposeServices(services []SystemService) string {
	var b strings.Builder
	var used []string
	for i, s := range services {
		fmt.Fprintf(&b, "  %s:\n    build:\n      context: .\n      dockerfile: %s\n", s.Name, s.Dockerfile)
		b.WriteString("    stop_grace_period: 20s # SHUTDOWN_TIMEOUT (15s default) + a margin\n    ports:\n")
		fmt.Fprintf(&b, "      - \"%d:8080\"\n", 8080+10*i)
		if s.GRPC {
			fmt.Fprintf(&b, "      - \"%d:8081\"\n", 8081+10*i)
		}
		b.WriteString("    environment:\n      HTTP_ADDR: \":8080\"\n")
		if s.GRPC {
			b.WriteString("      GRPC_ADDR: \":8081\"\n")
		}
		var deps []string
		if r, ok := registries[s.Discovery]; ok {
			fmt.Fprintf(&b, "      %s\n      ADVERTISE_ADDR: %s\n", r.env, s.Name)
			deps = append(deps, s.Discovery)
		}
		for _, c := range s.Calls {
			env := strings.ToUpper(c.Name)
			if _, ok := registries[c.Discovery]; ok {
				fmt.Fprintf(&b, "      %s_REGISTRY: %s\n", env, registryAddr(c.Discovery))
				deps = append(deps, c.Discovery)
			} else if c.GRPC {
				fmt.Fprintf(&b, "      %s_ADDR: \"%s:8080?grpc=8081\"\n", env, c.Name)
			} else {
				fmt.Fprintf(&b, "      %s_ADDR: %s:8080\n", env, c.Name)
			}
			deps = append(deps, c.Name)
		}
		slices.Sort(deps)
		deps = slices.Compact(deps)
		if len(deps) > 0 {
			b.WriteString("    depends_on:\n")
			for _, d := range deps {
				fmt.Fprintf(&b, "      - %s\n", d)
			}
		}
		for _, d := range deps {
			if _, ok := registries[d]; ok && !slices.Contains(used, d) {
				used = append(used, d)
			}
		}
	}
	slices.Sort(used)
	for _, d := range used {
		b.WriteString(registries[d].service)
	}
	return b.String()
}

// Compose is a new docker-compose.yaml of the system.
func Compose(services []SystemService) []byte {
	return []byte("# Scaffolded by kitforge: this file is yours to edit. kitforge rewrites only the\n" +
		"# services between the kitforge:services markers, one per service of kitforge.yaml\n" +
		"# and the registries they use; add your own outside them.\n" +
		"# Run the system locally: docker compose up --build\n" +
		"services:\n" + composeStart + ComposeServices(services) + composeEnd)
}

// KustomizationResources is the part of deploy/kustomization.yaml between
// the markers: every service's manifests.
func KustomizationResources(services []SystemService) string {
	var b strings.Builder
	for _, s := range services {
		for _, f := range s.K8sFiles {
			fmt.Fprintf(&b, "  - %s\n", f)
		}
	}
	return b.String()
}

// Kustomization is a new deploy/kustomization.yaml of the system.
func Kustomization(services []SystemService) []byte {
	return []byte("# Scaffolded by kitforge: this file is yours to edit. kitforge rewrites only the\n" +
		"# resources between the kitforge:resources markers, every service's manifests.\n" +
		"# kubectl apply -k deploy/\n" +
		"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" +
		resourcesStart + KustomizationResources(services) + resourcesEnd)
}

// SystemTable is the part of the module's README between the
// kitforge:system markers: the services, their routes, and who calls whom.
func SystemTable(services []SystemService) string {
	var b strings.Builder
	b.WriteString("## Services\n\n| service | run | routes | calls |\n|---|---|---|---|\n")
	for _, s := range services {
		routes := "–"
		if len(s.Routes) > 0 {
			routes = "`" + strings.Join(s.Routes, "`<br>`") + "`"
		}
		var calls []string
		for _, c := range s.Calls {
			calls = append(calls, c.Name)
		}
		callCell := "–"
		if len(calls) > 0 {
			callCell = strings.Join(calls, ", ")
		}
		fmt.Fprintf(&b, "| [%s](%s/README.md) | `go run ./%s` | %s | %s |\n", s.Name, s.CmdDir, s.CmdDir, routes, callCell)
	}
	b.WriteString("\n```mermaid\ngraph LR\n")
	for _, s := range services {
		if len(s.Calls) == 0 {
			fmt.Fprintf(&b, "  %s\n", s.Name)
		}
		for _, c := range s.Calls {
			fmt.Fprintf(&b, "  %s --> %s\n", s.Name, c.Name)
		}
	}
	b.WriteString("```\n")
	return b.String()
}

// SystemReadme is a new README.md of the module.
func SystemReadme(module string, services []SystemService) []byte {
	return []byte("<!-- Scaffolded by kitforge: this file is yours to edit. kitforge rewrites only the part between the kitforge:system markers. -->\n" +
		"# " + module + "\n\n" +
		"A system of services generated with [kitforge](https://github.com/kitforge/kitforge); each\n" +
		"service's own README (linked below) lists its endpoints with curl examples.\n\n" +
		"## Run\n\n```sh\ndocker compose up --build     # every service and its registry\nkubectl apply -k deploy/       # Kubernetes\ngo generate ./...              # after changing an interface or a .proto\n```\n\n" +
		systemStart + SystemTable(services) + systemEnd)
}

// UpdateSystemReadme keeps the system part of an existing README in step.
// A README of one service (from before the module had several) has its
// endpoint table, whose markers kitforge owns, replaced by the system part;
// a README without markers is the user's alone.
func UpdateSystemReadme(existing []byte, table string) []byte {
	if out, ok := UpdateRegion(existing, systemStart, systemEnd, table); ok {
		return out
	}
	s := string(existing)
	i := strings.Index(s, tableStart)
	j := strings.Index(s, tableEnd)
	if i < 0 || j < i {
		return existing
	}
	rest := strings.TrimPrefix(s[j+len(tableEnd):], "\n")
	return []byte(s[:i] + systemStart + table + systemEnd + rest)
}

// UpdateRegion replaces what lies between the lines start and end of
// existing with content; ok is false when existing lacks either marker.
func UpdateRegion(existing []byte, start, end, content string) (out []byte, ok bool) {
	s := string(existing)
	i := strings.Index(s, start)
	if i < 0 {
		return existing, false
	}
	j := strings.Index(s[i+len(start):], end)
	if j < 0 {
		return existing, false
	}
	j += i + len(start)
	return []byte(s[:i+len(start)] + content + s[j:]), true
}

// Region markers of the system files, for callers that keep them in step.
var (
	ComposeMarkers   = [2]string{composeStart, composeEnd}
	ResourcesMarkers = [2]string{resourcesStart, resourcesEnd}
)

// SystemMakefile is the module's Makefile of a system of services.
func SystemMakefile() []byte {
	return []byte(`# Scaffolded by kitforge: this file is yours to edit.
.PHONY: build test generate check up

build:
	go build ./...

test:
	go test ./...

# Regenerate every service after changing an interface or a .proto.
generate:
	go generate ./...

# Fails when generated code is out of date (for CI).
check:
	kitforge generate --check

# Every service and its registry, locally.
up:
	docker compose up --build
`)
}
