package cmd

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/kitforge/kitforge/internal/testinfra"
)

// k8sNamespace is where the manifests (which name none) are applied.
const k8sNamespace = "kitforge-golden"

// TestK8sManifestsApply applies every Kubernetes manifest of every golden
// case, and the system case's deploy/ as kustomize builds it (what
// `kubectl apply -k deploy/` sends), to a real kube-apiserver with
// server-side apply, dry run and strict field validation: the server's
// schema, validation and admission accept each object, or the test fails
// with the server's message.
func TestK8sManifestsApply(t *testing.T) {
	k := testinfra.KubeAPIServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// Dry runs against a namespace that does not exist are refused.
	ns := "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + k8sNamespace + "\n"
	if err := k.Apply(ctx, []byte(ns), testinfra.ApplyOptions{}); err != nil {
		t.Fatalf("create namespace: %v", err)
	}
	installIstioCRDs(ctx, t, k)
	objects := 0
	apply := func(t *testing.T, name string, manifest []byte) {
		t.Helper()
		for i, doc := range splitYAML(manifest) {
			objects++
			if err := k.Apply(ctx, doc, testinfra.ApplyOptions{Namespace: k8sNamespace, DryRun: true}); err != nil {
				t.Errorf("%s (document %d): the API server rejects it: %v", name, i+1, err)
			}
		}
	}

	cases, err := os.ReadDir(goldenDir)
	must(t, err)
	applied := 0
	for _, c := range cases {
		deploy := filepath.Join(goldenDir, c.Name(), "deploy")
		if _, err := os.Stat(deploy); err != nil {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			err := filepath.WalkDir(deploy, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") || d.Name() == "kustomization.yaml" {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(goldenDir, p)
				apply(t, rel, b)
				applied++
				return nil
			})
			must(t, err)
		})
	}
	if applied == 0 {
		t.Fatal("no manifests found under " + goldenDir + "/*/deploy")
	}

	t.Run("system/kustomize", func(t *testing.T) {
		abs, err := filepath.Abs(filepath.Join(goldenDir, "system", "deploy"))
		must(t, err)
		res, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), abs)
		if err != nil {
			t.Fatalf("kustomize build deploy/: %v", err)
		}
		for _, r := range res.Resources() {
			b, err := r.AsYAML()
			must(t, err)
			apply(t, "kustomize build system/deploy: "+r.GetKind()+"/"+r.GetName(), b)
		}
	})
	t.Logf("%d objects of %d files and the system's kustomization applied", objects, applied)

	// The check can fail: a field the schema lacks, in a generated
	// Deployment, is refused with the server's message.
	t.Run("rejects", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(goldenDir, "calc", "deploy", "k8s", "deployment.yaml"))
		must(t, err)
		line := "\n            readOnlyRootFilesystem: true\n"
		bad := bytes.Replace(b, []byte(line), []byte(line+"            readOnlyRootFileSystem: true\n"), 1)
		if bytes.Equal(b, bad) {
			t.Fatal("calc's deployment.yaml has no readOnlyRootFilesystem line to misspell")
		}
		err = k.Apply(ctx, bad, testinfra.ApplyOptions{Namespace: k8sNamespace, DryRun: true})
		if err == nil || !strings.Contains(err.Error(), "readOnlyRootFileSystem") {
			t.Fatalf("a misspelt field was not refused: %v", err)
		}
		t.Logf("refused as it should be: %v", err)
	})
}

// istioCRDs are the custom resources of the Istio resources kitforge writes.
var istioCRDs = []string{"destinationrules.networking.istio.io", "virtualservices.networking.istio.io", "peerauthentications.security.istio.io"}

// installIstioCRDs installs Istio's definitions of the resources kitforge
// writes, from istio.io/api (the module TestIstioResources decodes them
// with, so both checks use one Istio version), and waits until the API
// server serves them: the Istio manifests are then validated by the
// server as an Istio cluster's would validate them.
func installIstioCRDs(ctx context.Context, t *testing.T, k *testinfra.KubeAPI) {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "istio.io/api").Output()
	if err != nil {
		t.Fatalf("go list -m istio.io/api: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "kubernetes", "customresourcedefinitions.gen.yaml"))
	must(t, err)
	installed := 0
	for _, doc := range splitYAML(data) {
		for _, name := range istioCRDs {
			if bytes.Contains(doc, []byte("\n  name: "+name+"\n")) {
				if err := k.Apply(ctx, doc, testinfra.ApplyOptions{}); err != nil {
					t.Fatalf("install the CRD %s: %v", name, err)
				}
				installed++
			}
		}
	}
	if installed != len(istioCRDs) {
		t.Fatalf("found %d of the CRDs %v in istio.io/api", installed, istioCRDs)
	}
	for _, gv := range []string{"networking.istio.io/v1", "security.istio.io/v1"} {
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			code, _, err := k.Do(ctx, "GET", "/apis/"+gv, "", nil)
			if err == nil && code == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the API server does not serve %s 30 s after its CRDs were installed (%d, %v)", gv, code, err)
			}
		}
	}
}

// splitYAML splits a YAML stream into its non-empty documents.
func splitYAML(b []byte) [][]byte {
	var docs [][]byte
	for _, d := range bytes.Split(append([]byte("\n"), b...), []byte("\n---")) {
		if len(bytes.TrimSpace(stripComments(d))) > 0 {
			docs = append(docs, d)
		}
	}
	return docs
}

// stripComments drops the YAML comment lines of b.
func stripComments(b []byte) []byte {
	var out []byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(l), []byte("#")) {
			out = append(out, l...)
			out = append(out, '\n')
		}
	}
	return out
}
