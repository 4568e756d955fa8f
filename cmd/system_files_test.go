package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// TestSystemFilesValidate loads the system golden case's docker-compose.yaml
// with compose-go (the loader of `docker compose config`, schema checked)
// and builds its deploy/kustomization.yaml with kustomize's API, as
// `kubectl apply -k deploy/` would: every service and the registry are in
// both, with the ports and the wiring kitforge.yaml says.
func TestSystemFilesValidate(t *testing.T) {
	dir := filepath.Join(goldenDir, "system")
	compose, err := os.ReadFile(filepath.Join(dir, "docker-compose.yaml"))
	must(t, err)
	abs, err := filepath.Abs(dir)
	must(t, err)
	project, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  abs,
		ConfigFiles: []types.ConfigFile{{Filename: "docker-compose.yaml", Content: compose}},
	}, func(o *loader.Options) { o.SetProjectName("system", true) })
	if err != nil {
		t.Fatalf("docker-compose.yaml does not load: %v", err)
	}
	for _, name := range []string{"users", "catalog", "orders", "consul"} {
		if _, err := project.GetService(name); err != nil {
			t.Errorf("compose: %v", err)
		}
	}
	orders, _ := project.GetService("orders")
	if got := orders.Environment["USERS_REGISTRY"]; got == nil || *got != "consul:8500" {
		t.Errorf("orders finds users in %v, want consul:8500", got)
	}
	if got := orders.Environment["CATALOG_ADDR"]; got == nil || !strings.HasPrefix(*got, "catalog:8080") {
		t.Errorf("orders calls catalog at %v, want catalog:8080...", got)
	}
	hostPorts := map[string]bool{}
	for _, s := range project.Services {
		for _, p := range s.Ports {
			if hostPorts[p.Published] {
				t.Errorf("host port %s published twice", p.Published)
			}
			hostPorts[p.Published] = true
		}
	}

	res, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), filepath.Join(abs, "deploy"))
	if err != nil {
		t.Fatalf("kustomize build deploy/: %v", err)
	}
	kinds := map[string]int{}
	for _, r := range res.Resources() {
		kinds[r.GetKind()+"/"+r.GetName()]++
	}
	for _, name := range []string{"users", "catalog", "orders"} {
		for _, kind := range []string{"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"} {
			if kinds[kind+"/"+name] != 1 {
				t.Errorf("kustomize build: %s/%s appears %d times, want once (%v)", kind, name, kinds[kind+"/"+name], kinds)
			}
		}
	}
}
