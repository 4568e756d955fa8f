package model

import (
	"strconv"
	"strings"
	"unicode"
)

// commonInitialisms are words Go style writes in one case ("ID", "URL").
var commonInitialisms = map[string]bool{
	"acl": true, "api": true, "ascii": true, "cpu": true, "css": true, "dns": true,
	"eof": true, "guid": true, "html": true, "http": true, "https": true, "id": true,
	"ip": true, "json": true, "jwt": true, "lhs": true, "qps": true, "ram": true,
	"rhs": true, "rpc": true, "sla": true, "smtp": true, "sql": true, "ssh": true,
	"tcp": true, "tls": true, "ttl": true, "udp": true, "ui": true, "uid": true,
	"uuid": true, "uri": true, "url": true, "utf8": true, "vm": true, "xml": true,
}

// Exported turns a Go or proto name into an exported Go identifier:
// "id" → "ID", "userName" → "UserName", "user_name" → "UserName".
func Exported(name string) string {
	words := splitWords(name)
	var b strings.Builder
	for _, w := range words {
		lw := strings.ToLower(w)
		if commonInitialisms[lw] {
			b.WriteString(strings.ToUpper(w))
			continue
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	s := b.String()
	if s == "" || !unicode.IsLetter([]rune(s)[0]) {
		s = "X" + s
	}
	return s
}

// LowerCamel turns a name into lowerCamel for JSON: "UserID" → "userID",
// "user_name" → "userName", "ID" → "id".
func LowerCamel(name string) string {
	words := splitWords(name)
	if len(words) == 0 {
		return name
	}
	var b strings.Builder
	for i, w := range words {
		if i == 0 {
			b.WriteString(strings.ToLower(w))
			continue
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

// Kebab turns a Go name into a URL path segment: "GetUserByID" → "get-user-by-id".
func Kebab(name string) string {
	words := splitWords(name)
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	return strings.Join(words, "-")
}

// Snake turns a Go name into snake_case: "GetUser" → "get_user".
func Snake(name string) string {
	words := splitWords(name)
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	return strings.Join(words, "_")
}

// splitWords splits an identifier at underscores, hyphens and case changes,
// keeping runs of capitals together ("HTTPServer" → "HTTP", "Server").
func splitWords(s string) []string {
	var words []string
	runes := []rune(s)
	start := 0
	flush := func(end int) {
		if end > start {
			words = append(words, string(runes[start:end]))
		}
	}
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if r == '_' || r == '-' || r == '.' || r == ' ' {
			flush(i)
			start = i + 1
			continue
		}
		if i == start {
			continue
		}
		prev := runes[i-1]
		switch {
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush(i)
			start = i
		case unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(runes) && unicode.IsLower(runes[i+1]):
			flush(i)
			start = i
		case unicode.IsDigit(r) != unicode.IsDigit(prev) && unicode.IsLetter(prev) && !unicode.IsDigit(r):
			flush(i)
			start = i
		}
	}
	flush(len(runes))
	return words
}

// UniqueNames assigns each field a VarName that is a valid identifier, unique
// within the list, and not reserved. Fields that already have a usable
// VarName keep it; others get a numbered variant.
func UniqueNames(fields []*Field) {
	used := map[string]bool{}
	for _, f := range fields {
		base := f.VarName
		if base == "" || base == "_" {
			base = "arg"
		}
		name := base
		for n := 1; ReservedNames[name] || used[name] || isGoKeyword(name); n++ {
			name = base + strconv.Itoa(n)
		}
		used[name] = true
		f.VarName = name
	}
}

// UniqueGoNames makes the GoName of each field unique within the list and
// distinct from the names in taken (for example "Err" on a response).
func UniqueGoNames(fields []*Field, taken ...string) {
	used := map[string]bool{}
	for _, t := range taken {
		used[t] = true
	}
	for _, f := range fields {
		name := f.GoName
		for n := 1; used[name]; n++ {
			name = f.GoName + strconv.Itoa(n)
		}
		used[name] = true
		f.GoName = name
	}
}

var goKeywords = map[string]bool{
	"break": true, "case": true, "chan": true, "const": true, "continue": true,
	"default": true, "defer": true, "else": true, "fallthrough": true, "for": true,
	"func": true, "go": true, "goto": true, "if": true, "import": true,
	"interface": true, "map": true, "package": true, "range": true, "return": true,
	"select": true, "struct": true, "switch": true, "type": true, "var": true,
}

func isGoKeyword(s string) bool { return goKeywords[s] }
