// Package openapi describes a service's HTTP routes and types as an OpenAPI
// 3.0 document, the one the generated server serves at /openapi.json.
//
// JSON shapes follow encoding/json, which the generated HTTP transport uses:
// time.Time is an RFC 3339 string, time.Duration a number of nanoseconds in
// bodies (a Go duration string such as "1m30s" in paths and queries), []byte
// a base64 string, and a pointer a nullable value.
package openapi

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// schema is an OpenAPI 3.0 schema object (the subset kitforge writes).
type schema struct {
	Ref                  string             `json:"$ref,omitempty"`
	Type                 string             `json:"type,omitempty"`
	Format               string             `json:"format,omitempty"`
	Description          string             `json:"description,omitempty"`
	Nullable             bool               `json:"nullable,omitempty"`
	Minimum              *float64           `json:"minimum,omitempty"`
	Items                *schema            `json:"items,omitempty"`
	MinItems             *int64             `json:"minItems,omitempty"`
	MaxItems             *int64             `json:"maxItems,omitempty"`
	Properties           map[string]*schema `json:"properties,omitempty"`
	AdditionalProperties *schema            `json:"additionalProperties,omitempty"`
	Enum                 []any              `json:"enum,omitempty"`
}

type parameter struct {
	Name     string  `json:"name"`
	In       string  `json:"in"`
	Required bool    `json:"required,omitempty"`
	Schema   *schema `json:"schema"`
	Explode  *bool   `json:"explode,omitempty"`
}

type mediaType struct {
	Schema *schema `json:"schema"`
}

type requestBody struct {
	Required bool                  `json:"required"`
	Content  map[string]*mediaType `json:"content"`
}

type response struct {
	Description string                `json:"description"`
	Content     map[string]*mediaType `json:"content,omitempty"`
}

type operation struct {
	OperationID string               `json:"operationId"`
	Summary     string               `json:"summary,omitempty"`
	Description string               `json:"description,omitempty"`
	Tags        []string             `json:"tags,omitempty"`
	Parameters  []*parameter         `json:"parameters,omitempty"`
	RequestBody *requestBody         `json:"requestBody,omitempty"`
	Responses   map[string]*response `json:"responses"`
}

type document struct {
	OpenAPI    string                           `json:"openapi"`
	Info       map[string]string                `json:"info"`
	Paths      map[string]map[string]*operation `json:"paths"`
	Components struct {
		Schemas map[string]*schema `json:"schemas"`
	} `json:"components"`
}

const jsonType = "application/json"

// Document returns the OpenAPI 3.0 document of svc's HTTP routes, indented
// and deterministic (encoding/json sorts map keys).
func Document(svc *model.Service) ([]byte, error) {
	b := &builder{schemas: map[string]*schema{}, names: map[model.Ident]string{}}
	doc := &document{
		OpenAPI: "3.0.3",
		Info:    map[string]string{"title": svc.Name, "version": "1.0.0", "description": strings.Join(svc.Doc, "\n")},
		Paths:   map[string]map[string]*operation{},
	}
	b.schemas["Error"] = &schema{
		Type:        "object",
		Description: "The body of every error response.",
		Properties:  map[string]*schema{"error": {Type: "string"}},
	}
	for _, m := range svc.Methods {
		if m.IsStreaming() {
			continue
		}
		for i, bind := range m.HTTP {
			op := b.operation(svc, m, bind)
			if i > 0 {
				op.OperationID = fmt.Sprintf("%s%d", m.Name, i+1)
			}
			if doc.Paths[bind.Path] == nil {
				doc.Paths[bind.Path] = map[string]*operation{}
			}
			doc.Paths[bind.Path][strings.ToLower(bind.Verb)] = op
		}
	}
	doc.Components.Schemas = b.schemas
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// builder collects component schemas while operations are described.
type builder struct {
	schemas map[string]*schema
	names   map[model.Ident]string
}

func (b *builder) operation(svc *model.Service, m *model.Method, bind *model.HTTPBinding) *operation {
	op := &operation{OperationID: m.Name, Tags: []string{svc.Name}, Responses: map[string]*response{}}
	if len(m.Doc) > 0 {
		op.Summary = m.Doc[0]
		op.Description = strings.Join(m.Doc, "\n")
	}
	body := &schema{Type: "object", Properties: map[string]*schema{}}
	for _, p := range m.Params {
		switch p.In {
		case model.InPath:
			op.Parameters = append(op.Parameters, &parameter{Name: p.JSONName, In: "path", Required: true, Schema: b.scalar(p.Type)})
		case model.InQuery:
			prm := &parameter{Name: p.JSONName, In: "query", Schema: b.scalar(p.Type)}
			if prm.Schema.Type == "array" {
				explode := true
				prm.Explode = &explode
			}
			op.Parameters = append(op.Parameters, prm)
		default:
			body.Properties[p.JSONName] = b.schema(p.Type)
		}
	}
	if bind.Body != "" && len(body.Properties) > 0 {
		name := m.RequestName()
		b.schemas[name] = body
		op.RequestBody = &requestBody{Required: true, Content: map[string]*mediaType{jsonType: {Schema: ref(name)}}}
	}
	result := &schema{Type: "object", Properties: map[string]*schema{}}
	for _, r := range m.Results {
		result.Properties[r.JSONName] = b.schema(r.Type)
	}
	b.schemas[m.ResponseName()] = result
	op.Responses["200"] = &response{Description: "OK", Content: map[string]*mediaType{jsonType: {Schema: ref(m.ResponseName())}}}
	errBody := map[string]*mediaType{jsonType: {Schema: ref("Error")}}
	op.Responses["400"] = &response{Description: "The request could not be decoded.", Content: errBody}
	op.Responses["501"] = &response{Description: "The method is not implemented yet.", Content: errBody}
	op.Responses["default"] = &response{Description: "An error; the status comes from the error's StatusCode() (500 otherwise).", Content: errBody}
	if m.HasError {
		addErrorStatuses(op, svc.ErrorStatuses, errBody)
	}
	return op
}

// addErrorStatuses lists the statuses of the errors with a //kitforge:status
// directive among op's responses, each described by its errors' doc comments
// (or names), after what the status already says.
func addErrorStatuses(op *operation, errs []model.ErrorStatus, errBody map[string]*mediaType) {
	for _, e := range errs {
		what := strings.Join(e.Doc, " ")
		if what == "" {
			what = e.Name + "."
		}
		key := strconv.Itoa(e.Status)
		if r, ok := op.Responses[key]; ok {
			r.Description += " " + what
			continue
		}
		op.Responses[key] = &response{Description: what, Content: errBody}
	}
}

// scalar describes a path or query parameter: a scalar, or an array of
// scalars for repeated query parameters. Durations are Go duration strings
// here, unlike in JSON bodies.
func (b *builder) scalar(t *model.Type) *schema {
	if t.IsNamed("time", "Duration") {
		return &schema{Type: "string", Format: "duration", Description: `a Go duration such as "1m30s"`}
	}
	r := t.Resolved()
	switch r.Kind {
	case model.Pointer:
		return b.scalar(r.Elem)
	case model.Slice, model.Array:
		return &schema{Type: "array", Items: b.scalar(r.Elem)}
	}
	return b.schema(t)
}

// schema describes a type as encoding/json writes it.
func (b *builder) schema(t *model.Type) *schema {
	switch {
	case t.IsNamed("time", "Time"):
		return &schema{Type: "string", Format: "date-time"}
	case t.IsNamed("time", "Duration"):
		return &schema{Type: "integer", Format: "int64", Description: "nanoseconds"}
	}
	switch t.Kind {
	case model.Basic:
		return basic(t.BasicName)
	case model.Named:
		if t.Underlying == nil || t.Underlying.Kind != model.Struct {
			s := b.schema(t.Underlying)
			if len(t.Enum) > 0 && s.Type == "string" {
				for _, e := range t.Enum {
					s.Enum = append(s.Enum, e.Name)
				}
			}
			return s
		}
		name := b.componentName(t.Ident)
		if _, ok := b.schemas[name]; !ok {
			b.schemas[name] = &schema{} // placeholder: recursive types refer to it
			b.schemas[name] = b.object(t.Underlying)
		}
		return ref(name)
	case model.Pointer:
		s := b.schema(t.Elem)
		if s.Ref != "" {
			return s // a $ref cannot carry siblings in OpenAPI 3.0
		}
		s.Nullable = true
		return s
	case model.Slice:
		if e := t.Elem.Resolved(); e.Kind == model.Basic && (e.BasicName == "byte" || e.BasicName == "uint8") {
			return &schema{Type: "string", Format: "byte"}
		}
		return &schema{Type: "array", Items: b.schema(t.Elem)}
	case model.Array:
		n := t.Len
		return &schema{Type: "array", Items: b.schema(t.Elem), MinItems: &n, MaxItems: &n}
	case model.Map:
		return &schema{Type: "object", AdditionalProperties: b.schema(t.Elem)}
	case model.Struct:
		return b.object(t)
	case model.ErrorValue:
		return &schema{Type: "string"}
	}
	return &schema{} // any
}

// object describes a struct's exported fields by their JSON names.
func (b *builder) object(t *model.Type) *schema {
	s := &schema{Type: "object", Properties: map[string]*schema{}}
	for _, f := range t.Fields {
		s.Properties[f.JSONName] = b.schema(f.Type)
	}
	return s
}

// componentName names a Go type's schema; types of different packages that
// share a name get their package's last element as a prefix.
func (b *builder) componentName(id model.Ident) string {
	if n, ok := b.names[id]; ok {
		return n
	}
	name := id.Name
	for other, n := range b.names {
		if n == name && other != id {
			name = model.Exported(id.ImportPath[strings.LastIndex(id.ImportPath, "/")+1:]) + id.Name
			break
		}
	}
	b.names[id] = name
	return name
}

func ref(name string) *schema { return &schema{Ref: "#/components/schemas/" + name} }

func basic(name string) *schema {
	zero := 0.0
	switch name {
	case "string":
		return &schema{Type: "string"}
	case "bool":
		return &schema{Type: "boolean"}
	case "float32":
		return &schema{Type: "number", Format: "float"}
	case "float64":
		return &schema{Type: "number", Format: "double"}
	case "int8", "int16", "int32", "rune":
		return &schema{Type: "integer", Format: "int32"}
	case "uint8", "byte", "uint16", "uint32":
		return &schema{Type: "integer", Format: "int32", Minimum: &zero}
	case "uint", "uint64", "uintptr":
		return &schema{Type: "integer", Format: "int64", Minimum: &zero}
	default:
		return &schema{Type: "integer", Format: "int64"}
	}
}
