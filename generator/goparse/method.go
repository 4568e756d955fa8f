package goparse

import (
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// method describes one method of the service: doc, signature, directives
// and HTTP binding.
func (l *loader) method(d declared) (*model.Method, error) {
	m := &model.Method{Name: d.fn.Name(), Pos: l.position(d.pos), Kind: model.Unary}
	var dirs []directive
	if d.field != nil {
		m.Doc, dirs = parseDoc(d.field.Doc)
	}
	fields, err := l.signature(m, d)
	if err != nil {
		return nil, err
	}
	for _, dir := range dirs {
		if err := l.applyDirective(m, dir, fields); err != nil {
			return nil, err
		}
	}
	if err := model.BindHTTP(m); err != nil {
		return nil, err
	}
	return m, nil
}

// applyDirective applies one kitforge directive of a method's doc comment.
func (l *loader) applyDirective(m *model.Method, d directive, fields []field) error {
	pos := l.position(d.pos)
	switch d.name {
	case "http":
		b, err := model.ParseRoute(d.args, pos)
		if err != nil {
			return err
		}
		m.HTTP = append(m.HTTP, b)
	case "sensitive":
		names := strings.Fields(d.args)
		if len(names) == 0 {
			return model.Errorf(pos, "write // kitforge:sensitive NAME..., naming parameters or results",
				"method %s: kitforge:sensitive names no parameter or result", m.Name)
		}
		for _, n := range names {
			f := findField(fields, n)
			if f == nil {
				return model.Errorf(pos, "name parameters or results of "+m.Name+": "+fieldNames(fields),
					"method %s: kitforge:sensitive: %s is neither a parameter nor a result", m.Name, n)
			}
			f.Sensitive = true
		}
	case "async":
		if d.args != "" {
			return model.Errorf(pos, "write // kitforge:async alone on its line", "method %s: kitforge:async takes no arguments", m.Name)
		}
		if len(m.Results) > 0 {
			return model.Errorf(pos, "an async call returns nothing but an optional error: drop the results or the directive",
				"method %s: kitforge:async needs a method without results, but it has results (%s)", m.Name, fieldNames(fields[len(m.Params):]))
		}
		m.Async = true
	default:
		return model.Errorf(pos, "the method directives are kitforge:http VERB /path, kitforge:sensitive NAME..., kitforge:async",
			"method %s: unknown directive kitforge:%s", m.Name, d.name)
	}
	return nil
}

// findField finds a parameter or result by its Go name as written, or by
// the names kitforge gave it.
func findField(fields []field, name string) *model.Field {
	for _, f := range fields {
		if f.name == name || f.VarName == name || f.JSONName == name || f.GoName == name {
			return f.Field
		}
	}
	return nil
}

func fieldNames(fields []field) string {
	var s []string
	for _, f := range fields {
		s = append(s, f.name)
	}
	return strings.Join(s, ", ")
}
