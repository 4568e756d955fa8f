package protoschema

import (
	"path"
	"strconv"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// message is one proto message: a method's request or response, or a Go
// struct type.
type message struct {
	name   string
	doc    []string
	fields []*field
	// What the message carries: a method's parameters or results, or a Go
	// struct type.
	method   *model.Method
	response bool
	goType   *model.Type
	// Filled in by number.
	reservedNumbers []span
	reservedNames   []string
}

// field is one field of a message.
type field struct {
	name string
	fieldType
	number int
	// The Go field the proto field carries.
	goName string
	goType *model.Type
}

// builder collects the messages of a service in first-use order.
type builder struct {
	svc      *model.Service
	messages []*message
	taken    map[string]bool          // proto and Go names in use in the package
	structs  map[model.Ident]*message // Go struct types already given a message
	imports  map[string]bool          // well-known types used
}

// newBuilder starts a builder for svc with the names its gRPC code claims.
func newBuilder(svc *model.Service) *builder {
	b := &builder{
		svc:     svc,
		taken:   map[string]bool{},
		structs: map[model.Ident]*message{},
		imports: map[string]bool{},
	}
	// The service and the Go names its gRPC glue declares.
	for _, suffix := range []string{"", "Server", "Client"} {
		b.taken[svc.GoName+suffix] = true
	}
	b.taken["Unimplemented"+svc.GoName+"Server"] = true
	b.taken["Unsafe"+svc.GoName+"Server"] = true
	return b
}

// build creates every message. Request and response names are claimed
// first, so a Go type of the same name is the one that gets qualified.
func (b *builder) build() error {
	for _, m := range b.svc.Methods {
		if m.Kind != model.Unary {
			return model.Errorf(m.Pos, "Go interface methods are unary; streaming rpcs come from .proto input",
				"method %s: streaming methods have no Go-interface schema", m.Name)
		}
		b.taken[m.RequestName()] = true
		b.taken[m.ResponseName()] = true
	}
	for _, m := range b.svc.Methods {
		rpc := b.svc.GoName + "." + m.Name
		if err := b.methodMessage(m, false, "parameters of "+rpc, "parameter", m.Params); err != nil {
			return err
		}
		if err := b.methodMessage(m, true, "results of "+rpc, "result", m.Results); err != nil {
			return err
		}
	}
	return nil
}

// methodMessage adds the request (or, when response is set, the response)
// message of m, made of fields.
func (b *builder) methodMessage(m *model.Method, response bool, carries, what string, fields []*model.Field) error {
	name := m.RequestName()
	if response {
		name = m.ResponseName()
	}
	msg := &message{name: name, doc: []string{name + " carries the " + carries + "."}, method: m, response: response}
	b.messages = append(b.messages, msg)
	for _, f := range fields {
		goName := f.JSONName
		if goName == "" {
			goName = f.GoName
		}
		at := where{pos: f.Pos, what: "method " + m.Name + ": " + what + " " + f.VarName}
		if err := b.addField(msg, goName, f.GoName, f.Type, at); err != nil {
			return err
		}
	}
	return nil
}

// addField maps t and appends it to msg as a field named after the Go or
// JSON name name, carrying the Go field goField.
func (b *builder) addField(msg *message, name, goField string, t *model.Type, at where) error {
	ft, err := b.fieldType(t, at)
	if err != nil {
		return err
	}
	msg.fields = append(msg.fields, &field{name: uniqueFieldName(msg, fieldName(name)), fieldType: ft, goName: goField, goType: t})
	return nil
}

// structMessage returns the message of the named struct type t, creating it
// (and the messages of the types its fields use) on first use.
func (b *builder) structMessage(t *model.Type, at where) (*message, error) {
	if m, ok := b.structs[t.Ident]; ok {
		return m, nil
	}
	name := b.messageName(t.Ident)
	m := &message{name: name, doc: []string{name + " mirrors the Go type " + t.Ident.String() + "."}, goType: t}
	b.structs[t.Ident] = m
	b.messages = append(b.messages, m)
	for _, sf := range t.Underlying.Fields {
		name := sf.JSONName
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.GoName
		}
		fat := where{pos: at.pos, what: at.what + ": field " + t.Ident.Name + "." + sf.GoName}
		if err := b.addField(m, name, sf.GoName, sf.Type, fat); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// messageName names the message of a Go type: its own name if free, else
// prefixed with its package name, else numbered.
func (b *builder) messageName(id model.Ident) string {
	name := sanitize(id.Name)
	if b.taken[name] {
		name = model.Exported(packageName(id.ImportPath)) + name
	}
	base := name
	for n := 2; b.taken[name]; n++ {
		name = base + strconv.Itoa(n)
	}
	b.taken[name] = true
	return name
}

// packageName guesses a package's name from its import path, skipping a
// major version suffix ("example.com/users/v2" → "users").
func packageName(importPath string) string {
	base := path.Base(importPath)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		base = path.Base(path.Dir(importPath))
	}
	return base
}

// fieldName is the proto name of a field: the snake_case of its Go or JSON
// name, reduced to characters proto identifiers allow.
func fieldName(goName string) string {
	name := sanitize(model.Snake(goName))
	if name == "" || name[0] >= '0' && name[0] <= '9' || name[0] == '_' {
		name = "f_" + strings.TrimLeft(name, "_")
	}
	return name
}

// uniqueFieldName makes name unique in msg, counting protoc's JSON names too
// (user_id_2 and user_id2 would clash as userId2).
func uniqueFieldName(msg *message, name string) string {
	clash := func(n string) bool {
		for _, f := range msg.fields {
			if f.name == n || jsonName(f.name) == jsonName(n) {
				return true
			}
		}
		return false
	}
	base := name
	for n := 2; clash(name); n++ {
		name = base + "_" + strconv.Itoa(n)
	}
	return name
}

// jsonName is protoc's default JSON name of a field: underscores dropped,
// the letter after each capitalised.
func jsonName(name string) string {
	var b strings.Builder
	upper := false
	for _, r := range name {
		switch {
		case r == '_':
			upper = true
		case upper && r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
			upper = false
		default:
			b.WriteRune(r)
			upper = false
		}
	}
	return b.String()
}

// sanitize replaces characters that proto identifiers do not allow with '_'.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, s)
}
