// The golden outputs of Compile sit beside the .proto files of each case
// under testdata/. Refresh them with
//
//	go test ./generator/pbgo -update
//
// and review the diff: a .pb.go must stay what protoc-gen-go writes
// (TestProtocIdentical checks that where protoc is installed).
package pbgo

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aymanbagabas/go-udiff"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestGolden(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			outs := compileCase(t, c)
			var produced []string
			for _, o := range outs {
				produced = append(produced, o.Path)
				path := filepath.Join(c.dir(), filepath.FromSlash(o.Path))
				if *update {
					if err := os.WriteFile(path, o.Content, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./generator/pbgo -update)", err)
				}
				if !bytes.Equal(o.Content, want) {
					t.Errorf("%s differs from the golden file (-want +got):\n%s", o.Path,
						udiff.Unified("want/"+o.Path, "got/"+o.Path, string(want), string(o.Content)))
				}
			}
			slices.Sort(produced)
			for _, name := range c.files(t, ".go") {
				if _, ok := slices.BinarySearch(produced, name); !ok {
					t.Errorf("golden file %s is no longer produced; delete it", name)
				}
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, c := range cases {
		first := compileCase(t, c)
		for range 3 {
			again := compileCase(t, c)
			if !slices.EqualFunc(first, again, func(a, b Output) bool {
				return a.Path == b.Path && bytes.Equal(a.Content, b.Content)
			}) {
				t.Fatalf("%s: two runs gave different output", c.name)
			}
		}
	}
}

func TestGenerateSubset(t *testing.T) {
	opts := cases[2].options(t) // users: types.proto and users.proto
	opts.Generate = []string{"acme/users/v1/users.proto"}
	outs, fds, err := Compile(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, o := range outs {
		paths = append(paths, o.Path)
	}
	if want := []string{"acme/users/v1/users.pb.go", "acme/users/v1/users_grpc.pb.go"}; !slices.Equal(paths, want) {
		t.Errorf("outputs = %q, want %q", paths, want)
	}
	if len(fds) != 1 || fds[0].Path() != "acme/users/v1/users.proto" || fds[0].Services().Len() != 2 {
		t.Errorf("descriptors = %v, want users.proto with two services", fds)
	}
	if loc := fds[0].SourceLocations().ByDescriptor(fds[0].Services().Get(0)); loc.LeadingComments != " Users stores user accounts.\n" {
		t.Errorf("service comment = %q, want it kept", loc.LeadingComments)
	}
}
