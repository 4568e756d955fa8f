package generator

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/config"
)

// BenchmarkGenerate measures full generation (load with types → every file
// formatted in memory) for interfaces of 3, 50 and 500 methods, beside
// `go list -export -json` on the same package: the floor that any type-true
// generator pays. Report generate/golist as a ratio:
//
//	go test ./generator -run '^$' -bench Generate -benchmem
func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{3, 50, 500} {
		dir := benchModule(b, n)
		for _, base := range goListBaselines {
			b.Run(fmt.Sprintf("methods=%d/%s", n, base.name), func(b *testing.B) {
				list := func() {
					cmd := exec.Command("go", append([]string{"list"}, append(base.args, "./svc")...)...)
					cmd.Dir = dir
					if out, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("go list: %v\n%s", err, out)
					}
				}
				list()
				for b.Loop() {
					list()
				}
			})
		}
		b.Run(fmt.Sprintf("methods=%d/generate", n), func(b *testing.B) {
			cfg := Config{Dir: dir, Options: config.Options{Package: "./svc"}, FirstRun: true}
			if _, err := Generate(context.Background(), cfg); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := Generate(context.Background(), cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// goListBaselines are the go list calls generation is compared with:
// "golist" loads the package alone; "golist-types" is the call go/packages
// makes for a load with types (export data of the package and its
// dependencies), the true floor of a type-true generator.
var goListBaselines = []struct {
	name string
	args []string
}{
	{"golist", []string{"-export", "-json"}},
	{"golist-types", []string{"-e", "-json", "-compiled=true", "-test=false", "-export=true", "-deps=true", "-find=false", "-pgo=off", "--"}},
}

// benchModule writes a module whose service has n REST methods taking a
// struct, a path parameter and a time.Time.
func benchModule(b *testing.B, n int) string {
	dir := b.TempDir()
	var svc strings.Builder
	svc.WriteString("package svc\n\nimport (\n\t\"context\"\n\t\"time\"\n)\n\n")
	svc.WriteString("// Input is a request payload.\ntype Input struct {\n\tName string `json:\"name\"`\n\tTags []string `json:\"tags\"`\n\tWhen time.Time `json:\"when\"`\n}\n\n")
	svc.WriteString("// Service is benchmarked.\ntype Service interface {\n")
	for i := range n {
		fmt.Fprintf(&svc, "\t// Method%d does thing %d.\n\t//\n\t// kitforge:http PUT /things/{id}/m%d\n", i, i, i)
		fmt.Fprintf(&svc, "\tMethod%d(ctx context.Context, id string, in Input, at time.Time) (Input, error)\n\n", i)
	}
	svc.WriteString("}\n")
	for name, data := range map[string]string{
		"go.mod":         "module example.com/bench\n\ngo 1.26.0\n",
		"svc/service.go": svc.String(),
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}
