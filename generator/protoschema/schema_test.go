// Golden schemas live in testdata/*.proto. Refresh them with
//
//	go test ./generator/protoschema -update
//
// and review the diff.
package protoschema

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aymanbagabas/go-udiff"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/pbgo"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenCase is a service and where its schema goes.
type goldenCase struct {
	name string
	svc  func() *model.Service
	opts Options
}

var goldenCases = []goldenCase{
	{"calc", calcService, Options{GoPackage: "example.com/calc/pkg/calcpb;calcpb"}},
	{"users", func() *model.Service { return usersService(newUsersTypes()) },
		Options{Package: "acme.users.v1", GoPackage: "example.com/users/pkg/userspb;userspb"}},
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Schema(c.svc(), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", c.name+".proto")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./generator/protoschema -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("schema differs from %s (-want +got):\n%s", path, udiff.Unified("want", "got", string(want), string(got)))
			}
		})
	}
}

// TestIdempotent regenerates each schema from itself: nothing may change.
func TestIdempotent(t *testing.T) {
	for _, c := range goldenCases {
		first, err := Schema(c.svc(), c.opts)
		if err != nil {
			t.Fatal(err)
		}
		opts := c.opts
		opts.Previous = first
		again, err := Schema(c.svc(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Errorf("%s: regenerating from the previous schema changed it:\n%s", c.name,
				udiff.Unified("first", "again", string(first), string(again)))
		}
	}
}

// TestCompilesWithPbgo compiles every golden schema in-process.
func TestCompilesWithPbgo(t *testing.T) {
	for _, c := range goldenCases {
		src, err := Schema(c.svc(), c.opts)
		if err != nil {
			t.Fatal(err)
		}
		path := c.name + "pb/" + c.name + ".proto"
		outs, _, err := pbgo.Compile(context.Background(), pbgo.Options{Sources: []pbgo.Source{{Path: path, Content: src}}})
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, src)
		}
		if len(outs) != 2 {
			t.Errorf("%s: %d outputs, want .pb.go and _grpc.pb.go", c.name, len(outs))
		}
	}
}

// TestCompilesWithProtoc compiles every golden schema with protoc, when it
// is installed (it fails instead of skipping under CI=true).
func TestCompilesWithProtoc(t *testing.T) {
	if _, err := exec.LookPath("protoc"); err != nil {
		msg := "protoc is not on PATH (install: apt-get install -y protobuf-compiler)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	for _, c := range goldenCases {
		src, err := Schema(c.svc(), c.opts)
		if err != nil {
			t.Fatal(err)
		}
		name := c.name + ".proto"
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("protoc", "-I", dir, "--descriptor_set_out="+filepath.Join(dir, c.name+".pb"), name)
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("protoc %s: %v\n%s", name, err, out)
		}
	}
}
