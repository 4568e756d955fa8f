package goparse

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchSizes are the numbers of methods of the benchmarked interfaces.
var benchSizes = []int{3, 50, 500}

// BenchmarkLoad loads a generated service of each size. Compare with
// BenchmarkGoList, the go list call go/packages cannot do without:
//
//	go test ./generator/goparse/ -run '^$' -bench . -benchtime 20x
func BenchmarkLoad(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("methods=%d", n), func(b *testing.B) {
			dir := benchModule(b, n)
			cfg := Config{Dir: dir, Pattern: "./svc"}
			if _, err := Load(context.Background(), cfg); err != nil { // warm the build cache
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := Load(context.Background(), cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGoList runs `go list -export -json` on the same packages as
// BenchmarkLoad: the floor of any go/packages load with types.
func BenchmarkGoList(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("methods=%d", n), func(b *testing.B) {
			dir := benchModule(b, n)
			run := func() {
				cmd := exec.Command("go", "list", "-export", "-json", "./svc")
				cmd.Dir = dir
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("go list: %v\n%s", err, out)
				}
			}
			run()
			for b.Loop() {
				run()
			}
		})
	}
}

// BenchmarkLoadVsGoList alternates Load and go list on the same package
// and reports how many times longer Load takes ("load/golist"), which is
// steadier than comparing two benchmarks run at different moments.
func BenchmarkLoadVsGoList(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("methods=%d", n), func(b *testing.B) {
			dir := benchModule(b, n)
			cfg := Config{Dir: dir, Pattern: "./svc"}
			goList := exec.Command("go", "list", "-export", "-json", "./svc")
			goList.Dir = dir
			if out, err := goList.CombinedOutput(); err != nil { // warm the build cache
				b.Fatalf("go list: %v\n%s", err, out)
			}
			var load, list time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := Load(context.Background(), cfg); err != nil {
					b.Fatal(err)
				}
				mid := time.Now()
				cmd := exec.Command("go", "list", "-export", "-json", "./svc")
				cmd.Dir = dir
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
				load, list = load+mid.Sub(start), list+time.Since(mid)
			}
			b.ReportMetric(float64(load)/float64(list), "load/golist")
			b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "load-ms/op")
			b.ReportMetric(float64(list.Milliseconds())/float64(b.N), "golist-ms/op")
		})
	}
}

// benchModule writes a module with a service of n methods (and its
// implementation) into a temporary directory.
func benchModule(b *testing.B, n int) string {
	dir := b.TempDir()
	var svc, impl strings.Builder
	svc.WriteString(`package svc

import (
	"context"
	"time"
)

// Input is a request payload.
type Input struct {
	Name  string            ` + "`json:\"name\"`" + `
	Tags  []string          ` + "`json:\"tags,omitempty\"`" + `
	Attrs map[string]string ` + "`json:\"attrs\"`" + `
	When  time.Time         ` + "`json:\"when\"`" + `
}

// Output is a response payload.
type Output struct {
	ID    string
	Items []*Input
	Took  time.Duration
}

// Service is benchmarked.
//
//kitforge:service
type Service interface {
`)
	impl.WriteString("package svc\n\nimport (\n\t\"context\"\n\t\"time\"\n)\n\ntype basic struct{}\n\n")
	for i := range n {
		fmt.Fprintf(&svc, "\t// Method%d does thing %d.\n\t// kitforge:http PUT /things/{id}/m%d\n", i, i, i)
		fmt.Fprintf(&svc, "\tMethod%d(ctx context.Context, id string, in Input, at time.Time) (Output, error)\n", i)
		fmt.Fprintf(&impl, "func (basic) Method%d(ctx context.Context, id string, in Input, at time.Time) (Output, error) {\n\treturn Output{ID: id}, nil\n}\n\n", i)
	}
	svc.WriteString("}\n")
	impl.WriteString("// New returns the service.\nfunc New() Service { return basic{} }\n")
	for name, data := range map[string]string{
		"go.mod":         "module example.com/bench\n\ngo 1.26\n",
		"svc/service.go": svc.String(),
		"svc/basic.go":   impl.String(),
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
