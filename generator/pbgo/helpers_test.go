package pbgo

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// testCase is one directory under testdata: its .proto files are the sources
// (paths relative to the directory), and the expected outputs sit beside them.
type testCase struct {
	name      string
	goPackage map[string]string
}

// cases are the golden cases; they use distinct directories so that all their
// outputs fit in one Go module (example.com/pbtest) for the build test.
var cases = []testCase{
	{name: "calc"},    // the smallest service
	{name: "library"}, // google.api annotations, field behaviours, resources, well-known types
	{name: "users"},   // package acme.users.v1 in two files, one importing the other; two services
	{name: "chat", goPackage: map[string]string{ // all four rpc kinds; no go_package
		"chat/v1/chat.proto": "example.com/pbtest/chat/v1;chatv1",
	}},
}

// dir is the case's directory.
func (c testCase) dir() string { return filepath.Join("testdata", c.name) }

// options loads the case's sources.
func (c testCase) options(t testing.TB) Options {
	t.Helper()
	opts := Options{GoPackage: c.goPackage}
	for _, name := range c.protos(t) {
		b, err := os.ReadFile(filepath.Join(c.dir(), filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		opts.Sources = append(opts.Sources, Source{Path: name, Content: b})
	}
	return opts
}

// protos lists the case's .proto files as import paths, sorted.
func (c testCase) protos(t testing.TB) []string {
	return c.files(t, ".proto")
}

// files lists the case's files ending in suffix, as slash paths relative to its directory.
func (c testCase) files(t testing.TB, suffix string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(c.dir(), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, suffix) {
			return err
		}
		rel, err := filepath.Rel(c.dir(), path)
		names = append(names, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	return names
}

// compileCase runs Compile on the case.
func compileCase(t testing.TB, c testCase) []Output {
	t.Helper()
	outs, _, err := Compile(context.Background(), c.options(t))
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	return outs
}

// needTools skips the test when a tool is missing from PATH, with the reason
// and how to install it, or fails it when CI=true.
func needTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			msg := tool + " is not on PATH (install: apt-get install -y protobuf-compiler; " +
				"go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12)"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
}

// writeBundled writes the embedded google/api sources under dir, for protoc's -I.
func writeBundled(t testing.TB, dir string) {
	t.Helper()
	err := fs.WalkDir(googleapis, googleapisRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := googleapis.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(path, googleapisRoot+"/")))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
