// Tests for Implementation run the scenarios in testdata/*.txtar. Each
// archive holds the user's file before regeneration (in.go), the stubs of
// the interface's methods as the scaffold writes them (methods.go: a package
// clause, the imports the stubs need, one stub per method in interface
// order) and the expected result: out.go and notes, or error for input that
// must be refused. The archive comment describes the case; a line
// "receiver: T" names a receiver type other than basicService.
//
// Every expected out.go must type-check against the interface the stubs
// describe, and merging it again must change nothing.
//
// After an intended change of behaviour, refresh the expected files with
//
//	go test ./generator/merge -update
//
// and review the diff.
package merge

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	udiff "github.com/aymanbagabas/go-udiff"
	"golang.org/x/tools/txtar"

	"github.com/kitforge/kitforge/generator/model"
)

var update = flag.Bool("update", false, "rewrite the expected out.go, notes and error of testdata/*.txtar")

func TestImplementation(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	for _, name := range files {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			runCase(t, name)
		})
	}
}

// runCase merges in.go and compares the result with the archive.
func runCase(t *testing.T, name string) {
	ar, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	in, recv := section(t, ar, "in.go"), receiverOf(ar.Comment)
	methods := stubMethods(t, section(t, ar, "methods.go"))
	res, err := Implementation(in, "service_impl.go", recv, methods)
	if err != nil {
		var merr *model.Error
		if !errors.As(err, &merr) {
			t.Errorf("error %v is not a *model.Error", err)
		}
		check(t, ar, name, "error", []byte(err.Error()+"\n"))
		return
	}
	notes := strings.Join(res.Notes, "\n")
	if notes != "" {
		notes += "\n"
	}
	check(t, ar, name, "out.go", res.Src)
	check(t, ar, name, "notes", []byte(notes))

	again, err := Implementation(res.Src, "service_impl.go", recv, methods)
	if err != nil {
		t.Fatalf("merging the output again: %v", err)
	}
	if !bytes.Equal(again.Src, res.Src) || len(again.Notes) > 0 {
		t.Errorf("merge is not idempotent; notes %q, diff:\n%s", again.Notes,
			udiff.Unified("first", "second", string(res.Src), string(again.Src)))
	}
	typeCheck(t, res.Src, recv, methods)
}

// check compares got with the archive's file, or rewrites it under -update.
func check(t *testing.T, ar *txtar.Archive, name, file string, got []byte) {
	t.Helper()
	if *update {
		setSection(ar, file, got)
		if err := os.WriteFile(name, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := section(t, ar, file)
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (go test ./generator/merge -update refreshes it):\n%s",
			file, name, udiff.Unified("want/"+file, "got/"+file, string(want), string(got)))
	}
}

func section(t testing.TB, ar *txtar.Archive, file string) []byte {
	t.Helper()
	for _, f := range ar.Files {
		if f.Name == file {
			return f.Data
		}
	}
	if *update {
		return nil
	}
	t.Fatalf("archive has no %s", file)
	return nil
}

func setSection(ar *txtar.Archive, file string, data []byte) {
	for i := range ar.Files {
		if ar.Files[i].Name == file {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: file, Data: data})
}

// receiverOf reads "receiver: T" from the archive comment.
func receiverOf(comment []byte) string {
	for _, l := range strings.Split(string(comment), "\n") {
		if r, ok := strings.CutPrefix(l, "receiver: "); ok {
			return strings.TrimSpace(r)
		}
	}
	return "basicService"
}

// stubMethods turns each method declaration of methods.go into a Method:
// its source as the stub, its signature text, and the imports it uses.
func stubMethods(t testing.TB, src []byte) []Method {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "methods.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	tf := fset.File(f.Pos())
	text := func(from, to token.Pos) string { return string(src[tf.Offset(from):tf.Offset(to)]) }
	var out []Method
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		start := fd.Pos()
		if fd.Doc != nil {
			start = fd.Doc.Pos()
		}
		m := Method{
			Name:      fd.Name.Name,
			Stub:      []byte(text(start, fd.End())),
			Signature: text(fd.Type.Params.Pos(), fd.Type.End()),
		}
		used := qualifiers(&ast.File{Decls: []ast.Decl{fd}})
		for _, spec := range f.Imports {
			name, p := importName(spec), importPath(spec)
			if used[localName(name, p)] {
				m.Imports = append(m.Imports, strings.TrimSpace(name+" "+p))
			}
		}
		out = append(out, m)
	}
	return out
}

// typeCheck checks that src compiles together with the interface the
// methods describe, and that the receiver type implements it.
func typeCheck(t *testing.T, src []byte, recv string, methods []Method) {
	t.Helper()
	fset := token.NewFileSet()
	impl, err := parser.ParseFile(fset, "service_impl.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport (\n", impl.Name.Name)
	var iface strings.Builder
	imported := map[string]bool{}
	for _, m := range methods {
		fmt.Fprintf(&iface, "\t%s%s\n", m.Name, m.Signature)
		for _, imp := range m.Imports {
			name, p := splitImport(imp)
			if !imported[imp] && strings.Contains(m.Signature, localName(name, p)+".") {
				imported[imp] = true
				fmt.Fprintf(&b, "\t%s %q\n", name, p)
			}
		}
	}
	fmt.Fprintf(&b, ")\n\n// Service is the interface under test.\ntype Service interface {\n%s}\n\n", iface.String())
	b.WriteString("type notImplemented struct{}\n\nfunc (notImplemented) Error() string { return \"not implemented\" }\n\n")
	b.WriteString("// ErrNotImplemented is what stubs return.\nvar ErrNotImplemented error = notImplemented{}\n\n")
	fmt.Fprintf(&b, "var _ Service = (*%s)(nil)\n", recv)
	svc, err := parser.ParseFile(fset, "service.go", b.String(), 0)
	if err != nil {
		t.Fatalf("service.go: %v\n%s", err, b.String())
	}
	conf := types.Config{Importer: importer.Default()}
	if _, err := conf.Check(impl.Name.Name, fset, []*ast.File{impl, svc}, nil); err != nil {
		t.Errorf("merged file does not compile: %v\nservice.go:\n%s", err, b.String())
	}
}
