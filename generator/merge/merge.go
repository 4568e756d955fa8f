// Package merge keeps the user's code in scaffolded Go files when the
// service interface changes.
//
// Implementation updates the scaffolded service implementation
// (service_impl.go) against the interface's current methods:
//
//   - a new method gets its stub, placed after the method that precedes it in
//     interface order, with the receiver spelled like the user's;
//   - an exported method of the receiver type that left the interface is
//     moved, with its doc comment, into a marked comment block at the end of
//     the file, so the build passes and no code is lost (mark a method
//     //kitforge:keep to keep it as it is);
//   - a rename (exactly one method left the interface and exactly one is
//     new, with the same types and in the same place) renames the method,
//     keeping its body and doc comment; anything ambiguous is a removal
//     plus an addition;
//   - a changed signature is updated in place under a comment giving the
//     old one; the body stays, unless the results changed, in which case it
//     is kept in a comment and the stub body put in place;
//   - everything else (helpers, other types, imports, comments, formatting)
//     is left as it is.
//
// Edits are spliced into the original bytes at offsets taken from go/ast,
// so untouched code keeps its exact text; then imports are fixed and the
// file is gofmt'd. A file that needs no edit is returned byte for byte.
package merge

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// Method is what merge needs of one interface method.
type Method struct {
	// Name is the method's name ("Sum").
	Name string
	// Stub is the full source of the stub method declaration, doc comment
	// included, as the scaffold writes it, with the default receiver
	// ("(s basicService)"). Merge respells the receiver like the user's.
	Stub []byte
	// Signature is the method's signature without "func" and name, e.g.
	// "(ctx context.Context, a int, b int) (int, error)". Signatures are
	// compared by parameter and result types only, so it must agree with
	// the stub's; "" means the stub's.
	Signature string
	// Imports are the imports the stub needs: an import path, or an alias
	// and a path separated by a space ("kithttp github.com/go-kit/kit/transport/http").
	// Give an alias when the package name is not the path's last element.
	Imports []string
	// ReplaceBody, when the method's parameters changed, keeps its old body
	// only in a comment and puts the stub's body in place, as a change of
	// results does. Callers set it for the methods of Result.KeptBodies whose
	// kept body does not compile against the new parameters, and merge again.
	ReplaceBody bool
}

// Result is a merged file and what the merge did, for the user.
type Result struct {
	Src   []byte
	Notes []string
	// KeptBodies names the methods whose parameters changed and whose body
	// was kept: the body may no longer compile (see Method.ReplaceBody).
	KeptBodies []string
}

// Implementation merges methods into existing, the source of a scaffolded
// implementation file named filename whose methods have the receiver type
// receiverType. Merging its own output again with the same methods returns
// the same bytes and no notes. A file that does not parse is a *model.Error.
func Implementation(existing []byte, filename, receiverType string, methods []Method) (Result, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, existing, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return Result{}, syntaxError(err, filename)
	}
	stubs, err := parseStubs(methods)
	if err != nil {
		return Result{}, err
	}
	m := &merger{file: newFile(fset, f, existing), recvType: receiverType}
	m.plan(stubs)
	if len(m.edits) == 0 {
		return Result{Src: existing}, nil
	}
	src, err := apply(existing, m.edits)
	if err != nil {
		return Result{}, err
	}
	src, err = fixImports(f, src, m.imports)
	if err != nil {
		return Result{}, fmt.Errorf("merge %s: %w", filename, err)
	}
	if bytes.Equal(src, existing) {
		return Result{Src: existing}, nil
	}
	return Result{Src: src, Notes: m.notes, KeptBodies: m.kept}, nil
}

// syntaxError turns a parse error of the user's file into a positioned
// *model.Error.
func syntaxError(err error, filename string) error {
	const hint = "fix the syntax error in your file, then re-run kitforge generate"
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		p := list[0].Pos
		return model.Errorf(model.Pos{File: filename, Line: p.Line, Col: p.Column}, hint, "syntax error: %s", list[0].Msg)
	}
	return model.Errorf(model.Pos{File: filename}, hint, "syntax error: %v", err)
}

// merger collects the edits of one merge.
type merger struct {
	file     *file
	recvType string
	edits    []edit
	notes    []string
	imports  []string // imports that added or changed methods need
	kept     []string // methods whose parameters changed and body was kept
}

// plan computes every edit and note.
func (m *merger) plan(stubs []*stub) {
	decls := m.file.methodsOf(m.recvType)
	byName := map[string]*ast.FuncDecl{}
	for _, d := range decls {
		if _, dup := byName[d.Name.Name]; !dup {
			byName[d.Name.Name] = d
		}
	}
	inInterface := map[string]bool{}
	for _, s := range stubs {
		inInterface[s.name] = true
	}
	var removed []*ast.FuncDecl
	for _, d := range decls {
		if !inInterface[d.Name.Name] && ast.IsExported(d.Name.Name) && !hasKeep(d) {
			removed = append(removed, d)
		}
	}
	if d, s := renamed(decls, removed, stubs, byName, inInterface); d != nil {
		m.rename(d, s)
		byName[s.name], removed = d, nil
	}
	recv := m.receiver(decls, stubs)
	for i, s := range stubs {
		if d := byName[s.name]; d != nil {
			m.update(d, s)
			continue
		}
		m.add(i, s, stubs, byName, recv)
	}
	for _, d := range removed {
		m.remove(d)
	}
}

// renamed finds a method the user renamed in the interface: exactly one
// method left it and exactly one is new, with the same parameter and result
// types, and the new one stands where the old one did (the old one's index
// among the file's interface methods is the new one's in the interface).
// Anything else, it returns nil, and the merge removes and adds.
func renamed(decls, removed []*ast.FuncDecl, stubs []*stub, byName map[string]*ast.FuncDecl, inInterface map[string]bool) (*ast.FuncDecl, *stub) {
	if len(removed) != 1 {
		return nil, nil
	}
	added := -1
	for i, s := range stubs {
		if byName[s.name] != nil {
			continue
		}
		if added >= 0 {
			return nil, nil
		}
		added = i
	}
	if added < 0 {
		return nil, nil
	}
	old, s := removed[0], stubs[added]
	if !signatureOf(token.NewFileSet(), old.Type).equal(s.sig) {
		return nil, nil
	}
	pos := 0
	for _, d := range decls {
		if d == old {
			break
		}
		if inInterface[d.Name.Name] && byName[d.Name.Name] == d {
			pos++
		}
	}
	if pos != added {
		return nil, nil
	}
	return old, s
}

// rename gives d, whose signature is the stub's, the stub's name, and its
// doc comment too when it starts with the old name, as Go doc comments do;
// the body stays as it is.
func (m *merger) rename(d *ast.FuncDecl, s *stub) {
	f, old := m.file, d.Name.Name
	m.edits = append(m.edits, edit{start: f.offset(d.Name.Pos()), end: f.offset(d.Name.End()), text: s.name})
	if d.Doc != nil {
		c := d.Doc.List[0]
		if rest, ok := strings.CutPrefix(c.Text, "// "+old); ok && (rest == "" || rest[0] == ' ') {
			at := f.offset(c.Pos()) + len("// ")
			m.edits = append(m.edits, edit{start: at, end: at + len(old), text: s.name})
		}
	}
	m.notes = append(m.notes, "renamed "+old+" to "+s.name)
}

// add inserts the stub for the new method stubs[i] after the nearest
// preceding interface method in the file, else before the nearest following
// one, else at the end of the code.
func (m *merger) add(i int, s *stub, stubs []*stub, byName map[string]*ast.FuncDecl, recv receiver) {
	text := s.withReceiver(recv)
	e := edit{text: "\n\n" + text + "\n"}
	found := false
	for j := i - 1; j >= 0 && !found; j-- {
		if d := byName[stubs[j].name]; d != nil {
			e.start, found = m.file.end(d), true
		}
	}
	for j := i + 1; j < len(stubs) && !found; j++ {
		if d := byName[stubs[j].name]; d != nil {
			e.start, found = m.file.start(d), true
			e.text = text + "\n\n"
		}
	}
	if !found {
		e.start = m.file.codeEnd()
		e.text += "\n"
	}
	e.end = e.start
	m.edits = append(m.edits, e)
	m.imports = append(m.imports, s.imports...)
	m.notes = append(m.notes, "added stub for "+s.name)
}

// update rewrites the signature of d when it differs from the stub's.
func (m *merger) update(d *ast.FuncDecl, s *stub) {
	old := signatureOf(m.file.fset, d.Type)
	if old.equal(s.sig) {
		return
	}
	f := m.file
	was := "func " + f.oneLine(d.Recv) + " " + d.Name.Name + f.signatureText(d.Type)
	m.edits = append(m.edits, edit{
		start: f.offset(d.Type.Func), end: f.offset(d.Type.Func),
		text: "// kitforge: signature changed; was: " + was + "\n",
	})
	params := "(" + s.paramsFor(f.paramNames(d.Type)) + ")"
	open := f.offset(d.Type.Params.Opening)
	m.imports = append(m.imports, s.imports...)
	sameResults := old.sameResults(s.sig)
	if sameResults && !s.replaceBody {
		m.edits = append(m.edits, edit{start: open, end: f.offset(d.Type.Params.Closing) + 1, text: params})
		m.notes = append(m.notes, fmt.Sprintf("changed the parameters of %s; kept its body", s.name))
		m.kept = append(m.kept, s.name)
		return
	}
	why, note := "the results changed", fmt.Sprintf("changed the results of %s: kept the old body in a comment and put a stub body in place", s.name)
	if sameResults {
		why, note = "the parameters changed and the old body no longer compiled", fmt.Sprintf("changed the parameters of %s: its body no longer compiled, so kept it in a comment and put a stub body in place", s.name)
	}
	m.edits = append(m.edits, edit{start: open, end: f.offset(d.Type.End()), text: params + s.resultsText()})
	if d.Body != nil {
		// Indented, so gofmt does not take the comment for a doc comment.
		body := "{\n" + indent(s.bodyInner())
		if inner := f.bodyInner(d.Body); inner != "" {
			body = "{\n" + indent("// kitforge: "+why+", so the old body is kept in this comment and the stub body below replaces it.\n"+
				lineComment(inner)+"\n"+s.bodyInner())
		}
		m.edits = append(m.edits, edit{start: f.offset(d.Body.Lbrace), end: f.offset(d.Body.Rbrace) + 1, text: body + "}"})
	}
	m.notes = append(m.notes, note)
}

// remove moves d, with its doc comment, into a comment block at the end of
// the file.
func (m *merger) remove(d *ast.FuncDecl) {
	f := m.file
	start, end := f.start(d), f.end(d)
	m.edits = append(m.edits,
		edit{start: start, end: end},
		edit{start: len(f.src), end: len(f.src), text: "\n\n" + removedMarker + "\n" + commentOut(string(f.src[start:end])) + "\n"},
	)
	m.notes = append(m.notes, fmt.Sprintf("moved removed method %s into a comment block at the end of the file", d.Name.Name))
}

// receiver is how new stubs spell their receiver.
type receiver struct {
	name, typ string // typ includes the "*" of a pointer receiver
}

// receiver returns the receiver of the user's first method of the type, or
// the stubs' receiver name with the type's name when there is none.
func (m *merger) receiver(decls []*ast.FuncDecl, stubs []*stub) receiver {
	if len(decls) > 0 {
		field := decls[0].Recv.List[0]
		r := receiver{typ: m.file.oneLine(field.Type)}
		if len(field.Names) > 0 {
			r.name = field.Names[0].Name
		}
		return r
	}
	r := receiver{name: "s", typ: m.recvType}
	if len(stubs) > 0 {
		r.name = stubs[0].recvName
		if stubs[0].recvPointer {
			r.typ = "*" + m.recvType
		}
	}
	return r
}

// hasKeep reports whether d's doc comment holds the //kitforge:keep directive.
func hasKeep(d *ast.FuncDecl) bool {
	if d.Doc == nil {
		return false
	}
	for _, c := range d.Doc.List {
		if c.Text == "//kitforge:keep" {
			return true
		}
	}
	return false
}
