package plan

import (
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// devNull is the diff label of the missing side of a create or a delete.
const devNull = "/dev/null"

// Diff renders every change that Apply would write as a unified diff with
// git's a/ and b/ prefixes; creates and deletes are diffed against
// /dev/null. It returns "" when the tree is up to date.
func Diff(changes []*Change) string {
	var b strings.Builder
	for _, c := range Pending(changes) {
		from, to := "a/"+c.Path, "b/"+c.Path
		switch c.Action {
		case Create:
			from = devNull
		case Delete:
			to = devNull
		}
		b.WriteString(udiff.Unified(from, to, string(c.Old), string(c.New)))
	}
	return b.String()
}
