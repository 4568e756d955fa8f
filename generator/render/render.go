// Package render writes the non-Go files of a service from the templates in
// templates/: Dockerfile, Kubernetes manifests, docker-compose, Makefile and
// the service's README. They are scaffolded once and then the user's; only
// the README's endpoint table, between markers, is kept in step with the
// interface.
package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/templates"
)

// Port is a listener of the service, named by protocol as Istio expects.
type Port struct {
	Name string // "http" or "grpc"
	Port int
	Env  string // the environment variable that sets its address
}

// View is everything the templates print; templates make no decisions.
type View struct {
	Name, Module, CmdDir, ServiceDir, GoVersion string
	Doc                                         string
	Ports                                       []Port
	HTTPPort                                    int
	LivenessPath, ReadinessPath                 string
	EndpointTable                               string
	// Dockerfile is the service's Dockerfile when it is not the module
	// root's ("deploy/calc/Dockerfile" in a module of several services).
	Dockerfile string
	// K8sDir is the directory of the service's Kubernetes manifests.
	K8sDir string
	// System is true for a service of a module with several services.
	System bool
	// IstioDir is the directory of the Istio resources, "" without them;
	// IstioMTLS their PeerAuthentication mode (PERMISSIVE or STRICT) and
	// IstioStrict whether it is STRICT.
	IstioDir, IstioMTLS string
	IstioStrict         bool
}

// Options are the facts render needs besides the model.
type Options struct {
	Module     string
	CmdDir     string
	ServiceDir string
	// GRPCService is the full gRPC service name ("calc.Calc"); empty when
	// the service has no gRPC transport.
	GRPCService string
	// GRPCSamples are the grpcurl request bodies by method name, in the
	// proto3 JSON mapping (see ProtoJSON); a method without one is
	// sampled from its Go parameters.
	GRPCSamples map[string]string
	GoVersion   string // for the build image, e.g. "1.26"
	// System places the files of one service of several (a kitforge.yaml
	// services list): deploy/<name>/ and cmd/<name>/README.md, and no
	// docker-compose.yaml or Makefile of its own (the system's are).
	System bool
	// Istio adds the Istio resources (kitforge.yaml istio: permissive or
	// strict, the mTLS mode); "" for none.
	Istio string
}

// File is one rendered file: its path relative to the module root.
type File struct {
	Path    string
	Content []byte
}

// files maps template names to output paths.
var files = []struct{ tmpl, out string }{
	{"Dockerfile.tmpl", "Dockerfile"},
	{"docker-compose.yaml.tmpl", "docker-compose.yaml"},
	{"Makefile.tmpl", "Makefile"},
	{"README.md.tmpl", "README.md"},
	{"deploy/k8s/deployment.yaml.tmpl", "deploy/k8s/deployment.yaml"},
	{"deploy/k8s/service.yaml.tmpl", "deploy/k8s/service.yaml"},
	{"deploy/k8s/hpa.yaml.tmpl", "deploy/k8s/hpa.yaml"},
	{"deploy/k8s/pdb.yaml.tmpl", "deploy/k8s/pdb.yaml"},
	{"deploy/istio/destinationrule.yaml.tmpl", "deploy/istio/destinationrule.yaml"},
	{"deploy/istio/virtualservice.yaml.tmpl", "deploy/istio/virtualservice.yaml"},
	{"deploy/istio/peerauthentication.yaml.tmpl", "deploy/istio/peerauthentication.yaml"},
}

// NewView computes the templates' view of svc.
func NewView(svc *model.Service, opts Options) View {
	v := View{
		Name: svc.Name, Module: opts.Module, CmdDir: opts.CmdDir, ServiceDir: opts.ServiceDir,
		GoVersion: opts.GoVersion, Doc: strings.Join(svc.Doc, "\n"),
		Ports:        []Port{{Name: "http", Port: 8080, Env: "HTTP_ADDR"}},
		HTTPPort:     8080,
		LivenessPath: "/healthz", ReadinessPath: "/readyz",
		K8sDir: "deploy/k8s", System: opts.System,
	}
	if opts.System {
		v.Dockerfile = "deploy/" + svc.Name + "/Dockerfile"
		v.K8sDir = "deploy/" + svc.Name + "/k8s"
	}
	if opts.Istio != "" {
		v.IstioDir = strings.TrimSuffix(v.K8sDir, "k8s") + "istio"
		v.IstioMTLS = strings.ToUpper(opts.Istio)
		v.IstioStrict = v.IstioMTLS == "STRICT"
	}
	if opts.GRPCService != "" {
		v.Ports = append(v.Ports, Port{Name: "grpc", Port: 8081, Env: "GRPC_ADDR"})
	}
	v.EndpointTable = EndpointTable(svc, opts.GRPCService, opts.GRPCSamples, v.HTTPPort)
	return v
}

// Files renders every template with v.
func Files(v View) ([]File, error) {
	out := make([]File, 0, len(files))
	for _, f := range files {
		t, err := template.ParseFS(templates.FS, f.tmpl)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", f.tmpl, err)
		}
		t.Option("missingkey=error")
		var buf bytes.Buffer
		if err := t.Execute(&buf, v); err != nil {
			return nil, fmt.Errorf("template %s: %w", f.tmpl, err)
		}
		if p := v.path(f.out); p != "" {
			out = append(out, File{Path: p, Content: buf.Bytes()})
		}
	}
	return out, nil
}

// path is where the file a template renders to goes for v: as named at
// the module root for a module's only service; under deploy/<name>/ (and
// the README beside main.go) for one of several, which has no compose file
// or Makefile of its own ("" for those).
func (v View) path(out string) string {
	if strings.HasPrefix(out, "deploy/istio/") {
		if v.IstioDir == "" {
			return ""
		}
		return v.IstioDir + "/" + strings.TrimPrefix(out, "deploy/istio/")
	}
	if !v.System {
		return out
	}
	switch {
	case out == "Dockerfile":
		return v.Dockerfile
	case out == "README.md":
		return v.CmdDir + "/README.md"
	case strings.HasPrefix(out, "deploy/k8s/"):
		return v.K8sDir + "/" + strings.TrimPrefix(out, "deploy/k8s/")
	}
	return ""
}

// IsIstio reports whether a rendered file is an Istio resource.
func IsIstio(path string) bool { return strings.Contains(path, "/istio/") }

// Markers around the part of the README that kitforge keeps up to date.
const (
	tableStart = "<!-- kitforge:endpoints:start -->\n"
	tableEnd   = "<!-- kitforge:endpoints:end -->"
)

// UpdateReadme replaces the endpoint table of an existing README with table.
// A README without both markers is the user's alone and comes back as is.
func UpdateReadme(existing []byte, table string) []byte {
	out, _ := UpdateRegion(existing, tableStart, tableEnd, table)
	return out
}

// EndpointTable is the README's table of routes with a curl example per
// method (and a grpcurl one, its body from grpcSamples, when grpcService is
// set).
func EndpointTable(svc *model.Service, grpcService string, grpcSamples map[string]string, port int) string {
	var b strings.Builder
	if grpcService != "" {
		b.WriteString("| method | HTTP | gRPC |\n|---|---|---|\n")
	} else {
		b.WriteString("| method | HTTP |\n|---|---|\n")
	}
	for _, m := range svc.Methods {
		var routes []string
		for _, h := range m.HTTP {
			routes = append(routes, "`"+h.Verb+" "+h.Path+"`")
		}
		if len(routes) == 0 {
			routes = []string{"–"}
		}
		fmt.Fprintf(&b, "| %s | %s |", m.Name, strings.Join(routes, ", "))
		if grpcService != "" {
			fmt.Fprintf(&b, " `%s/%s` |", grpcService, m.Name)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n```sh\n")
	for _, m := range svc.Methods {
		if len(m.HTTP) > 0 {
			b.WriteString(Curl(m, port) + "\n")
		}
	}
	if grpcService != "" {
		for _, m := range svc.Methods {
			body, ok := grpcSamples[m.Name]
			if !ok {
				body = sampleJSON(m.Params, false)
			}
			fmt.Fprintf(&b, "grpcurl -plaintext -d '%s' localhost:8081 %s/%s\n", body, grpcService, m.Name)
		}
	}
	b.WriteString("```\n")
	return b.String()
}

// Curl is a working curl command for a method's primary route, with sample
// values for every parameter.
func Curl(m *model.Method, port int) string {
	h := m.HTTP[0]
	path := h.Path
	var query []string
	for _, p := range m.Params {
		switch p.In {
		case model.InPath:
			path = strings.ReplaceAll(path, "{"+p.JSONName+"}", sampleScalar(p.Type))
		case model.InQuery:
			query = append(query, p.JSONName+"="+sampleScalar(p.Type))
		}
	}
	url := fmt.Sprintf("localhost:%d%s", port, path)
	if len(query) > 0 {
		url += "?" + strings.Join(query, "&")
	}
	cmd := "curl -s"
	if h.Verb != "GET" {
		cmd += " -X " + h.Verb
	}
	cmd += " '" + url + "'"
	if h.Body != "" {
		cmd += " -H 'Content-Type: application/json' -d '" + sampleJSON(m.Params, true) + "'"
	}
	return cmd
}

// sampleJSON is a JSON object with a sample value per field (only body
// fields when bodyOnly).
func sampleJSON(fields []*model.Field, bodyOnly bool) string {
	var parts []string
	for _, f := range fields {
		if bodyOnly && f.In != model.InBody {
			continue
		}
		v, _ := json.Marshal(f.JSONName)
		parts = append(parts, string(v)+":"+sampleValue(f.Type, 0, nil))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// sampleValue is a JSON sample of a type, as encoding/json reads it. A
// struct met again inside itself (a recursive type; they share pointers) is
// null, so a tree of products samples one product, not a tree.
func sampleValue(t *model.Type, depth int, path []*model.Type) string {
	if depth > 8 { // deep enough for real payloads
		return "null"
	}
	switch {
	case t.IsNamed("time", "Time"):
		return `"2026-01-02T15:04:05Z"`
	case t.IsNamed("time", "Duration"):
		return "1000000000"
	}
	r := t.Resolved()
	switch r.Kind {
	case model.Basic:
		switch r.BasicName {
		case "string":
			return `"example"`
		case "bool":
			return "true"
		default:
			return "1"
		}
	case model.Pointer:
		return sampleValue(r.Elem, depth+1, path)
	case model.Slice, model.Array:
		if e := r.Elem.Resolved(); r.Kind == model.Slice && e.Kind == model.Basic && (e.BasicName == "byte" || e.BasicName == "uint8") { // a byte array is a list of numbers
			return `"aGVsbG8="`
		}
		return "[" + sampleValue(r.Elem, depth+1, path) + "]"
	case model.Map:
		key := `"key"`
		if k := r.Key.Resolved(); k.Kind == model.Basic && k.BasicName != "string" {
			key = `"1"` // encoding/json writes integer keys as strings
		}
		return "{" + key + ":" + sampleValue(r.Elem, depth+1, path) + "}"
	case model.Struct:
		if slices.Contains(path, r) {
			return "null"
		}
		path = append(path, r)
		return "{" + strings.Join(sampleFields(r, depth, path), ",") + "}"
	}
	return "null"
}

// sampleFields are the "name":value pairs of struct r's fields; the fields
// of an untagged embedded struct are promoted, as encoding/json does.
func sampleFields(r *model.Type, depth int, path []*model.Type) []string {
	var parts []string
	for _, f := range r.Fields {
		if f.Embedded && f.JSONName == f.GoName {
			e := f.Type.Resolved()
			if e.Kind == model.Pointer {
				e = e.Elem.Resolved()
			}
			if e.Kind == model.Struct && !slices.Contains(path, e) {
				parts = append(parts, sampleFields(e, depth+1, append(path, e))...)
				continue
			}
		}
		parts = append(parts, fmt.Sprintf("%q:%s", f.JSONName, sampleValue(f.Type, depth+1, path)))
	}
	return parts
}

// sampleScalar is a sample path or query value.
func sampleScalar(t *model.Type) string {
	switch {
	case t.IsNamed("time", "Time"):
		return "2026-01-02T15:04:05Z"
	case t.IsNamed("time", "Duration"):
		return "1s"
	}
	r := t.Resolved()
	if r.Kind == model.Pointer || r.Kind == model.Slice {
		return sampleScalar(r.Elem)
	}
	switch r.BasicName {
	case "string":
		return "example"
	case "bool":
		return "true"
	default:
		return "1"
	}
}
