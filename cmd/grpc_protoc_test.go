package cmd

import (
	"bytes"
	"golang.org/x/tools/txtar"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aymanbagabas/go-udiff"
)

// protocGenGoVersion is the protoc-gen-go that must be on PATH: the version
// of google.golang.org/protobuf whose generator kitforge embeds.
const protocGenGoVersion = "v1.36.12"

// protocVersionLine is the one header line of a .pb.go that may differ:
// protoc writes its version there, kitforge (not being protoc) writes
// "(unknown)" (see the pbgo package documentation).
var protocVersionLine = regexp.MustCompile(`(?m)^// \tprotoc        .*$`)

// needProtoc skips the test when protoc or the pinned protoc-gen-go is not on
// PATH, saying why, and fails it instead under CI=true.
func needProtoc(t *testing.T) {
	t.Helper()
	missing := func(msg string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	for _, tool := range []string{"protoc", "protoc-gen-go"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing(tool + " is not on PATH: apt-get install protobuf-compiler; go install google.golang.org/protobuf/cmd/protoc-gen-go@" + protocGenGoVersion)
		}
	}
	out, err := exec.Command("protoc-gen-go", "--version").Output()
	if err != nil || !strings.Contains(string(out), protocGenGoVersion) {
		missing("protoc-gen-go on PATH is " + strings.TrimSpace(string(out)) + ", want " + protocGenGoVersion)
	}
}

// TestGoldenPBGoMatchesProtoc compiles every .proto of the golden trees with
// protoc and protoc-gen-go and checks that the .pb.go kitforge wrote beside
// it is byte-identical to theirs, but for the protoc version line.
func TestGoldenPBGoMatchesProtoc(t *testing.T) {
	needProtoc(t)
	var protos []string
	err := filepath.WalkDir(goldenDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && strings.HasPrefix(d.Name(), "proto_") && filepath.Dir(p) == goldenDir {
			return filepath.SkipDir // generated from .proto input: TestProtoGoldenPBGoMatchesProtoc
		}
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".proto") && !inputFile(t, p) {
			protos = append(protos, p)
		}
		return err
	})
	must(t, err)
	if len(protos) == 0 {
		t.Fatal("no .proto in the golden trees")
	}
	for _, proto := range protos {
		rel, _ := filepath.Rel(goldenDir, proto)
		caseName, rel, _ := strings.Cut(filepath.ToSlash(rel), "/")
		t.Run(caseName+"/"+rel, func(t *testing.T) {
			want := protocPBGo(t, filepath.Join(goldenDir, caseName), rel)
			pbGo := strings.TrimSuffix(proto, ".proto") + ".pb.go"
			got, err := os.ReadFile(pbGo)
			must(t, err)
			got = protocVersionLine.ReplaceAll(got, []byte("// \tprotoc        (normalised)"))
			want = protocVersionLine.ReplaceAll(want, []byte("// \tprotoc        (normalised)"))
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from protoc's (-protoc +kitforge):\n%s", pbGo, udiff.Unified("protoc", "kitforge", string(want), string(got)))
			}
		})
	}
}

// protocPBGo runs `protoc --go_out=paths=source_relative` on the .proto at
// rel (slash-separated, relative to root, which is the import root) and
// returns the .pb.go it writes.
func protocPBGo(t *testing.T, root, rel string) []byte {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command("protoc", "-I", ".", "--go_out="+out, "--go_opt=paths=source_relative", rel)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("protoc %s: %v\n%s(google/protobuf/*.proto come with libprotobuf-dev)", rel, err, b)
	}
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.TrimSuffix(rel, ".proto")+".pb.go")))
	must(t, err)
	return b
}

// inputFile reports whether the golden tree's file p is one of its case's
// input files (a .proto a service is generated from: the proto tests check
// what kitforge compiles from it), not a file kitforge wrote.
func inputFile(t *testing.T, p string) bool {
	rel, err := filepath.Rel(goldenDir, p)
	must(t, err)
	caseName, name, _ := strings.Cut(filepath.ToSlash(rel), "/")
	a, err := txtar.ParseFile(filepath.Join(goldenDir, caseName, "input.txtar"))
	must(t, err)
	for _, f := range a.Files {
		if f.Name == name {
			return true
		}
	}
	return false
}
