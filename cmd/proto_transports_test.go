package cmd

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestProtoTransportSwitch: the transports of a .proto service are a
// regenerate away. From `kitforge new --proto` (HTTP and gRPC), generate
// with every kind of subset in turn; each time the files of the transports
// on are there and those of the others are gone, kitforge.yaml records the
// transports, the server has the flags of its transports only, the README's
// endpoint table has a column per transport, and the module vets (so it
// builds). Back to HTTP and gRPC, the tree is byte for byte what `new` made.
func TestProtoTransportSwitch(t *testing.T) {
	if testing.Short() {
		t.Skip("vets generated proto services; skipped with -short")
	}
	bin, _, mod := newProtoShop(t)
	initial := readTree(t, mod)

	files := map[string][]string{
		"http": {"pkg/orderstransport/http_gen.go", "pkg/internal/transcode/transcode_gen.go", "pkg/inventorytransport/http_gen.go"},
		"grpc": {"pkg/orderstransport/grpc_gen.go", "pkg/inventorytransport/grpc_gen.go"},
		"nats": {"pkg/orderstransport/nats_gen.go", "pkg/inventorytransport/nats_gen.go"},
	}
	flags := map[string]string{"http": "", "grpc": "GRPCAddr", "nats": "NATSURL"}
	columns := map[string]string{"http": " HTTP |", "grpc": " gRPC |", "nats": " NATS |"}
	for _, set := range [][]string{{"grpc"}, {"http"}, {"nats"}, {"grpc", "nats"}, {"http", "grpc", "nats"}, {"http", "grpc"}} {
		t.Run(strings.Join(set, "+"), func(t *testing.T) {
			run(t, mod, bin, "generate", "--transport", strings.Join(set, ","))
			cfg, err := os.ReadFile(filepath.Join(mod, "kitforge.yaml"))
			must(t, err)
			if want := "transports: [" + strings.Join(set, ", ") + "]"; !strings.Contains(string(cfg), want) {
				t.Errorf("kitforge.yaml lacks %q:\n%s", want, cfg)
			}
			server, err := os.ReadFile(filepath.Join(mod, "pkg", "shopserver", "server_gen.go"))
			must(t, err)
			readme, err := os.ReadFile(filepath.Join(mod, "README.md"))
			must(t, err)
			for tr, paths := range files {
				on := slices.Contains(set, tr)
				for _, p := range paths {
					if _, err := os.Stat(filepath.Join(mod, p)); (err == nil) != on {
						t.Errorf("transport %s on=%v, but %s exists=%v", tr, on, p, err == nil)
					}
				}
				if f := flags[tr]; f != "" && strings.Contains(string(server), "\t"+f+" ") != on {
					t.Errorf("transport %s on=%v, but Config has %s=%v", tr, on, f, !on)
				}
				if strings.Contains(string(readme), "| rpc |") && strings.Contains(string(readme), columns[tr]) != on {
					t.Errorf("transport %s on=%v, but the README's endpoint table has its column=%v:\n%s", tr, on, !on, readme)
				}
			}
			run(t, mod, "go", "vet", "./...")
		})
	}
	final := readTree(t, mod)
	compareTrees(t, initial, final)
}

// newProtoShop runs kitforge new --proto with protoNATSProto (services Orders
// and Inventory, HTTP and gRPC) in a temporary directory and returns the
// kitforge binary, that directory and the new module's.
func newProtoShop(t *testing.T) (bin, work, mod string) {
	t.Helper()
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work = t.TempDir()
	writeFile(t, filepath.Join(work, "api", "shop", "v1", "shop.proto"), protoNATSProto)
	run(t, work, bin, "new", "shop", "--module", "example.com/shop", "--proto", "api/shop/v1/shop.proto", "-I", "api")
	return bin, work, filepath.Join(work, "shop")
}
