package pbgo

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/model"
)

func TestErrors(t *testing.T) {
	const header = "syntax = \"proto3\";\npackage bad;\noption go_package = \"example.com/bad;bad\";\n"
	for _, tc := range []struct {
		name    string
		src     string
		opts    func(*Options)
		pos     string // file:line:col of the first error
		msg     string // part of its message
		hint    string // part of its hint
		howMany int    // errors reported
	}{{
		name: "syntax", src: header + "message A {\n  int32 a = ;\n}\n",
		pos: "api/bad.proto:5:13", msg: "syntax error", hint: "fix the .proto file", howMany: 1,
	}, {
		name: "unknown type", src: header + "message A {\n  Missing m = 1;\n}\n",
		pos: "api/bad.proto:5:3", msg: "Missing", hint: "fix the .proto file", howMany: 1,
	}, {
		name: "several", src: header + "message A {\n  Missing m = 1;\n  Other o = 2;\n}\n",
		pos: "api/bad.proto:5:3", msg: "Missing", howMany: 2,
	}, {
		name: "missing import", src: header + "import \"other/thing.proto\";\n",
		pos: "api/bad.proto:4:8", msg: "other/thing.proto", hint: "import paths (-I)", howMany: 1,
	}, {
		name: "no go_package", src: "syntax = \"proto3\";\n\npackage bad;\nmessage A {}\n",
		pos: "api/bad.proto:3:1", msg: "no go_package", hint: "option go_package", howMany: 1,
	}, {
		name: "display name", src: header + "message A {\n  int32 a = 1;\n  int32 b = 1;\n}\n",
		opts: func(o *Options) { o.Sources[0].File = "proto/api/bad.proto" },
		pos:  "proto/api/bad.proto:6:13", msg: "same tag", howMany: 1,
	}, {
		name: "bad source path", src: header,
		opts: func(o *Options) { o.Sources[0].Path = "/abs/bad.proto" },
		pos:  "/abs/bad.proto", msg: "not a .proto import path", howMany: 1,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Sources: []Source{{Path: "api/bad.proto", Content: []byte(tc.src)}}}
			if tc.opts != nil {
				tc.opts(&opts)
			}
			_, _, err := Compile(context.Background(), opts)
			var me *model.Error
			if !errors.As(err, &me) {
				t.Fatalf("Compile error = %v (%T), want a *model.Error", err, err)
			}
			if got := me.Pos.String(); got != tc.pos {
				t.Errorf("position = %s, want %s (error: %v)", got, tc.pos, err)
			}
			if !strings.Contains(me.Msg, tc.msg) || !strings.Contains(me.Hint, tc.hint) {
				t.Errorf("error = %q, want message with %q and hint with %q", me.Error(), tc.msg, tc.hint)
			}
			n := 1
			if joined, ok := err.(interface{ Unwrap() []error }); ok {
				n = len(joined.Unwrap())
			}
			if n != tc.howMany {
				t.Errorf("%d errors reported, want %d: %v", n, tc.howMany, err)
			}
		})
	}
}

func TestOptionErrors(t *testing.T) {
	src := Source{Path: "a.proto", Content: []byte("syntax = \"proto3\";\npackage a;\n")}
	for name, opts := range map[string]Options{
		"no sources":       {},
		"unknown generate": {Sources: []Source{src}, Generate: []string{"b.proto"}},
		"duplicate":        {Sources: []Source{src, src}},
		"bad go package":   {Sources: []Source{src}, GoPackage: map[string]string{"a.proto": "x,y"}},
	} {
		if _, _, err := Compile(context.Background(), opts); err == nil {
			t.Errorf("%s: Compile succeeded, want an error", name)
		}
	}
}
