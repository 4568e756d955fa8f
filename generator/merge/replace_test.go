package merge

import (
	"slices"
	"strings"
	"testing"
)

// TestReplaceBody: a parameter change keeps the body and reports it in
// KeptBodies; merging again with ReplaceBody keeps the old body only in a
// comment and puts the stub's body in place, and the result is stable.
func TestReplaceBody(t *testing.T) {
	src := []byte("package calcservice\n\nimport \"context\"\n\ntype basicService struct{}\n\n" +
		"// Sum adds.\nfunc (s basicService) Sum(ctx context.Context, a, b int) (int, error) {\n\treturn a + b, nil\n}\n")
	stub := "// Sum adds.\nfunc (s basicService) Sum(ctx context.Context, a int64, b int64) (int, error) {\n\treturn 0, ErrNotImplemented\n}"
	methods := []Method{{Name: "Sum", Stub: []byte(stub)}}

	kept, err := Implementation(src, "service_impl.go", "basicService", methods)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(kept.KeptBodies, []string{"Sum"}) || !strings.Contains(string(kept.Src), "\treturn a + b, nil\n}") {
		t.Fatalf("KeptBodies %q, want [Sum], and the body kept:\n%s", kept.KeptBodies, kept.Src)
	}

	methods[0].ReplaceBody = true
	res, err := Implementation(src, "service_impl.go", "basicService", methods)
	if err != nil {
		t.Fatal(err)
	}
	want := "// Sum adds.\n" +
		"// kitforge: signature changed; was: func (s basicService) Sum(ctx context.Context, a, b int) (int, error)\n" +
		"func (s basicService) Sum(ctx context.Context, a int64, b int64) (int, error) {\n" +
		"\t// kitforge: the parameters changed and the old body no longer compiled, so the old body is kept in this comment and the stub body below replaces it.\n" +
		"\t// return a + b, nil\n" +
		"\treturn 0, ErrNotImplemented\n}\n"
	if !strings.HasSuffix(string(res.Src), want) {
		t.Errorf("got\n%s\nwant it to end in\n%s", res.Src, want)
	}
	if len(res.KeptBodies) != 0 {
		t.Errorf("KeptBodies = %q, want none", res.KeptBodies)
	}
	wantNote := "changed the parameters of Sum: its body no longer compiled, so kept it in a comment and put a stub body in place"
	if !slices.Equal(res.Notes, []string{wantNote}) {
		t.Errorf("notes %q, want %q", res.Notes, wantNote)
	}
	// The next run sees the new signature: nothing to do, flag or not.
	for _, replace := range []bool{false, true} {
		methods[0].ReplaceBody = replace
		again, err := Implementation(res.Src, "service_impl.go", "basicService", methods)
		if err != nil {
			t.Fatal(err)
		}
		if string(again.Src) != string(res.Src) || len(again.Notes) > 0 || len(again.KeptBodies) > 0 {
			t.Errorf("ReplaceBody=%v: merging again changed the file or noted %q", replace, again.Notes)
		}
	}
}
