package merge

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
)

// edit replaces src[start:end] with text; start == end inserts.
type edit struct {
	start, end int
	text       string
}

// apply splices edits into src. Edits at the same offset keep the order in
// which they were made, insertions before replacements; overlapping edits
// are an internal error.
func apply(src []byte, edits []edit) ([]byte, error) {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b edit) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return cmp.Compare(a.end-a.start, b.end-b.start)
	})
	var out bytes.Buffer
	last := 0
	for _, e := range sorted {
		if e.start < last || e.end < e.start || e.end > len(src) {
			return nil, fmt.Errorf("merge: internal error: overlapping edits at offset %d", e.start)
		}
		out.Write(src[last:e.start])
		out.WriteString(e.text)
		last = e.end
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}
