package merge

import (
	"bytes"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

// FuzzImplementation mutates the user's file of every testdata case (the
// seed corpus) and merges the case's methods into it: no input may panic,
// a merged file must parse, and merging it again must change nothing.
func FuzzImplementation(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	var methods [][]Method
	for i, name := range files {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			f.Fatal(err)
		}
		methods = append(methods, stubMethods(f, section(f, ar, "methods.go")))
		f.Add(section(f, ar, "in.go"), uint8(i))
	}
	f.Fuzz(func(t *testing.T, src []byte, which uint8) {
		ms := methods[int(which)%len(methods)]
		res, err := Implementation(src, "service_impl.go", "basicService", ms)
		if err != nil {
			return
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "", res.Src, 0); err != nil {
			t.Fatalf("merged file does not parse: %v\n%s", err, res.Src)
		}
		again, err := Implementation(res.Src, "service_impl.go", "basicService", ms)
		if err != nil {
			t.Fatalf("merging again: %v", err)
		}
		if !bytes.Equal(again.Src, res.Src) {
			t.Fatalf("not idempotent:\n%s\n----\n%s", res.Src, again.Src)
		}
	})
}
