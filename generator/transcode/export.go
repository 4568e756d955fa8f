package transcode

import (
	"bytes"
	"embed"
	"fmt"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// runtime holds the source of the files copied into generated code.
//
//go:embed template.go router.go fields.go request.go response.go errors.go stream.go client.go
var runtime embed.FS

// runtimeFiles are the copied files, in the order they are concatenated.
var runtimeFiles = []string{"router.go", "template.go", "request.go", "fields.go", "response.go", "errors.go", "stream.go", "client.go"}

// fileDoc introduces the copied runtime in generated code.
const fileDoc = `// HTTP/JSON transcoding runtime, copied by kitforge from its package
// generator/transcode: a router that matches google.api.http path templates
// segment by segment, the request decoder (path variables, query parameters,
// body), the protojson response encoder and the gRPC status to HTTP status
// mapping, streaming over HTTP (ServeServerStream, ServeClientStream), and the
// client side of a binding (EncodeRequest, DecodeResponse).
// NewHTTPHandler in each service's http_gen.go wires it to the
// service's endpoints.`

// Source returns the runtime as one gofmt'd Go file of package pkg, with
// header, for the runtime package of a generated module. The runtime files are gofmt'd
// and their imports are merged into gofmt's layout (standard library, a
// blank line, the others, each group sorted), so the result needs no
// formatting pass (TestSourceIsFormatted checks it).
func Source(header, pkg string) ([]byte, error) {
	var imports []string
	var bodies bytes.Buffer
	for _, name := range runtimeFiles {
		src, err := runtime.ReadFile(name)
		if err != nil {
			return nil, err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
		if err != nil {
			return nil, fmt.Errorf("transcode: %s: %w", name, err)
		}
		start := fset.Position(f.Name.End()).Offset
		if n := len(f.Decls); n > 0 {
			start = fset.Position(f.Decls[n-1].End()).Offset
		}
		for _, imp := range f.Imports {
			spec := imp.Path.Value
			if imp.Name != nil {
				spec = imp.Name.Name + " " + spec
			}
			if !slices.Contains(imports, spec) {
				imports = append(imports, spec)
			}
		}
		bodies.Write(bytes.TrimLeft(src[start:], "\n"))
		bodies.WriteString("\n")
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s\n\n%s\n\npackage %s\n\nimport (\n", header, fileDoc, pkg)
	var std, other []string
	for _, spec := range imports {
		p, _ := strconv.Unquote(spec[strings.LastIndexByte(spec, ' ')+1:])
		if strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
			other = append(other, spec)
		} else {
			std = append(std, spec)
		}
	}
	slices.Sort(std)
	slices.Sort(other)
	for _, s := range std {
		b.WriteString("\t" + s + "\n")
	}
	b.WriteString("\n")
	for _, s := range other {
		b.WriteString("\t" + s + "\n")
	}
	b.WriteString(")\n\n")
	b.Write(bytes.TrimRight(bodies.Bytes(), "\n"))
	b.WriteString("\n")
	return b.Bytes(), nil
}

// Template is a google.api.http path template as kitforge checks it when it
// generates routes.
type Template struct {
	// Fields are the field paths the template binds, in order.
	Fields []string
	// Verb is the custom verb ("merge" in ".../{name=*}:merge"), or "".
	Verb string
	// Shape is the template without variable names: two routes with the
	// same HTTP method and shape match the same requests.
	Shape string
	// Segments are the "/"-separated segments of the path, variables
	// expanded into the segments of their patterns ({name=shelves/*} is
	// the literal "shelves" and a wildcard, both of field name).
	Segments []Segment
}

// Segment is one segment of a path template.
type Segment struct {
	// Literal is the text of a literal segment, "" for a wildcard.
	Literal string
	// Wild is "*" (one segment) or "**" (any number, only last) for a
	// wildcard, "" for a literal.
	Wild string
	// Field is the field path of the variable the segment is part of, ""
	// outside variables.
	Field string
}

// ParseTemplate parses and checks a path template exactly as the runtime
// will at start-up.
func ParseTemplate(s string) (*Template, error) {
	t, err := parsePathTemplate(s)
	if err != nil {
		return nil, err
	}
	fields := make([]string, len(t.vars))
	for i, v := range t.vars {
		fields[i] = v.field
	}
	segments := make([]Segment, len(t.segments))
	for i, seg := range t.segments {
		segments[i] = Segment{Literal: seg.literal, Wild: [...]string{segLiteral: "", segStar: "*", segDeep: "**"}[seg.kind]}
		for _, v := range t.vars {
			if i >= v.start && i < v.end {
				segments[i].Field = v.field
			}
		}
	}
	return &Template{Fields: fields, Verb: t.verb, Shape: t.shape(), Segments: segments}, nil
}

// WholeVariable reports whether segment i is a variable's only segment
// ({id}, {id=*}) rather than part of a pattern ({name=shelves/*}).
func (t *Template) WholeVariable(i int) bool {
	s := t.Segments
	return s[i].Field != "" && (i == 0 || s[i-1].Field != s[i].Field) && (i == len(s)-1 || s[i+1].Field != s[i].Field)
}

// FieldByPath resolves a dotted proto field path ("book.name") in md, or
// returns nil.
func FieldByPath(md protoreflect.MessageDescriptor, path string) protoreflect.FieldDescriptor {
	var fd protoreflect.FieldDescriptor
	for name := range strings.SplitSeq(path, ".") {
		if md == nil {
			return nil
		}
		if fd = md.Fields().ByName(protoreflect.Name(name)); fd == nil {
			return nil
		}
		md = fd.Message()
	}
	return fd
}

// SubPaths returns the dotted field paths of paths that lie inside field
// name, relative to it ("book.name" inside "book" is "name"), or nil.
func SubPaths(paths []string, name string) []string {
	var out []string
	for _, p := range paths {
		if rest, ok := strings.CutPrefix(p, name+"."); ok {
			out = append(out, rest)
		}
	}
	return out
}

// ScalarMessage reports whether a well-known message type can be carried
// by a single string in a path variable or query parameter (Timestamp,
// Duration, FieldMask, the wrappers).
func ScalarMessage(name protoreflect.FullName) bool { return scalarMessages[name] }
