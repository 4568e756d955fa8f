package merge

import (
	"bytes"
	"go/ast"
	"go/printer"
	"go/token"
	"slices"
	"strings"
)

// signature is a method's parameter and result types, normalised so that
// parameter names, grouping and formatting do not count.
type signature struct {
	params, results []string
}

// signatureOf normalises a function type.
func signatureOf(fset *token.FileSet, ft *ast.FuncType) signature {
	return signature{params: typesOf(fset, ft.Params), results: typesOf(fset, ft.Results)}
}

// equal reports whether two signatures have the same types.
func (s signature) equal(o signature) bool {
	return slices.Equal(s.params, o.params) && s.sameResults(o)
}

// sameResults reports whether two signatures have the same result types.
func (s signature) sameResults(o signature) bool { return slices.Equal(s.results, o.results) }

// typesOf lists one normalised type per parameter or result.
func typesOf(fset *token.FileSet, l *ast.FieldList) []string {
	if l == nil {
		return nil
	}
	var out []string
	for _, f := range l.List {
		t := typeString(fset, f.Type)
		for range max(1, len(f.Names)) {
			out = append(out, t)
		}
	}
	return out
}

// typeString prints a type expression on one line, spelling the empty
// interface "any" as Go has since 1.18.
func typeString(fset *token.FileSet, e ast.Expr) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, fset, e); err != nil {
		return "?"
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	return strings.ReplaceAll(s, "interface{}", "any")
}
