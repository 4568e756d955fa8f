package model

import (
	"strings"
)

// httpVerbs are the verbs a kitforge:http directive accepts.
var httpVerbs = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true,
}

// ParseRoute parses the text after "kitforge:http", e.g. "GET /users/{id}".
func ParseRoute(text string, pos Pos) (*HTTPBinding, error) {
	const hint = `write the route as "// kitforge:http VERB /path/{param}", e.g. "// kitforge:http GET /users/{id}"`
	parts := strings.Fields(text)
	if len(parts) != 2 {
		return nil, Errorf(pos, hint, "kitforge:http wants a verb and a path, got %q", text)
	}
	verb := strings.ToUpper(parts[0])
	if !httpVerbs[verb] {
		return nil, Errorf(pos, hint, "kitforge:http: unknown HTTP verb %q (want GET, POST, PUT, PATCH or DELETE)", parts[0])
	}
	path := parts[1]
	if !strings.HasPrefix(path, "/") {
		return nil, Errorf(pos, hint, "kitforge:http: path %q must start with /", path)
	}
	b := &HTTPBinding{Verb: verb, Path: path, Pos: pos}
	seen := map[string]bool{}
	for _, seg := range strings.Split(path[1:], "/") {
		if !strings.ContainsAny(seg, "{}") {
			continue
		}
		if !strings.HasPrefix(seg, "{") || !strings.HasSuffix(seg, "}") || strings.Count(seg, "{") != 1 {
			return nil, Errorf(pos, hint, "kitforge:http: path segment %q: a parameter must be a whole segment like {id}", seg)
		}
		name := seg[1 : len(seg)-1]
		if !isIdent(name) {
			return nil, Errorf(pos, hint, "kitforge:http: path parameter %q is not a Go identifier", name)
		}
		if seen[name] {
			return nil, Errorf(pos, hint, "kitforge:http: path parameter {%s} appears twice", name)
		}
		seen[name] = true
		b.PathParams = append(b.PathParams, name)
	}
	if verb == "GET" || verb == "DELETE" {
		b.Body = ""
	} else {
		b.Body = "*"
	}
	return b, nil
}

// DefaultRoute is the route of a method without a kitforge:http directive:
// POST /<kebab-method> with a JSON body.
func DefaultRoute(m *Method) *HTTPBinding {
	return &HTTPBinding{Verb: "POST", Path: "/" + Kebab(m.Name), Body: "*", Pos: m.Pos}
}

// BindHTTP checks a Go method's primary route against its parameters and
// sets each parameter's In: path parameters by name, then query for routes
// without a body, body otherwise. Path and query parameters must be scalars
// (or, for query, slices of scalars).
func BindHTTP(m *Method) error {
	if len(m.HTTP) == 0 {
		m.HTTP = []*HTTPBinding{DefaultRoute(m)}
	}
	b := m.HTTP[0]
	byName := map[string]*Field{}
	for _, f := range m.Params {
		byName[f.JSONName] = f
		byName[f.VarName] = f
	}
	for _, p := range b.PathParams {
		f, ok := byName[p]
		if !ok {
			return Errorf(b.Pos, "name a parameter of the method in braces, or remove the {"+p+"} segment",
				"method %s: route %s %s: path parameter {%s} matches no parameter", m.Name, b.Verb, b.Path, p)
		}
		if !f.Type.IsScalar() {
			return Errorf(b.Pos, "path parameters must be strings, numbers, bools, time.Time or time.Duration",
				"method %s: path parameter {%s} has type %s, which cannot be written in a URL path", m.Name, p, f.Type)
		}
		f.In = InPath
	}
	for _, f := range m.Params {
		if f.In == InPath {
			continue
		}
		if b.Body != "" {
			f.In = InBody
			continue
		}
		f.In = InQuery
		t := f.Type
		if r := t.Resolved(); r.Kind == Slice && !t.IsNamed("time", "Duration") {
			t = r.Elem
		}
		if r := t.Resolved(); r.Kind == Pointer {
			t = r.Elem
		}
		if !t.IsScalar() {
			return Errorf(f.Pos, "use POST, PUT or PATCH for methods that take structured values, or pass the value's fields separately",
				"method %s: parameter %s has type %s, which a %s query string cannot carry", m.Name, f.VarName, f.Type, b.Verb)
		}
	}
	return nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9' {
			continue
		}
		return false
	}
	return true
}
