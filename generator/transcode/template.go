package transcode

import (
	"fmt"
	"net/url"
	"strings"
)

// segmentKind is what one segment of a path template matches.
type segmentKind int

const (
	segLiteral segmentKind = iota // the literal text
	segStar                       // "*": exactly one non-empty segment
	segDeep                       // "**": zero or more segments, only last
)

// templateSegment is one "/"-separated segment of a path template.
type templateSegment struct {
	kind    segmentKind
	literal string
}

// templateVar is a variable of a path template: the field path it binds and
// the segments [start, end) it captures.
type templateVar struct {
	field      string
	start, end int
}

// pathTemplate is a parsed google.api.http path template:
//
//	Template = "/" Segments [ Verb ] ;
//	Segments = Segment { "/" Segment } ;
//	Segment  = "*" | "**" | LITERAL | Variable ;
//	Variable = "{" FieldPath [ "=" Segments ] "}" ;
//	FieldPath = IDENT { "." IDENT } ;
//	Verb     = ":" LITERAL ;
type pathTemplate struct {
	raw      string
	segments []templateSegment
	vars     []templateVar
	verb     string
}

// parsePathTemplate parses a path template such as
// "/v1/{name=shelves/*/books/*}:merge" and checks the rules of
// google.api.http: "**" only last, no nested variables, each field bound
// once.
func parsePathTemplate(raw string) (*pathTemplate, error) {
	if !strings.HasPrefix(raw, "/") {
		return nil, fmt.Errorf("path template %q must start with /", raw)
	}
	t := &pathTemplate{raw: raw}
	body, verb, err := splitVerb(raw[1:])
	if err != nil {
		return nil, fmt.Errorf("path template %q: %w", raw, err)
	}
	t.verb = verb
	if err := t.parseSegments(body); err != nil {
		return nil, fmt.Errorf("path template %q: %w", raw, err)
	}
	for i, s := range t.segments {
		if s.kind == segDeep && i != len(t.segments)-1 {
			return nil, fmt.Errorf("path template %q: ** must be the last segment (before a :verb)", raw)
		}
	}
	// A colon in the last segment starts the custom verb: a literal there
	// that holds one (inside a variable, or escaped as %3A) reads as a
	// verb once the template is written out again, and a request path
	// spelling it is cut at the colon by clients and proxies alike.
	if n := len(t.segments); n > 0 && t.segments[n-1].kind == segLiteral && strings.Contains(t.segments[n-1].literal, ":") {
		return nil, fmt.Errorf("path template %q: the last segment %q holds a colon, which would read as a custom verb; "+
			"a colon may end a template only before its verb, as in \"/v1/{name=things/*}:cancel\"", raw, t.segments[n-1].literal)
	}
	return t, nil
}

// splitVerb cuts the ":verb" suffix off a template without its leading "/":
// a colon outside braces after the last "/" outside braces.
func splitVerb(s string) (body, verb string, err error) {
	depth, lastSlash, colon := 0, -1, -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case '/':
			if depth == 0 {
				lastSlash, colon = i, -1
			}
		case ':':
			if depth == 0 && colon < 0 {
				colon = i
			}
		}
	}
	if colon < 0 || colon < lastSlash {
		return s, "", nil
	}
	verb = s[colon+1:]
	if verb == "" || strings.ContainsAny(verb, "{}/*:") {
		return "", "", fmt.Errorf("bad custom verb %q", verb)
	}
	return s[:colon], verb, nil
}

// parseSegments parses Segments, recording variables as it goes.
func (t *pathTemplate) parseSegments(s string) error {
	segs, err := splitSegments(s)
	if err != nil {
		return err
	}
	for _, seg := range segs {
		if inner, ok := strings.CutPrefix(seg, "{"); ok {
			inner, ok = strings.CutSuffix(inner, "}")
			if !ok || strings.ContainsAny(inner, "{}") {
				return fmt.Errorf("segment %q: a variable must be a whole segment and must not nest", seg)
			}
			if err := t.parseVariable(inner); err != nil {
				return err
			}
			continue
		}
		if strings.ContainsAny(seg, "{}") {
			return fmt.Errorf("segment %q: a variable must be a whole segment", seg)
		}
		if err := t.addSegment(seg); err != nil {
			return err
		}
	}
	return nil
}

// splitSegments splits s at the slashes outside braces.
func splitSegments(s string) ([]string, error) {
	var segs []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth < 0 {
				return nil, fmt.Errorf("unbalanced }")
			}
		case '/':
			if depth == 0 {
				segs = append(segs, s[start:i])
				start = i + 1
			}
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("unclosed {")
	}
	return append(segs, s[start:]), nil
}

// parseVariable parses the inside of "{field=segments}".
func (t *pathTemplate) parseVariable(s string) error {
	field, pattern, hasPattern := strings.Cut(s, "=")
	if !isFieldPath(field) {
		return fmt.Errorf("variable {%s}: %q is not a field path (ident{.ident})", s, field)
	}
	for _, v := range t.vars {
		if v.field == field {
			return fmt.Errorf("field %s is bound twice", field)
		}
	}
	if !hasPattern {
		pattern = "*"
	}
	if pattern == "" {
		return fmt.Errorf("variable {%s}: empty pattern", s)
	}
	v := templateVar{field: field, start: len(t.segments)}
	for _, seg := range strings.Split(pattern, "/") {
		if strings.ContainsAny(seg, "{}=") {
			return fmt.Errorf("variable {%s}: variables must not nest", s)
		}
		if err := t.addSegment(seg); err != nil {
			return err
		}
	}
	v.end = len(t.segments)
	t.vars = append(t.vars, v)
	return nil
}

// addSegment appends one literal, "*" or "**" segment.
func (t *pathTemplate) addSegment(seg string) error {
	switch seg {
	case "":
		return fmt.Errorf("empty segment")
	case "*":
		t.segments = append(t.segments, templateSegment{kind: segStar})
	case "**":
		t.segments = append(t.segments, templateSegment{kind: segDeep})
	default:
		lit, err := url.PathUnescape(seg)
		if err != nil || strings.ContainsAny(seg, "*") {
			return fmt.Errorf("bad literal segment %q", seg)
		}
		t.segments = append(t.segments, templateSegment{kind: segLiteral, literal: lit})
	}
	return nil
}

// isFieldPath reports whether s is IDENT { "." IDENT }.
func isFieldPath(s string) bool {
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		for i, r := range id {
			if r != '_' && !(r >= 'a' && r <= 'z') && !(r >= 'A' && r <= 'Z') && (i == 0 || !(r >= '0' && r <= '9')) {
				return false
			}
		}
	}
	return true
}

// pathVar is one variable bound by a matched request path.
type pathVar struct {
	field string
	value string
}

// match matches an escaped URL path ("/v1/shelves/1:merge") against the
// template and returns the variables' values, decoded as google.api.http
// says: fully for single-segment variables, keeping "%2F" for the others.
func (t *pathTemplate) match(escapedPath string) ([]pathVar, bool) {
	if !strings.HasPrefix(escapedPath, "/") {
		return nil, false
	}
	return t.matchSegments(strings.Split(escapedPath[1:], "/"))
}

// matchSegments is match on the path's "/"-separated segments (after the
// leading "/"), which the router splits once for all of its templates;
// parts is not modified.
func (t *pathTemplate) matchSegments(parts []string) ([]pathVar, bool) {
	last := parts[len(parts)-1]
	if t.verb != "" {
		// Only a literal colon starts the verb: an escaped one ("%3A") is
		// data, as google.api.http's grammar reads the path.
		n := len(last) - len(t.verb) - 1
		if n < 0 || last[n] != ':' || last[n+1:] != t.verb {
			return nil, false
		}
		last = last[:n]
	}
	segment := func(i int) string {
		if i == len(parts)-1 {
			return last
		}
		return parts[i]
	}
	deep := len(t.segments) > 0 && t.segments[len(t.segments)-1].kind == segDeep
	switch {
	case deep && len(parts) < len(t.segments)-1:
		return nil, false
	case !deep && len(parts) != len(t.segments):
		return nil, false
	}
	for i, s := range t.segments {
		switch s.kind {
		case segLiteral:
			u, err := url.PathUnescape(segment(i))
			if err != nil || u != s.literal {
				return nil, false
			}
		case segStar:
			if segment(i) == "" {
				return nil, false
			}
		case segDeep:
			for j := i; j < len(parts); j++ {
				if segment(j) == "" {
					return nil, false
				}
			}
		}
	}
	vars := make([]pathVar, 0, len(t.vars))
	for _, v := range t.vars {
		end := v.end
		if end == len(t.segments) && deep {
			end = len(parts)
		}
		var value string
		var err error
		if v.end-v.start == 1 && t.segments[v.start].kind == segStar {
			value, err = url.PathUnescape(segment(v.start))
		} else {
			value, err = unescapeKeepSlash(joinSegments(parts[v.start:end], last, end == len(parts)))
		}
		if err != nil {
			return nil, false
		}
		vars = append(vars, pathVar{field: v.field, value: value})
	}
	return vars, true
}

// joinSegments joins parts with "/", the last one replaced by last when
// replaceLast is set (the path's last segment without its verb).
func joinSegments(parts []string, last string, replaceLast bool) string {
	if len(parts) == 0 {
		return ""
	}
	if !replaceLast {
		return strings.Join(parts, "/")
	}
	if len(parts) == 1 {
		return last
	}
	return strings.Join(parts[:len(parts)-1], "/") + "/" + last
}

// unescapeKeepSlash percent-decodes s except "%2F" and "%2f", which a
// multi-segment variable keeps as they are.
func unescapeKeepSlash(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(strings.ToUpper(s), "%2F")
		if i < 0 {
			break
		}
		part, err := url.PathUnescape(s[:i])
		if err != nil {
			return "", err
		}
		b.WriteString(part)
		b.WriteString(s[i : i+3])
		s = s[i+3:]
	}
	part, err := url.PathUnescape(s)
	if err != nil {
		return "", err
	}
	b.WriteString(part)
	return b.String(), nil
}

// specificity ranks a template for choosing between templates that match
// the same path: a custom verb first, then segment by segment a literal
// before "*" before "**", then the longer template.
func (t *pathTemplate) moreSpecificThan(o *pathTemplate) bool {
	if (t.verb != "") != (o.verb != "") {
		return t.verb != ""
	}
	for i := 0; i < len(t.segments) && i < len(o.segments); i++ {
		if a, b := t.segments[i].kind, o.segments[i].kind; a != b {
			return a < b
		}
	}
	return len(t.segments) > len(o.segments)
}

// shape is the template with its variables' names dropped: two templates
// with the same shape and HTTP method match exactly the same requests.
func (t *pathTemplate) shape() string {
	var b strings.Builder
	for _, s := range t.segments {
		b.WriteByte('/')
		switch s.kind {
		case segStar:
			b.WriteString("*")
		case segDeep:
			b.WriteString("**")
		default:
			b.WriteString(url.PathEscape(s.literal))
		}
	}
	if t.verb != "" {
		b.WriteString(":" + t.verb)
	}
	return b.String()
}
