package pbgo

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aymanbagabas/go-udiff"
)

// protocGenGoVersion is the protoc-gen-go that must be on PATH for the
// comparison: the protobuf-go version in go.mod.
const protocGenGoVersion = "v1.36.12"

// compilerVersionLine matches the one header line that may differ: protoc
// writes its version into the request and protoc-gen-go copies it, while
// kitforge, not being protoc, sends none and gets "(unknown)" (see the
// package documentation). Nothing else is normalised.
var compilerVersionLine = regexp.MustCompile(`(?m)^// \tprotoc        .*$`)

// TestProtocIdentical runs protoc with protoc-gen-go on every case and checks
// that each .pb.go Compile writes is byte-identical to protoc's.
func TestProtocIdentical(t *testing.T) {
	needTools(t, "protoc", "protoc-gen-go")
	out, err := exec.Command("protoc-gen-go", "--version").Output()
	if err != nil || !strings.Contains(string(out), protocGenGoVersion) {
		msg := "protoc-gen-go on PATH is " + strings.TrimSpace(string(out)) + ", want " + protocGenGoVersion +
			" (go install google.golang.org/protobuf/cmd/protoc-gen-go@" + protocGenGoVersion + ")"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	gapi := t.TempDir()
	writeBundled(t, gapi)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := protoc(t, c, gapi)
			for _, o := range compileCase(t, c) {
				if !strings.HasSuffix(o.Path, ".pb.go") || strings.HasSuffix(o.Path, "_grpc.pb.go") {
					continue
				}
				want, ok := got[o.Path]
				if !ok {
					t.Errorf("protoc wrote no %s", o.Path)
					continue
				}
				ours := compilerVersionLine.ReplaceAll(o.Content, []byte("// \tprotoc        (normalised)"))
				theirs := compilerVersionLine.ReplaceAll(want, []byte("// \tprotoc        (normalised)"))
				if !bytes.Equal(ours, theirs) {
					t.Errorf("%s differs from protoc's (-protoc +kitforge):\n%s", o.Path,
						udiff.Unified("protoc/"+o.Path, "kitforge/"+o.Path, string(theirs), string(ours)))
				}
				delete(got, o.Path)
			}
			for name := range got {
				t.Errorf("protoc wrote %s, kitforge did not", name)
			}
		})
	}
}

// protoc runs `protoc --go_out=paths=source_relative` on the case and returns
// what it wrote, by path.
func protoc(t *testing.T, c testCase, gapi string) map[string][]byte {
	t.Helper()
	out := t.TempDir()
	args := []string{"-I", c.dir(), "-I", gapi, "--go_out=" + out, "--go_opt=paths=source_relative"}
	for _, name := range sortedKeys(c.goPackage) {
		args = append(args, "--go_opt=M"+name+"="+c.goPackage[name])
	}
	args = append(args, c.protos(t)...)
	cmd := exec.Command("protoc", args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("protoc %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	got := map[string][]byte{}
	err := filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(out, path)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}
