package pbgo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

// roundtrip maps the test files in testdata/roundtrip to the package
// directory they test.
var roundtrip = map[string]string{
	"chat_test.go.txt":  "chat/v1",
	"users_test.go.txt": "acme/users/v1",
}

// Modules the generated code needs; their versions come from kitforge's go.mod.
var runtimeModules = []string{
	"google.golang.org/protobuf",
	"google.golang.org/grpc",
	"google.golang.org/genproto/googleapis/api",
}

// TestGeneratedCodeBuilds writes every case's output into one module, with
// kitforge's versions of protobuf, grpc and genproto and kitforge's go.sum,
// then runs go build, go vet and go test there; the tests in
// testdata/roundtrip call all four kinds of rpc through the generated glue.
func TestGeneratedCodeBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on a generated module")
	}
	dir := t.TempDir()
	for _, c := range cases {
		for _, o := range compileCase(t, c) {
			writeFile(t, filepath.Join(dir, filepath.FromSlash(o.Path)), o.Content)
		}
	}
	for _, name := range sortedKeys(roundtrip) {
		b, err := os.ReadFile(filepath.Join("testdata", "roundtrip", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.FromSlash(roundtrip[name]), strings.TrimSuffix(name, ".txt")), b)
	}
	writeFile(t, filepath.Join(dir, "go.mod"), goMod(t))
	sum, err := os.ReadFile(filepath.Join("..", "..", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "go.sum"), sum)

	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}, {"test", "-count=1", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		t.Logf("go %s:\n%s", strings.Join(args, " "), out)
	}
}

// goMod is the test module's go.mod, requiring kitforge's versions of the
// runtime modules.
func goMod(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join("..", "..", "go.mod")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	kf, err := modfile.Parse(path, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	var s strings.Builder
	s.WriteString("module example.com/pbtest\n\ngo " + kf.Go.Version + "\n\nrequire (\n")
	for _, mod := range runtimeModules {
		version := ""
		for _, r := range kf.Require {
			if r.Mod.Path == mod {
				version = r.Mod.Version
			}
		}
		if version == "" {
			t.Fatalf("kitforge's go.mod does not require %s", mod)
		}
		s.WriteString("\t" + mod + " " + version + "\n")
	}
	s.WriteString(")\n")
	return []byte(s.String())
}

// writeFile writes b to path, creating directories.
func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
