package protoparse

import (
	"regexp"
	"strings"
)

// goCamelCase is protoc-gen-go's name for a proto identifier (its
// internal/strs.GoCamelCase): "get_book" → "GetBook", "Outer.Inner" →
// "Outer_Inner". Message, service and method names in generated code all
// come from it, so kitforge must spell them the same way.
func goCamelCase(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' && i+1 < len(s) && isASCIILower(s[i+1]):
			// Skip over '.' in ".{{lowercase}}".
		case c == '.':
			b = append(b, '_')
		case c == '_' && (i == 0 || s[i-1] == '.'):
			// An initial '_' (or one after '.') becomes 'X', so the name
			// starts with a capital letter.
			b = append(b, 'X')
		case c == '_' && i+1 < len(s) && isASCIILower(s[i+1]):
			// Skip over '_' in "_{{lowercase}}".
		case isASCIIDigit(c):
			b = append(b, c)
		default:
			if isASCIILower(c) {
				c -= 'a' - 'A'
			}
			b = append(b, c)
			for ; i+1 < len(s) && isASCIILower(s[i+1]); i++ {
				b = append(b, s[i+1])
			}
		}
	}
	return string(b)
}

func isASCIILower(c byte) bool { return 'a' <= c && c <= 'z' }
func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

// versionRE matches a proto package element that is an API version.
var versionRE = regexp.MustCompile(`^v\d+((alpha|beta|p)\d*)*$`)

// derivedPackageName is the Go package name kitforge gives the messages of
// a proto package without a usable go_package: the last element, prefixed
// by the one before it when it is a version ("acme.users.v1" → "usersv1",
// as buf names them), reduced to lower-case letters and digits.
func derivedPackageName(protoPkg string) string {
	elems := strings.Split(protoPkg, ".")
	name := elems[len(elems)-1]
	if len(elems) > 1 && versionRE.MatchString(name) {
		name = elems[len(elems)-2] + name
	}
	name = identLower(name)
	if name == "" {
		return "pb"
	}
	return name
}

// serviceName is the short lower-case name kitforge gives the Go packages
// of a proto service: its name without a "Service" suffix, lower-cased
// ("LibraryService" → "library").
func serviceName(protoName string) string {
	base := strings.TrimSuffix(protoName, "Service")
	if base == "" {
		base = protoName
	}
	name := identLower(base)
	if name == "" {
		return "svc"
	}
	return name
}

// identLower keeps the ASCII letters and digits of s, lower-cased, and
// makes sure the result starts with a letter.
func identLower(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	out := b.String()
	if out != "" && out[0] >= '0' && out[0] <= '9' {
		out = "p" + out
	}
	return out
}
