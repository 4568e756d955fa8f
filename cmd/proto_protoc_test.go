package cmd

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aymanbagabas/go-udiff"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/protoparse"
)

// bundledGoogleAPIs is the directory of the google/api sources kitforge
// embeds, for protoc's -I.
const bundledGoogleAPIs = "../generator/pbgo/third_party/googleapis"

// TestProtoGoldenPBGoMatchesProtoc: for every golden case generated from
// .proto files (proto_*), protoc with protoc-gen-go, told the Go package
// kitforge chose for each local file (M flags, as buf and Bazel pass them),
// writes every .pb.go byte-identical to the one kitforge wrote, but for the
// protoc version line. Skipped with the reason when protoc or the pinned
// protoc-gen-go is missing; CI=true makes that a failure.
func TestProtoGoldenPBGoMatchesProtoc(t *testing.T) {
	needProtoc(t)
	cfgs, err := filepath.Glob(filepath.Join(goldenDir, "*", config.FileName))
	must(t, err)
	gapi, err := filepath.Abs(bundledGoogleAPIs)
	must(t, err)
	checked := 0
	for _, cfgPath := range cfgs {
		caseDir := filepath.Dir(cfgPath)
		name := filepath.Base(caseDir)
		m, err := config.LoadModule(cfgPath, cfgPath)
		must(t, err)
		for _, opts := range m.Services {
			if len(opts.Proto) == 0 {
				continue
			}
			checked++
			t.Run(name+"/"+opts.Name, func(t *testing.T) { checkProtoGoldenPBGo(t, caseDir, name, gapi, opts) })
		}
	}
	if checked == 0 {
		t.Fatal("no proto golden cases")
	}
}

// checkProtoGoldenPBGo is TestProtoGoldenPBGoMatchesProtoc for the .proto
// service opts of a golden case.
func checkProtoGoldenPBGo(t *testing.T, caseDir, name, gapi string, opts config.Options) {
	if opts.Out == "" {
		opts.Out = "pkg"
	}
	res, err := protoparse.Load(context.Background(), protoparse.Config{
		Dir: caseDir, Files: opts.Proto, ImportPaths: opts.ProtoPaths, ModuleRoot: caseDir,
		Module: goldenModule + "/" + name, PBDir: path.Join(opts.Out, "pb"), GoPackages: opts.GoPackage,
		ServicePackage: func(n string) (string, string, string) { return "x/" + n, n, n },
	})
	must(t, err)
	out := t.TempDir()
	args := []string{"--go_out=" + out, "--go_opt=paths=source_relative"}
	for _, ip := range opts.ProtoPaths {
		args = append(args, "-I", ip)
	}
	if len(opts.ProtoPaths) == 0 {
		args = append(args, "-I", ".")
	}
	args = append(args, "-I", gapi)
	var files []string
	for _, f := range res.Files {
		args = append(args, "--go_opt=M"+f.ImportPath+"="+f.Go.Path+";"+f.Go.Name)
		files = append(files, f.ImportPath)
	}
	cmd := exec.Command("protoc", append(args, files...)...)
	cmd.Dir = caseDir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("protoc %s: %v\n%s", strings.Join(cmd.Args[1:], " "), err, b)
	}
	for _, f := range res.Files {
		base := strings.TrimSuffix(path.Base(f.ImportPath), ".proto") + ".pb.go"
		want, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(path.Join(path.Dir(f.ImportPath), base))))
		must(t, err)
		gotPath := filepath.Join(caseDir, filepath.FromSlash(path.Join(f.Go.Dir, base)))
		got, err := os.ReadFile(gotPath)
		must(t, err)
		got = protocVersionLine.ReplaceAll(got, []byte("// \tprotoc        (normalised)"))
		want = protocVersionLine.ReplaceAll(want, []byte("// \tprotoc        (normalised)"))
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from protoc's (-protoc +kitforge):\n%s", gotPath, udiff.Unified("protoc", "kitforge", string(want), string(got)))
		}
	}
}
