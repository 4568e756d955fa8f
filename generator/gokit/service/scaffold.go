package service

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// Stub is the scaffolded method of one interface method, as the merge of an
// existing implementation file needs it.
type Stub struct {
	Name string
	// Source is the method declaration with its doc comment.
	Source []byte
	// Signature is "(params) (results)", with parameter names, for comparing
	// an existing method against the interface.
	Signature string
	// Imports are the import specs the stub needs ("path" or "alias path").
	Imports []string
}

// NewScaffoldFile starts a user-owned file in pkg.
func NewScaffoldFile(pkg gokit.Pkg) *jen.File {
	f := jen.NewFilePathName(pkg.Path, pkg.Name)
	f.HeaderComment(gokit.ScaffoldHeader)
	f.ImportAlias(gokit.KitLog, "log")
	return f
}

// Implementation emits <svc>/service_impl.go, created once: basicService with
// a stub per method that returns ErrNotImplemented, so an unimplemented
// method answers 501.
func Implementation(svc *model.Service, l gokit.Layout) ([]byte, error) {
	return implementation(NewScaffoldFile(l.Service), svc, l)
}

// ProtoImplementation emits <svc>/service_impl.go of a proto service,
// created once: basicService with a stub per rpc, streaming ones included,
// that returns ErrNotImplemented (Unimplemented on gRPC, 501 on HTTP).
func ProtoImplementation(ps *gokit.ProtoService) ([]byte, error) {
	f := NewScaffoldFile(ps.Layout.Service)
	ps.ImportNames(f)
	return implementation(f, ps.Svc, ps.Layout)
}

// implementation writes service_impl.go in f: the implementation type with
// a field per client of a callee, its constructor New and the stubs.
func implementation(f *jen.File, svc *model.Service, l gokit.Layout) ([]byte, error) {
	impl, ctor := l.Names.Name(gokit.ImplType), l.Names.Name("New")
	for _, line := range implementationDoc(svc, impl) {
		f.Comment(line)
	}
	var fields, params, values []jen.Code
	for _, c := range l.Calls {
		for _, cl := range c.Clients {
			fields = append(fields, jen.Id(cl.Param).Qual(cl.Service.Path, cl.Iface))
			params = append(params, jen.Id(cl.Param).Qual(cl.Service.Path, cl.Iface))
			values = append(values, jen.Id(cl.Param).Op(":").Id(cl.Param))
		}
	}
	f.Type().Id(impl).Struct(fields...)
	if svc.Source == model.SourceProto {
		f.Comment(ctor + " returns the " + svc.GoName + " implementation.")
	} else {
		f.Comment(ctor + " returns the " + svc.Name + " service implementation" + calleesDoc(l) + ".")
	}
	f.Func().Id(ctor).Params(params...).Id(svc.Interface.Name).Block(jen.Return(jen.Id(impl).Values(values...)))
	for _, m := range svc.Methods {
		genStub(f, m, l.Names)
	}
	return gokit.Render(f)
}

// implementationDoc is the doc comment of the implementation type impl,
// which says what a change of the service's declaration does.
func implementationDoc(svc *model.Service, impl string) []string {
	if svc.Source == model.SourceProto {
		return []string{
			impl + " implements " + svc.Interface.Name + ". Replace each stub's body with your logic; after",
			"you change the .proto, `kitforge generate` adds stubs for new rpcs here.",
		}
	}
	return []string{
		impl + " implements " + svc.Interface.Name + ". Replace each stub's body with your logic;",
		"after you change the interface, `kitforge generate` adds stubs for new methods here.",
	}
}

// Stubs returns the stub of every method, for merging into an existing
// implementation file. They are cut from one rendering of the whole
// scaffold, so a stub reads exactly as it would in a new file.
func Stubs(svc *model.Service, l gokit.Layout) ([]Stub, error) {
	src, err := Implementation(svc, l)
	if err != nil {
		return nil, err
	}
	return stubsOf(svc, src)
}

// ProtoStubs returns the stub of every rpc, for merging into an existing
// implementation file.
func ProtoStubs(ps *gokit.ProtoService) ([]Stub, error) {
	src, err := ProtoImplementation(ps)
	if err != nil {
		return nil, err
	}
	return stubsOf(ps.Svc, src)
}

// stubsOf cuts the stub of every method of svc out of src, a rendered
// implementation file.
func stubsOf(svc *model.Service, src []byte) ([]Stub, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "service_impl.go", src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("stubs: %w", err)
	}
	imports := map[string]string{} // package name → import spec
	for _, imp := range file.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name, spec := path.Base(p), p
		if imp.Name != nil {
			name, spec = imp.Name.Name, imp.Name.Name+" "+p
		}
		imports[name] = spec
	}
	byName := map[string]*ast.FuncDecl{}
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil {
			byName[fd.Name.Name] = fd
		}
	}
	out := make([]Stub, 0, len(svc.Methods))
	for _, m := range svc.Methods {
		fd := byName[m.Name]
		if fd == nil {
			return nil, fmt.Errorf("stubs: method %s not rendered", m.Name)
		}
		start := fd.Pos()
		if fd.Doc != nil {
			start = fd.Doc.Pos()
		}
		s := Stub{Name: m.Name, Source: src[fset.Position(start).Offset:fset.Position(fd.End()).Offset]}
		var sig bytes.Buffer
		_ = printer.Fprint(&sig, fset, &ast.FuncType{Params: fd.Type.Params, Results: fd.Type.Results})
		s.Signature = strings.TrimPrefix(sig.String(), "func")
		// The stub needs the imports whose names it uses.
		seen := map[string]bool{}
		ast.Inspect(fd, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && imports[id.Name] != "" && !seen[id.Name] {
					seen[id.Name] = true
					s.Imports = append(s.Imports, imports[id.Name])
				}
			}
			return true
		})
		out = append(out, s)
	}
	return out, nil
}

// genStub emits one not-implemented method of basicService. Methods that
// cannot return an error panic with ErrNotImplemented, which the endpoint's
// recovering middleware turns back into a 501.
func genStub(f *jen.File, m *model.Method, n gokit.ServiceNames) {
	var body jen.Code
	if m.HasError {
		vals := make([]jen.Code, 0, len(m.Results)+1)
		for _, r := range m.Results {
			vals = append(vals, ZeroValue(r.Type))
		}
		vals = append(vals, jen.Id(n.Name("ErrNotImplemented")))
		body = jen.Return(vals...)
	} else {
		body = jen.Panic(jen.Id(n.Name("ErrNotImplemented")))
	}
	doc := m.Doc
	if len(doc) == 0 {
		doc = []string{m.Name + " is not implemented yet."}
	}
	f.Comment(gokit.CommentBlock(doc))
	f.Func().Params(jen.Id("s").Id(n.Name(gokit.ImplType))).Id(m.Name).Params(gokit.Params(m)...).Params(gokit.Results(m)...).Block(body)
}

// ZeroValue spells the zero value of t.
func ZeroValue(t *model.Type) jen.Code {
	switch t.Kind {
	case model.Pointer, model.Slice, model.Map, model.Any, model.ErrorValue:
		return jen.Nil()
	case model.Array, model.Struct:
		return jen.Add(gokit.TypeCode(t)).Values()
	case model.Basic:
		return basicZero(t.BasicName)
	case model.Named:
		u := t.Underlying
		if u == nil {
			return jen.Add(gokit.TypeCode(t)).Values()
		}
		switch u.Kind {
		case model.Basic:
			return basicZero(u.BasicName)
		case model.Struct, model.Array:
			return jen.Add(gokit.TypeCode(t)).Values()
		default:
			return jen.Nil()
		}
	}
	return jen.Nil()
}

func basicZero(name string) jen.Code {
	switch name {
	case "string":
		return jen.Lit("")
	case "bool":
		return jen.False()
	default:
		return jen.Lit(0)
	}
}

// calleesDoc says which services New's parameters are clients of.
func calleesDoc(l gokit.Layout) string {
	var names []string
	for _, c := range l.Calls {
		names = append(names, c.Name)
	}
	if len(names) == 0 {
		return ""
	}
	return ", which calls " + strings.Join(names, " and ") + " through the parameters (main.go passes their generated clients)"
}

// ExampleInterface is the service interface `kitforge new` writes: two
// methods that show a JSON-body route and a GET route with a path and a
// query parameter.
func ExampleInterface(name string, svcPkg gokit.Pkg) []byte {
	return []byte(`// Package ` + svcPkg.Name + ` declares the ` + name + ` service. kitforge generates its
// endpoints, transports and wiring from the Service interface below: change the
// interface, then run ` + "`go generate ./...`" + ` (or ` + "`kitforge generate`" + `).
package ` + svcPkg.Name + `

import "context"

//go:generate kitforge generate

// Service is the ` + name + ` service.
//
//kitforge:service
type Service interface {
	// Sum returns the sum of a and b.
	// Served as POST /sum with a JSON body {"a": 1, "b": 2}.
	Sum(ctx context.Context, a, b int) (int, error)

	// Greet returns a greeting for name, with an exclamation mark when excited.
	//
	// kitforge:http GET /greet/{name}
	Greet(ctx context.Context, name string, excited bool) (string, error)
}
`)
}
