package goparse

import (
	"go/ast"
	"go/token"
	"strings"
)

// directivePrefix starts every kitforge directive: "//kitforge:http GET /x"
// or "// kitforge:http GET /x".
const directivePrefix = "kitforge:"

// directive is one kitforge directive of a doc comment.
type directive struct {
	name string    // "http"
	args string    // "GET /users/{id}"
	pos  token.Pos // of the "kitforge:" text
}

// parseDoc splits a doc comment into its text lines (without comment
// markers, kitforge directives or other tool directives such as
// //go:generate, and without leading and trailing blank lines) and its
// kitforge directives.
func parseDoc(cg *ast.CommentGroup) (lines []string, dirs []directive) {
	if cg == nil {
		return nil, nil
	}
	for _, c := range cg.List {
		if body, ok := strings.CutPrefix(c.Text, "/*"); ok {
			body = strings.TrimSuffix(body, "*/")
			for _, line := range strings.Split(body, "\n") {
				lines = append(lines, strings.TrimRight(line, " \t\r"))
			}
			continue
		}
		text := strings.TrimPrefix(c.Text, "//")
		trimmed := strings.TrimLeft(text, " \t")
		if rest, ok := strings.CutPrefix(trimmed, directivePrefix); ok {
			name, args := rest, ""
			if i := strings.IndexAny(rest, " \t"); i >= 0 {
				name, args = rest[:i], rest[i+1:]
			}
			offset := len(c.Text) - len(trimmed)
			dirs = append(dirs, directive{name: strings.TrimSpace(name), args: strings.TrimSpace(args), pos: c.Slash + token.Pos(offset)})
			continue
		}
		if isToolDirective(text) {
			continue
		}
		lines = append(lines, strings.TrimRight(strings.TrimPrefix(text, " "), " \t\r"))
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines, dirs
}

// isToolDirective reports whether the text of a "//" comment is a directive
// for a tool ("go:generate", "nolint:all"), as go/ast defines them: no space
// after the slashes, a lower-case word, a colon, a lower-case letter or
// digit.
func isToolDirective(text string) bool {
	colon := strings.Index(text, ":")
	if colon <= 0 || colon+1 >= len(text) {
		return false
	}
	for _, r := range text[:colon] {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	r := text[colon+1]
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
}
