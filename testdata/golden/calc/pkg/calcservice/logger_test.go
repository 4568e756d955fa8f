package calcservice

import (
	"bytes"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/go-kit/log"
)

// TestNewLoggerWritesGoKitLines: NewLogger writes the lines of go-kit's
// logfmt logger under log.With and DefaultTimestampUTC, timestamps aside.
func TestNewLoggerWritesGoKitLines(t *testing.T) {
	type named string
	type point struct{ X int }
	cases := [][]any{
		{"method", "Sum", "request_id", "abc-1", "a", 1, "b", -2, "took", 1500 * time.Nanosecond, "err", nil},
		{"a", "", "b", "two words", "c", "null", "d", `q"uote`, "e", "a=b", "err", errors.New("boom")},
		{"x", int64(7), "y", true, "z", 1.5, "n", named("n"), "p", point{1}, "q", &point{2}, "r", []byte("raw")},
		{"bad key", 1, "", 2, 3, 4, "odd"},
		{"µ", "ü", "tab", "a\tb", "bin", "\xff", "nilerr", (*myErr)(nil)},
	}
	ts := regexp.MustCompile(`^ts=\S+ `)
	for _, kv := range cases {
		var want, got bytes.Buffer
		errWant := log.With(log.NewLogfmtLogger(&want), "ts", log.DefaultTimestampUTC, "service", "calc").Log(kv...)
		errGot := NewLogger(&got, "service", "calc").Log(kv...)
		if got.Len() > 0 && !ts.Match(got.Bytes()) {
			t.Errorf("Log(%q) = %q: no timestamp first", kv, got.String())
		}
		if w, g := ts.ReplaceAllString(want.String(), ""), ts.ReplaceAllString(got.String(), ""); w != g || (errWant == nil) != (errGot == nil) {
			t.Errorf("Log(%q):\ngot  %q (%v)\nwant %q (%v)", kv, g, errGot, w, errWant)
		}
	}
}

type myErr struct{}

func (*myErr) Error() string { return "mine" }
