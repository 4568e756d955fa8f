package merge

import "strings"

// removedMarker opens the comment block that keeps a method which left the
// interface; removedPrefix is enough to recognise it.
const (
	removedPrefix = "// kitforge: removed from the"
	removedMarker = removedPrefix + " Service interface on regeneration; kept here so no code is lost."
)

// commentOut turns code into a comment: a /* */ block, or "//" lines when
// the code itself contains "*/", which would end the block early.
func commentOut(code string) string {
	if !strings.Contains(code, "*/") {
		return "/*\n" + code + "\n*/"
	}
	return lineComment(code)
}

// lineComment turns code into "//" comment lines.
func lineComment(code string) string {
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = "//"
		} else {
			lines[i] = "// " + l
		}
	}
	return strings.Join(lines, "\n")
}

// dedent drops leading and trailing blank lines and trailing spaces, and
// removes the indentation that all remaining non-blank lines share.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	prefix := ""
	for i, l := range lines {
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		switch {
		case i == 0: // never blank after the trimming above
			prefix = indent
		case l != "":
			for !strings.HasPrefix(indent, prefix) {
				prefix = prefix[:len(prefix)-1]
			}
		}
	}
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, prefix)
	}
	return strings.Join(lines, "\n")
}

// indent puts a tab before every non-empty line of s.
func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "\t" + l
		}
	}
	return strings.Join(lines, "\n")
}
