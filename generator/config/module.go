package config

import (
	"bytes"
	"fmt"
	"os"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/kitforge/kitforge/generator/model"
)

// Module is kitforge.yaml as a whole: the services of one Go module.
//
// The file has two forms. A single service's options at the top level is
// the form every module starts with (and every kitforge before services
// lists wrote); a `services:` list holds any number of them. A module
// keeps the single form while it has one service; adding a second rewrites
// the file as a list (Marshal), with the first service's options unchanged.
type Module struct {
	Services []Options
	// List is true for the services-list form.
	List bool
}

// LoadModule reads and validates the file at path.
func LoadModule(path, display string) (Module, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Module{}, err
	}
	return ParseModule(data, display)
}

// ParseModule decodes and validates kitforge.yaml in either form; display
// is the file name used in error positions.
func ParseModule(data []byte, display string) (Module, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Module{}, yamlError(err, display)
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) || doc.Content[0].Kind != yaml.MappingNode || !hasKey(doc.Content[0], "services") {
		o, err := Parse(data, display)
		if err != nil {
			return Module{}, err
		}
		if len(o.Calls) > 0 {
			return Module{}, model.Errorf(model.Pos{File: display}, "add the services it calls with 'kitforge add NAME' first",
				"%s: calls names other services, and this module has one", FileName)
		}
		return Module{Services: []Options{o}}, nil
	}
	root := doc.Content[0]
	m := Module{List: true}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "services" {
			return m, model.Errorf(nodePos(display, k), "put every option inside an entry of services",
				"%s: unknown key %q beside services", FileName, k.Value)
		}
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			return m, model.Errorf(nodePos(display, v), "write a list, e.g. services: [{name: calc, package: ./pkg/calcservice}]",
				"%s: services must be a non-empty list", FileName)
		}
		for _, entry := range v.Content {
			o, err := parseService(entry, display)
			if err != nil {
				return m, err
			}
			m.Services = append(m.Services, o)
		}
		if err := m.validate(display, v.Content); err != nil {
			return m, err
		}
	}
	return m, nil
}

// hasKey reports whether the mapping n has key.
func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// validate checks what involves several services: every entry of a list
// names its service (calls refer to names), names are unique, and calls
// name other services of the list.
func (m Module) validate(display string, entries []*yaml.Node) error {
	names := map[string]bool{}
	for i, o := range m.Services {
		at := nodePos(display, entries[i])
		if o.Name == "" {
			return model.Errorf(at, "add name: NAME to the entry", "%s: every service of a list needs a name", FileName)
		}
		if names[o.Name] {
			return model.Errorf(at, "give each service its own name", "%s: service %q listed twice", FileName, o.Name)
		}
		names[o.Name] = true
	}
	for i, o := range m.Services {
		for _, c := range o.Calls {
			switch {
			case c == o.Name:
				return model.Errorf(nodePos(display, entries[i]), "remove "+c+" from its calls", "%s: service %q calls itself", FileName, c)
			case !names[c]:
				return model.Errorf(nodePos(display, entries[i]), "name a service of this file, or add it with 'kitforge add "+c+"'",
					"%s: service %q calls %q, which is not a service of this module", FileName, o.Name, c)
			}
		}
	}
	return nil
}

// Service returns the options of the service called name.
func (m Module) Service(name string) (Options, bool) {
	i := slices.IndexFunc(m.Services, func(o Options) bool { return o.Name == name })
	if i < 0 {
		return Options{}, false
	}
	return m.Services[i], true
}

// Marshal writes the file: the single-service form for a module of one
// service that never had a list, the services list otherwise.
func (m Module) Marshal() []byte {
	if !m.List && len(m.Services) == 1 {
		return m.Services[0].Marshal()
	}
	var b bytes.Buffer
	b.WriteString("# kitforge.yaml: the services of this module, for `kitforge generate` (all of them)\n")
	b.WriteString("# and `kitforge generate --service NAME` (one); `go generate ./...` uses them too.\n")
	b.WriteString("# Keys of a service:\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "#   %s: %s\n", k.key, k.doc)
	}
	b.WriteString("services:\n")
	for _, o := range m.Services {
		for i, kv := range o.values() {
			lead := "    "
			if i == 0 {
				lead = "  - "
			}
			fmt.Fprintf(&b, "%s%s: %s\n", lead, kv[0], kv[1])
		}
	}
	return b.Bytes()
}
