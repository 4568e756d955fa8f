// Package config reads and writes kitforge.yaml, the file that records a
// service's generation options so that `kitforge generate` and
// `go generate` need no flags.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kitforge/kitforge/generator/model"
)

// FileName is the name of the options file.
const FileName = "kitforge.yaml"

// Transports kitforge can generate, in the order they are wired.
var Transports = []string{"http", "grpc", "nats", "amqp"}

// Options are the generation options of one service.
type Options struct {
	// Name is the service's short lower-case name ("calc"); empty means
	// derived from the interface's package.
	Name string
	// Package is the Go package pattern of the interface, relative to the
	// directory of kitforge.yaml ("./pkg/calcservice").
	Package string
	// Interface names the service interface; empty means the one marked
	// //kitforge:service, or the only exported interface.
	Interface string
	// Out is the directory, relative to kitforge.yaml, under which the
	// <name>endpoint, <name>transport and <name>server packages go; empty
	// means the parent directory of the interface's package.
	Out string
	// Transports lists the transports to generate (default: http). grpc
	// adds a gRPC server beside HTTP, which always serves (it also carries
	// /healthz and /metrics).
	Transports []string
	// Middleware lists the optional endpoint middlewares (see Middlewares);
	// empty means none.
	Middleware []string
	// Discovery is the service registry the server registers with and the
	// generated client finds instances in (see Discoveries); "" is none.
	Discovery string
	// Proto lists the .proto files whose services are generated, relative
	// to the directory of kitforge.yaml; when set, Package and Interface
	// are not used.
	Proto []string
	// ProtoPaths are the directories .proto imports are searched in
	// (protoc's -I), relative to the directory of kitforge.yaml; empty means
	// that directory.
	ProtoPaths []string
	// GoPackage overrides the Go package of .proto files:
	// "IMPORT_PATH[;NAME]" for the files in Proto, "FILE=IMPORT_PATH[;NAME]"
	// for one imported file.
	GoPackage []string
	// Calls names the other services of the module this one calls through
	// their generated clients (kitforge.yaml with a services list only).
	Calls []string
	// Istio adds Istio resources beside the Kubernetes manifests: "" or
	// "none" for none, "permissive" or "strict" for the mTLS mode.
	Istio string
}

// keys documents each key of the file, in the order Marshal writes them.
var keys = []struct{ key, doc string }{
	{"name", "service name: package prefix, binary and metrics namespace"},
	{"package", "Go package that declares the service interface"},
	{"interface", "service interface (default: the one marked //kitforge:service)"},
	{"out", "directory of the generated <name>endpoint, <name>transport and <name>server packages"},
	{"transports", "transports to generate: " + strings.Join(Transports, ", ")},
	{"middleware", MiddlewareDoc},
	{"discovery", DiscoveryDoc},
	{"proto", ".proto files whose services are generated (instead of a Go interface)"},
	{"proto_paths", "directories .proto imports are searched in, as protoc's -I"},
	{"go_package", "Go packages of .proto files: IMPORT_PATH[;NAME], or FILE=IMPORT_PATH[;NAME] for one file"},
	{"calls", "services of this module this one calls through their generated clients"},
	{"istio", IstioDoc},
}

// IstioModes are the values of the istio key.
var IstioModes = []string{"none", "permissive", "strict"}

// IstioDoc documents the istio key.
const IstioDoc = "Istio resources (DestinationRule, VirtualService, PeerAuthentication) beside the Kubernetes manifests: none, permissive or strict (the mTLS mode)"

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// Find looks for kitforge.yaml in dir and its parents, stopping at the
// directory that holds go.mod. It returns "" when there is none.
func Find(dir string) string {
	for {
		p := filepath.Join(dir, FileName)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Load reads and validates the file at path. Unknown keys and bad values are
// *model.Error values naming the file, line and column.
func Load(path, display string) (Options, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Options{}, err
	}
	return Parse(data, display)
}

// isNull reports whether a document's root is YAML's null: a file of
// only comments or "---".
func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// Parse decodes and validates kitforge.yaml content; display is the file
// name used in error positions.
func Parse(data []byte, display string) (Options, error) {
	var o Options
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return o, yamlError(err, display)
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return o, model.Errorf(model.Pos{File: display, Line: 1, Col: 1},
			"write the options, e.g. \"package: ./pkg/calcservice\", or delete the file and run 'kitforge generate ./PACKAGE' to record them",
			"%s is empty: it names no service package or .proto file", FileName)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return o, model.Errorf(nodePos(display, root), "write key: value pairs, e.g. \"name: calc\"", "%s must be a mapping of options", FileName)
	}
	return parseService(root, display)
}

// nodePos is the position of n in the file display.
func nodePos(display string, n *yaml.Node) model.Pos {
	return model.Pos{File: display, Line: n.Line, Col: n.Column}
}

// parseService decodes and validates the options of one service: the
// whole file in the single-service form, an entry of services otherwise.
func parseService(root *yaml.Node, display string) (Options, error) {
	var o Options
	pos := func(n *yaml.Node) model.Pos { return nodePos(display, n) }
	if root.Kind != yaml.MappingNode {
		return o, model.Errorf(pos(root), "write key: value pairs, e.g. \"name: calc\"", "%s: a service must be a mapping of options", FileName)
	}
	positions := map[string]model.Pos{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		positions[k.Value] = pos(v)
		scalar := func() (string, error) {
			if v.Kind != yaml.ScalarNode {
				return "", model.Errorf(pos(v), "write a single value", "%s: %q must be a single value", FileName, k.Value)
			}
			return v.Value, nil
		}
		var err error
		switch k.Value {
		case "name":
			o.Name, err = scalar()
		case "package":
			o.Package, err = scalar()
		case "interface":
			o.Interface, err = scalar()
		case "out":
			o.Out, err = scalar()
		case "transports":
			if v.Kind != yaml.SequenceNode {
				return o, model.Errorf(pos(v), "write a list, e.g. transports: [http]", "%s: transports must be a list", FileName)
			}
			o.Transports = []string{} // listed, if empty: a .proto service refuses that
			for _, t := range v.Content {
				if t.Kind != yaml.ScalarNode {
					return o, model.Errorf(pos(t), "write transport names, e.g. transports: [http]", "%s: transports: each entry must be a name", FileName)
				}
				if !slices.Contains(Transports, t.Value) {
					return o, model.Errorf(pos(t), "known transports: "+strings.Join(Transports, ", "), "%s: unknown transport %q", FileName, t.Value)
				}
				o.Transports = append(o.Transports, t.Value)
			}
		case "proto":
			o.Proto, err = stringList(v, pos)
		case "proto_paths":
			o.ProtoPaths, err = stringList(v, pos)
		case "go_package":
			o.GoPackage, err = stringList(v, pos)
		case "calls":
			o.Calls, err = stringList(v, pos)
		case "istio":
			o.Istio, err = scalar()
			if err == nil && !slices.Contains(IstioModes, o.Istio) {
				err = model.Errorf(pos(v), "use one of "+strings.Join(IstioModes, ", "), "%s: unknown istio mode %q", FileName, o.Istio)
			}
		case "discovery":
			o.Discovery, err = parseDiscovery(v, pos)
		case "middleware":
			o.Middleware, err = parseMiddleware(v, pos)
		default:
			known := make([]string, len(keys))
			for i, k := range keys {
				known[i] = k.key
			}
			return o, model.Errorf(pos(k), "known keys: "+strings.Join(known, ", "), "%s: unknown key %q", FileName, k.Value)
		}
		if err != nil {
			return o, err
		}
	}
	return o, o.Validate(display, positions)
}

// Validate checks option values; positions (may be nil) locate each key's
// value in the file for error messages.
func (o Options) Validate(display string, positions map[string]model.Pos) error {
	at := func(key string) model.Pos {
		if p, ok := positions[key]; ok {
			return p
		}
		return model.Pos{File: display}
	}
	if o.Name != "" && !nameRE.MatchString(o.Name) {
		return model.Errorf(at("name"), "use lower-case letters and digits, starting with a letter, e.g. \"calc\"", "invalid service name %q", o.Name)
	}
	if o.Out != "" && (filepath.IsAbs(o.Out) || strings.HasPrefix(filepath.Clean(o.Out), "..")) {
		return model.Errorf(at("out"), "use a directory inside the module, relative to "+FileName, "out %q leaves the module", o.Out)
	}
	seen := map[string]bool{}
	for _, t := range o.Transports {
		if seen[t] {
			return model.Errorf(at("transports"), "list each transport once", "transport %q listed twice", t)
		}
		seen[t] = true
	}
	if err := o.validateProtoTransports(at); err != nil {
		return err
	}
	if len(o.Proto) == 0 && len(o.Transports) > 0 && !seen["http"] {
		return model.Errorf(at("transports"), "list http too, e.g. transports: [http, grpc]",
			"transports: http is required: the HTTP server also serves /healthz and /metrics")
	}
	return o.validateMiddleware(at)
}

// WithDefaults fills the defaults that do not depend on the loaded package.
func (o Options) WithDefaults() Options {
	if len(o.Transports) == 0 {
		o.Transports = []string{"http"}
		if len(o.Proto) > 0 {
			o.Transports = []string{"http", "grpc"}
		}
	}
	if o.Package == "" && len(o.Proto) == 0 {
		o.Package = "."
	}
	return o
}

// IstioMode is the mTLS mode of the Istio resources, "" for none.
func (o Options) IstioMode() string {
	if o.Istio == "none" {
		return ""
	}
	return o.Istio
}

// Has reports whether transport t is enabled.
func (o Options) Has(t string) bool { return slices.Contains(o.WithDefaults().Transports, t) }

// Marshal writes the options as kitforge.yaml, with a comment per key.
// Empty options are left out.
func (o Options) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString("# kitforge.yaml: options for `kitforge generate`; `go generate ./...` uses them too.\n")
	values := map[string]string{
		"name": o.Name, "package": o.Package, "interface": o.Interface, "out": o.Out,
	}
	if len(o.Transports) > 0 {
		values["transports"] = "[" + strings.Join(o.Transports, ", ") + "]"
	}
	if len(o.Middleware) > 0 {
		values["middleware"] = "[" + strings.Join(o.Middleware, ", ") + "]"
	}
	values["discovery"] = o.Discovery
	values["proto"] = flowList(o.Proto)
	values["proto_paths"] = flowList(o.ProtoPaths)
	values["go_package"] = flowList(o.GoPackage)
	values["calls"] = flowList(o.Calls)
	if o.Istio != "none" {
		values["istio"] = o.Istio
	}
	for _, k := range keys {
		v := values[k.key]
		if v == "" {
			continue
		}
		fmt.Fprintf(&b, "\n# %s\n%s: %s\n", k.doc, k.key, v)
	}
	return b.Bytes()
}

// values are o's keys and values as Marshal writes them, in the order of
// keys, empty ones left out.
func (o Options) values() [][2]string {
	var out [][2]string
	for _, line := range bytes.Split(o.Marshal(), []byte("\n")) {
		k, v, ok := strings.Cut(string(line), ": ")
		if ok && !strings.HasPrefix(k, "#") {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

// stringList reads a list of strings, or a single string as a list of one.
func stringList(v *yaml.Node, pos func(*yaml.Node) model.Pos) ([]string, error) {
	if v.Kind == yaml.ScalarNode {
		return []string{v.Value}, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, model.Errorf(pos(v), "write a list, e.g. [a, b]", "%s: expected a list of strings", FileName)
	}
	out := make([]string, 0, len(v.Content))
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode {
			return nil, model.Errorf(pos(item), "write plain strings", "%s: each entry must be a string", FileName)
		}
		out = append(out, item.Value)
	}
	return out, nil
}

// flowList writes a YAML flow sequence, quoting entries YAML would misread;
// "" for an empty list.
func flowList(items []string) string {
	if len(items) == 0 {
		return ""
	}
	quoted := make([]string, len(items))
	for i, it := range items {
		quoted[i] = it
		if it == "" || strings.ContainsAny(it, ",[]{}#:'\"&*!|>%@` \t") || strings.ContainsAny(it[:1], "-?") {
			quoted[i] = strconv.Quote(it)
		}
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// yamlError turns a YAML syntax error into a positioned error.
func yamlError(err error, display string) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return model.Errorf(model.Pos{File: display}, "fix the YAML", "%s: %s", FileName, strings.Join(te.Errors, "; "))
	}
	msg := err.Error()
	line := 0
	if _, scanErr := fmt.Sscanf(strings.TrimPrefix(msg, "yaml: "), "line %d:", &line); scanErr == nil {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	}
	return model.Errorf(model.Pos{File: display, Line: line, Col: 1}, "fix the YAML syntax", "%s: %s", FileName, msg)
}
