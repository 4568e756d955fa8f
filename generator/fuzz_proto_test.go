package generator

import (
	"bytes"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/model"
)

// FuzzProto feeds mutated .proto sources through the whole proto input
// path: protoparse (parse, compile, Go packages, google.api.http checks),
// the .pb.go and gRPC glue, every Go kit emitter, and plan.Resolve. The
// input is a txtar archive of .proto files (a service file and the local
// files it imports); its comment holds the flags of `kitforge generate`
// (--proto FILE, -I DIR, --go-package [FILE=]PATH[;NAME], --name N), and
// without --proto the first file is the one generated. No input may panic;
// a failure must be a *model.Error with a position (a file) unless it is
// about a --go-package flag; a success must give Go files that parse.
//
// The seed corpus is every proto golden input and every proto bad-input
// case, plus testdata/fuzz/FuzzProto; `go test` runs it. To fuzz:
//
//	go test ./generator -run '^$' -fuzz FuzzProto -fuzztime 5m
func FuzzProto(f *testing.F) {
	fuzzGC(f)
	n := 0
	for _, name := range protoSeedFiles() {
		if archive, ok := protoSeed(f, name); ok {
			f.Add(archive)
			n++
		}
	}
	if n < 10 {
		f.Fatalf("only %d proto seeds: the golden and bad-input cases moved?", n)
	}
	f.Fuzz(func(t *testing.T, archive []byte) { generateProtoArchive(t, archive) })
}

// protoSeedFiles are the golden inputs and bad-input cases FuzzProto's
// seeds come from.
func protoSeedFiles() []string {
	seeds, _ := filepath.Glob("../testdata/golden/proto_*/input.txtar")
	bad, _ := filepath.Glob("../testdata/bad/proto_*.txtar")
	return append(seeds, bad...)
}

// TestFuzzProtoSeeds: the seeds exercise what they are meant to, so the
// flags FuzzProto reads from them are right: every proto golden input
// generates, every proto bad-input case given with --proto fails.
func TestFuzzProtoSeeds(t *testing.T) {
	golden, _ := filepath.Glob("../testdata/golden/proto_*/input.txtar")
	bad, _ := filepath.Glob("../testdata/bad/proto_*.txtar")
	for _, name := range append(golden, bad...) {
		t.Run(filepath.Base(filepath.Dir(name))+"/"+filepath.Base(name), func(t *testing.T) {
			archive, ok := protoSeed(t, name)
			if !ok {
				t.Skip("no .proto file given with --proto")
			}
			generated := generateProtoArchive(t, archive)
			if isGolden := slices.Contains(golden, name); generated != isGolden {
				t.Errorf("generated: %v, want %v", generated, isGolden)
			}
		})
	}
}

// protoSeed turns a golden input or bad-input case into a FuzzProto input:
// its .proto files, and the flags of its command as the comment.
func protoSeed(t testing.TB, name string) ([]byte, bool) {
	ar, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	files := protoFiles(ar.Files)
	flags := ""
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if rest, ok := strings.CutPrefix(line, "kitforge generate "); ok {
			flags = rest
		}
	}
	if len(files) == 0 || !strings.Contains(flags, "--proto") {
		return nil, false
	}
	return txtar.Format(&txtar.Archive{Comment: []byte(flags + "\n"), Files: files}), true
}

// generateProtoArchive runs a FuzzProto input through Generate and checks
// what FuzzProto promises; it reports whether the input generated.
func generateProtoArchive(t testing.TB, archive []byte) bool {
	ar := txtar.Parse(archive)
	files := protoFiles(ar.Files)
	if len(files) == 0 {
		return false
	}
	opts := protoFlags(string(ar.Comment))
	if len(opts.Proto) == 0 {
		opts.Proto = []string{files[0].Name}
	}
	d := fuzzEnv(t)
	dir := writeFuzzModule(t, files)
	return generateInMemory(t, d, dir, Config{Options: opts}, func(e *model.Error) bool { return strings.Contains(e.Msg, "--go-package") })
}

// protoFlags reads the flags FuzzProto takes from an archive's comment;
// anything else is ignored.
func protoFlags(comment string) config.Options {
	var o config.Options
	words := strings.Fields(comment)
	for i := 0; i+1 < len(words); i++ {
		v := words[i+1]
		switch words[i] {
		case "--proto":
			if safeRel(v) {
				o.Proto = append(o.Proto, v)
			}
		case "-I":
			if safeRel(v) {
				o.ProtoPaths = append(o.ProtoPaths, v)
			}
		case "--go-package":
			o.GoPackage = append(o.GoPackage, v)
		case "--name":
			o.Name = v
		default:
			continue
		}
		i++
	}
	return o
}

// protoFiles keeps the archive's .proto files with clean, relative,
// module-local paths, so a mutated archive never writes outside its module.
func protoFiles(files []txtar.File) []txtar.File {
	var out []txtar.File
	for _, f := range files {
		if strings.HasSuffix(f.Name, ".proto") && safeRel(f.Name) &&
			!slices.ContainsFunc(out, func(g txtar.File) bool { return g.Name == f.Name }) {
			out = append(out, txtar.File{Name: f.Name, Data: bytes.Clone(f.Data)})
		}
	}
	return out
}

// safeRel reports whether name is a clean relative path that stays inside
// the module and that every file system can hold.
func safeRel(n string) bool {
	return n != "" && path.Clean(n) == n && !path.IsAbs(n) && n != ".." && !strings.HasPrefix(n, "../") &&
		!strings.ContainsAny(n, "\\:\x00") && strings.Count(n, "/") <= 8 && !slices.ContainsFunc(strings.Split(n, "/"), tooLong)
}
