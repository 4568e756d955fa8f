package testinfra

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestKubeAPIServer(t *testing.T) {
	k := KubeAPIServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	if kc, err := os.ReadFile(k.Kubeconfig); err != nil || !strings.Contains(string(kc), k.URL) {
		t.Fatalf("kubeconfig %s: %v\n%s", k.Kubeconfig, err, kc)
	}
	ns := "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kitforge\n"
	if err := k.Apply(ctx, []byte(ns), ApplyOptions{}); err != nil {
		t.Fatalf("apply namespace: %v", err)
	}
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  a: b\n"
	if err := k.Apply(ctx, []byte(cm), ApplyOptions{Namespace: "kitforge", DryRun: true}); err != nil {
		t.Fatalf("dry-run apply: %v", err)
	}
	// A dry run stores nothing.
	code, body, err := k.Do(ctx, http.MethodGet, "/api/v1/namespaces/kitforge/configmaps/conf", "", nil)
	if err != nil || code != http.StatusNotFound {
		t.Fatalf("GET after dry run: %d %v %s, want 404", code, err, body)
	}

	for _, bad := range []struct{ manifest, want string }{
		{"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndta:\n  a: b\n", "dta"},
		{"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      containers:\n        - name: d\n          image: d\n          ports:\n            - name: a-name-longer-than-15\n              containerPort: 80\n", "15"},
		{"apiVersion: v1\nkind: Nonesuch\nmetadata:\n  name: x\n", "Nonesuch"},
	} {
		err := k.Apply(ctx, []byte(bad.manifest), ApplyOptions{Namespace: "kitforge", DryRun: true})
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("apply of\n%s\n= %v, want an error naming %q", bad.manifest, err, bad.want)
		} else {
			t.Logf("rejected: %v", err)
		}
	}
}
