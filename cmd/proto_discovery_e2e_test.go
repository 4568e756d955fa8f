package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// protoDiscoveryProto declares the service of the proto discovery tests:
// one unary rpc the probe calls through the generated client, and a
// streaming one, which the client does not balance.
const protoDiscoveryProto = `syntax = "proto3";

package greet.v1;

import "google/api/annotations.proto";

// Greeter greets.
service Greeter {
  // Greet says which instance served it.
  rpc Greet(GreetRequest) returns (GreetReply) {
    option (google.api.http) = {get: "/v1/greet/{name}"};
  }
  // Watch streams greetings.
  rpc Watch(GreetRequest) returns (stream GreetReply);
}

message GreetRequest {
  string name = 1;
}

message GreetReply {
  string message = 1;
}
`

// protoDiscoveryImpl implements Greeter so that a call says which instance
// served it (Greet answers name@INSTANCE).
const protoDiscoveryImpl = `// Scaffolded by kitforge: this file is yours to edit.

package greeterservice

import (
	"context"
	"os"

	greetv1 "example.com/tally/pkg/pb/greet/v1"
)

type basicService struct{}

// New returns the Greeter implementation.
func New() Service { return basicService{} }

// Greet says which instance served it.
func (basicService) Greet(_ context.Context, in *greetv1.GreetRequest) (*greetv1.GreetReply, error) {
	return &greetv1.GreetReply{Message: in.GetName() + "@" + os.Getenv("INSTANCE")}, nil
}

// Watch sends one greeting.
func (basicService) Watch(in *greetv1.GreetRequest, stream WatchStream) error {
	return stream.Send(&greetv1.GreetReply{Message: in.GetName() + "@" + os.Getenv("INSTANCE")})
}
`

// TestProtoDiscoveryEndToEnd runs the discovery scenario of
// TestDiscoveryEndToEnd (three instances of weights 1, 1 and 3 against a
// real registry; the split; SIGTERM with no failed call; kill -9; the
// registry stopped) on a service generated from a .proto file, called
// through its generated gRPC client, for Consul and etcd. The server
// registers as "tally", the name the scenario's registry queries use.
func TestProtoDiscoveryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated services and runs them against real registries; skipped with -short")
	}
	for _, sc := range discoveryScenarios() {
		if sc.name != "consul" && sc.name != "etcd" {
			continue
		}
		sc.transport = "http,grpc"
		sc.build = buildProtoDiscoveryService
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			runDiscoveryScenario(t, sc)
		})
	}
}

// buildProtoDiscoveryService generates the tally server of the Greeter
// proto service with the scenario's registry, implements it, adds the
// discovery probe (calling Greet through the generated greeterclient) and
// builds both.
func buildProtoDiscoveryService(t *testing.T, sc discoveryScenario) (svcBin, probeBin string) {
	t.Helper()
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	writeFile(t, filepath.Join(work, "api", "greet", "v1", "greet.proto"), protoDiscoveryProto)
	out := run(t, work, bin, "new", "tally", "--module", "example.com/tally", "--proto", "api/greet/v1/greet.proto", "-I", "api", "--discovery", sc.name)
	if !strings.Contains(out, "pkg/greeterclient/client_gen.go") {
		t.Errorf("kitforge new did not create the greeterclient package:\n%s", out)
	}
	mod := filepath.Join(work, "tally")
	writeFile(t, filepath.Join(mod, "pkg", "greeterservice", "service_impl.go"), protoDiscoveryImpl)
	probe := strings.NewReplacer(
		`"example.com/tally/pkg/tallyclient"`, `"example.com/tally/pkg/greeterclient"`+"\n\tgreetv1 \"example.com/tally/pkg/pb/greet/v1\"",
		"tallyclient.", "greeterclient.",
		`g, err := c.Greet(ctx, "probe", false)`, `resp, err := c.Greet(ctx, &greetv1.GreetRequest{Name: "probe"})`+"\n\t\t\tg := resp.GetMessage()",
		"DNS_OPTIONS", "",
		"GRPC_OPTION", "greeterclient.WithBalancer(greeterclient.Weighted)",
		"\t\"net\"\n", "",
	).Replace(discoveryProbe)
	must(t, os.MkdirAll(filepath.Join(mod, "cmd", "probe"), 0o755))
	must(t, os.WriteFile(filepath.Join(mod, "cmd", "probe", "main.go"), []byte(probe), 0o644))
	binDir := filepath.Join(work, "bin")
	run(t, mod, "go", "build", "-o", binDir+string(filepath.Separator), "./cmd/tally", "./cmd/probe")
	run(t, mod, "go", "vet", "./...")
	return filepath.Join(binDir, "tally"), filepath.Join(binDir, "probe")
}

// TestProtoDiscoverySwitch is TestDiscoverySwitch for proto services:
// generated with Consul, then switched to etcd, ZooKeeper and none, only
// the registration, the server and the clients' files change (a stale
// registry_gen.go goes), and the module builds each time.
func TestProtoDiscoverySwitch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated service; skipped with -short")
	}
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	writeFile(t, filepath.Join(work, "api", "greet", "v1", "greet.proto"), protoDiscoveryProto)
	run(t, work, bin, "new", "tally", "--module", "example.com/tally", "--proto", "api/greet/v1/greet.proto", "-I", "api", "--discovery", "consul")
	checkDiscoverySwitch(t, bin, filepath.Join(work, "tally"), "tallyserver", "greeterclient")
}
