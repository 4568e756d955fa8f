package merge

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/tools/go/ast/astutil"
)

// fixImports parses the spliced source, removes the imports that the edits
// left unused (used in orig, unused now: code moved into a comment, a
// parameter type changed), and adds the needed imports that the source
// uses. Imports the user left unused themselves are not touched. The result
// is gofmt'd.
func fixImports(orig *ast.File, src []byte, needed []string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("internal error: merged source does not parse: %w", err)
	}
	before, used := qualifiers(orig), qualifiers(f)
	var add [][2]string // name, path
	for _, imp := range needed {
		name, p := splitImport(imp)
		if used[localName(name, p)] && !hasImport(f, name, p) && !slices.Contains(add, [2]string{name, p}) {
			add = append(add, [2]string{name, p})
		}
	}
	if len(add) > 0 && len(f.Imports) == 0 {
		if fset, f, src, err = withImportDecl(src, fset, f); err != nil {
			return nil, err
		}
	}
	changed := false
	// Adding first means a declaration that loses its last import to the
	// deletions below but gains one here is kept where it is.
	for _, a := range add {
		changed = astutil.AddNamedImport(fset, f, a[0], a[1]) || changed
	}
	for _, spec := range slices.Clone(f.Imports) {
		name, p := importName(spec), importPath(spec)
		local := localName(name, p)
		if name != "_" && name != "." && before[local] && !used[local] {
			if astutil.DeleteNamedImport(fset, f, name, p) {
				dropComments(f, spec.Doc, spec.Comment)
				changed = true
			}
		}
	}
	if changed {
		var b bytes.Buffer
		if err := format.Node(&b, fset, f); err != nil {
			return nil, err
		}
		src = b.Bytes()
	}
	return format.Source(src)
}

// withImportDecl splices an empty import declaration into src, which has
// none, right after the package clause's line, and parses the result.
// astutil.AddNamedImport would place a new declaration by guessing at
// offsets, which can put it between a declaration and its doc comment.
func withImportDecl(src []byte, fset *token.FileSet, f *ast.File) (*token.FileSet, *ast.File, []byte, error) {
	tf := fset.File(f.Package)
	at := tf.Offset(f.Name.End())
	text := "; import ()"
	if eol := bytes.IndexByte(src[at:], '\n'); eol >= 0 && (len(f.Decls) == 0 || tf.Line(f.Decls[0].Pos()) > tf.Line(f.Name.End())) {
		at, text = at+eol, "\n\nimport ()\n"
	}
	out := append(append(append([]byte(nil), src[:at]...), text...), src[at:]...)
	nfset := token.NewFileSet()
	nf, err := parser.ParseFile(nfset, "", out, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("internal error: adding an import declaration: %w", err)
	}
	return nfset, nf, out, nil
}

// dropComments removes the comment groups of a deleted import spec from f,
// which astutil.DeleteNamedImport leaves behind unless one spec remains.
func dropComments(f *ast.File, groups ...*ast.CommentGroup) {
	f.Comments = slices.DeleteFunc(f.Comments, func(g *ast.CommentGroup) bool {
		return g != nil && slices.Contains(groups, g)
	})
}

// qualifiers is the set of identifiers used as X in X.Sel: the package
// names a file uses (and, harmlessly, some variables).
func qualifiers(f *ast.File) map[string]bool {
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	return used
}

// hasImport reports whether f imports p under the name the stub uses.
func hasImport(f *ast.File, name, p string) bool {
	for _, spec := range f.Imports {
		if importPath(spec) == p && localName(importName(spec), p) == localName(name, p) {
			return true
		}
	}
	return false
}

// splitImport splits "alias path" or "path".
func splitImport(imp string) (name, p string) {
	if name, p, ok := strings.Cut(strings.TrimSpace(imp), " "); ok {
		return name, strings.Trim(strings.TrimSpace(p), `"`)
	}
	return "", strings.Trim(strings.TrimSpace(imp), `"`)
}

func importName(s *ast.ImportSpec) string {
	if s.Name == nil {
		return ""
	}
	return s.Name.Name
}

func importPath(s *ast.ImportSpec) string {
	p, err := strconv.Unquote(s.Path.Value)
	if err != nil {
		return ""
	}
	return p
}

// localName is the name an import is used by: its alias, else the name
// assumed from its path, as goimports assumes it ("github.com/go-kit/log" →
// log, "gopkg.in/yaml.v3" → yaml, "example.com/mod/v2" → mod).
func localName(name, p string) string {
	if name != "" {
		return name
	}
	base := path.Base(p)
	if strings.HasPrefix(base, "v") {
		if _, err := strconv.Atoi(base[1:]); err == nil && path.Dir(p) != "." {
			base = path.Base(path.Dir(p))
		}
	}
	base = strings.TrimPrefix(base, "go-")
	if i := strings.IndexFunc(base, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' }); i >= 0 {
		base = base[:i]
	}
	return base
}
