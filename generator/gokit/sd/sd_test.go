package sd

import (
	"bytes"
	"go/format"
	"testing"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// TestSDSourceIsFormatted checks that the client's sd_gen.go and the
// server's registry_gen.go come out gofmt'd for every registry, though only
// their head is formatted when they are generated.
func TestSDSourceIsFormatted(t *testing.T) {
	svc := &model.Service{Name: "calc", GoName: "Calc", Source: model.SourceGo}
	for _, registry := range []string{"", discoveryConsul, discoveryEtcd, discoveryEureka, discoveryZooKeeper, discoveryDNSSRV} {
		for _, grpc := range []bool{false, true} {
			l := gokit.NewLayout("example.com/calc", "calc", gokit.Pkg{Path: "example.com/calc/pkg/calcservice", Name: "calcservice", Dir: "pkg/calcservice"}, "pkg")
			l.Discovery, l.GRPC = registry, grpc
			emitters := map[string]func(*model.Service, gokit.Layout) ([]byte, error){"sd_gen.go": SDClient}
			if HasRegistry(l) {
				emitters["registry_gen.go"] = Registry
			}
			for name, emit := range emitters {
				src, err := emit(svc, l)
				if err != nil {
					t.Fatalf("%s (%q): %v", name, registry, err)
				}
				formatted, err := format.Source(src)
				if err != nil {
					t.Fatalf("%s (%q): %v", name, registry, err)
				}
				if !bytes.Equal(formatted, src) {
					t.Errorf("%s (discovery %q, gRPC %v) is not gofmt'd", name, registry, grpc)
				}
			}
		}
	}
}

func BenchmarkSDClient(b *testing.B) {
	svc := &model.Service{Name: "calc", GoName: "Calc", Source: model.SourceGo}
	l := gokit.NewLayout("example.com/calc", "calc", gokit.Pkg{Path: "example.com/calc/pkg/calcservice", Name: "calcservice", Dir: "pkg/calcservice"}, "pkg")
	l.Discovery = discoveryConsul
	for b.Loop() {
		if _, err := SDClient(svc, l); err != nil {
			b.Fatal(err)
		}
	}
}
