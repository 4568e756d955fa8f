package merge

import (
	"go/ast"
	"go/token"
	"strings"
)

// file is the user's parsed file with its source, for offset arithmetic.
type file struct {
	fset *token.FileSet
	ast  *ast.File
	tf   *token.File
	src  []byte
}

func newFile(fset *token.FileSet, f *ast.File, src []byte) *file {
	return &file{fset: fset, ast: f, tf: fset.File(f.Pos()), src: src}
}

// offset is the byte offset of p in src.
func (f *file) offset(p token.Pos) int { return f.tf.Offset(p) }

// text is the source text of n.
func (f *file) text(n ast.Node) string { return string(f.src[f.offset(n.Pos()):f.offset(n.End())]) }

// oneLine is the source text of n with every run of white space made one space.
func (f *file) oneLine(n ast.Node) string { return strings.Join(strings.Fields(f.text(n)), " ") }

// methodsOf returns the methods declared on typ or *typ, in source order.
func (f *file) methodsOf(typ string) []*ast.FuncDecl {
	var out []*ast.FuncDecl
	for _, d := range f.ast.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if ok && fd.Recv != nil && len(fd.Recv.List) == 1 && receiverTypeName(fd.Recv.List[0].Type) == typ {
			out = append(out, fd)
		}
	}
	return out
}

// receiverTypeName is the name of the type in a receiver: T, *T, T[P] or (T).
func receiverTypeName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		default:
			return ""
		}
	}
}

// start is where d begins, doc comment included.
func (f *file) start(d *ast.FuncDecl) int {
	if d.Doc != nil {
		return f.offset(d.Doc.Pos())
	}
	return f.offset(d.Pos())
}

// end is where d ends, including a ";" and a // comment on the line of its
// closing brace.
func (f *file) end(d *ast.FuncDecl) int {
	i := f.offset(d.End())
	if i < len(f.src) && f.src[i] == ';' {
		i++
	}
	j := i
	for j < len(f.src) && (f.src[j] == ' ' || f.src[j] == '\t') {
		j++
	}
	if !strings.HasPrefix(string(f.src[j:min(j+2, len(f.src))]), "//") {
		return i
	}
	for j < len(f.src) && f.src[j] != '\n' {
		j++
	}
	return j
}

// codeEnd is where code appended to the file goes: before the blocks of
// removed methods, else at the end.
func (f *file) codeEnd() int {
	var last token.Pos
	if n := len(f.ast.Decls); n > 0 {
		last = f.ast.Decls[n-1].End()
	}
	for _, g := range f.ast.Comments {
		if g.Pos() > last && strings.HasPrefix(g.List[0].Text, removedPrefix) {
			return f.offset(g.Pos())
		}
	}
	return len(f.src)
}

// signatureText is a function type's signature on one line, without
// "func": "(ctx context.Context, a int) (int, error)".
func (f *file) signatureText(ft *ast.FuncType) string {
	s := "(" + f.fieldsText(ft.Params) + ")"
	switch {
	case ft.Results == nil || len(ft.Results.List) == 0:
	case !ft.Results.Opening.IsValid():
		s += " " + f.fieldsText(ft.Results)
	default:
		s += " (" + f.fieldsText(ft.Results) + ")"
	}
	return s
}

// fieldsText joins a field list's fields on one line.
func (f *file) fieldsText(l *ast.FieldList) string {
	parts := make([]string, len(l.List))
	for i, field := range l.List {
		parts[i] = f.oneLine(field)
	}
	return strings.Join(parts, ", ")
}

// paramNames lists the parameter names of ft, one per parameter ("" for
// unnamed ones).
func (f *file) paramNames(ft *ast.FuncType) []string {
	var names []string
	for _, field := range ft.Params.List {
		if len(field.Names) == 0 {
			names = append(names, "")
		}
		for _, n := range field.Names {
			names = append(names, n.Name)
		}
	}
	return names
}

// bodyInner is the dedented code between a body's braces, "" when there is none.
func (f *file) bodyInner(b *ast.BlockStmt) string {
	return dedent(string(f.src[f.offset(b.Lbrace)+1 : f.offset(b.Rbrace)]))
}
