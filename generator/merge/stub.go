package merge

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// stubPrefix makes a stub declaration parse as a file.
const stubPrefix = "package stub\n\n"

// stub is a parsed Method.Stub.
type stub struct {
	name    string
	imports []string
	sig     signature
	f       *file // the stub alone, after stubPrefix
	decl    *ast.FuncDecl
	// recvName and recvPointer describe the stub's receiver.
	recvName    string
	recvPointer bool
	replaceBody bool // Method.ReplaceBody
}

// parseStubs parses every method's stub; a bad stub is a bug in the caller.
func parseStubs(methods []Method) ([]*stub, error) {
	seen := map[string]bool{}
	out := make([]*stub, 0, len(methods))
	for _, m := range methods {
		if seen[m.Name] {
			return nil, fmt.Errorf("merge: method %s listed twice", m.Name)
		}
		seen[m.Name] = true
		s, err := parseStub(m)
		if err != nil {
			return nil, fmt.Errorf("merge: stub for %s: %w", m.Name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func parseStub(m Method) (*stub, error) {
	src := stubPrefix + strings.TrimSpace(string(m.Stub))
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "stub.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	if len(f.Decls) != 1 {
		return nil, fmt.Errorf("want one method declaration, got %d declarations", len(f.Decls))
	}
	d, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok || d.Recv == nil || len(d.Recv.List) != 1 || d.Name.Name != m.Name || d.Body == nil {
		return nil, fmt.Errorf("want a method %s with a receiver and a body", m.Name)
	}
	s := &stub{name: m.Name, imports: m.Imports, f: newFile(fset, f, []byte(src)), decl: d, replaceBody: m.ReplaceBody}
	s.sig = signatureOf(fset, d.Type)
	if m.Signature != "" {
		e, err := parser.ParseExprFrom(fset, "signature", "func"+m.Signature, 0)
		ft, ok := e.(*ast.FuncType)
		if err != nil || !ok {
			return nil, fmt.Errorf("bad signature %q: %v", m.Signature, err)
		}
		if sig := signatureOf(fset, ft); !sig.equal(s.sig) {
			return nil, fmt.Errorf("signature %q does not match the stub's", m.Signature)
		}
	}
	r := d.Recv.List[0]
	if len(r.Names) > 0 {
		s.recvName = r.Names[0].Name
	}
	_, s.recvPointer = r.Type.(*ast.StarExpr)
	return s, nil
}

// withReceiver is the stub's source with its receiver spelled as r. A
// receiver name that a parameter or result already uses is left out.
func (s *stub) withReceiver(r receiver) string {
	recv := "(" + r.typ + ")"
	if r.name != "" && !s.declares(r.name) {
		recv = "(" + r.name + " " + r.typ + ")"
	}
	src := string(s.f.src)
	open, closing := s.f.offset(s.decl.Recv.Opening), s.f.offset(s.decl.Recv.Closing)
	return src[len(stubPrefix):open] + recv + src[closing+1:]
}

// declares reports whether a parameter or result of the stub is named name.
func (s *stub) declares(name string) bool {
	for _, l := range []*ast.FieldList{s.decl.Type.Params, s.decl.Type.Results} {
		if l == nil {
			continue
		}
		for _, f := range l.List {
			for _, n := range f.Names {
				if n.Name == name {
					return true
				}
			}
		}
	}
	return false
}

// paramsFor is the stub's parameter list (without parentheses) with the
// user's parameter names when the user's method has as many parameters,
// so a body that uses renamed parameters keeps compiling.
func (s *stub) paramsFor(userNames []string) string {
	var types []string
	for _, f := range s.decl.Type.Params.List {
		for range max(1, len(f.Names)) {
			types = append(types, s.f.oneLine(f.Type))
		}
	}
	if len(userNames) != len(types) || len(types) == 0 {
		return s.f.fieldsText(s.decl.Type.Params)
	}
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = strings.TrimSpace(userNames[i] + " " + t)
	}
	return strings.Join(parts, ", ")
}

// resultsText is the stub's result list as written after the parameters,
// with a leading space, or "" when there are no results.
func (s *stub) resultsText() string {
	full := s.f.signatureText(s.decl.Type)
	params := "(" + s.f.fieldsText(s.decl.Type.Params) + ")"
	return strings.TrimPrefix(full, params)
}

// bodyInner is the code between the stub body's braces, ending in a newline.
func (s *stub) bodyInner() string {
	code := s.f.bodyInner(s.decl.Body)
	if code == "" {
		return ""
	}
	return code + "\n"
}
