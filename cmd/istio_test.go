package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	networkingv1 "istio.io/api/networking/v1"
	securityv1 "istio.io/api/security/v1"
)

// TestIstioResources decodes every golden case's Istio resources into
// istio.io/api's types with protojson, which refuses unknown fields (a typo
// inside spec that a plain YAML decode would let through), and checks that
// they agree with each other and with the service: the hosts are the
// Kubernetes Service, the VirtualService routes to subsets the
// DestinationRule declares with weights adding up to 100, the subsets'
// labels are the Deployment's pod labels, and the timeouts fit the
// server's (-http-write-timeout 30s, -http-idle-timeout 120s).
func TestIstioResources(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(goldenDir, "*", "deploy", "istio"))
	must(t, err)
	more, err := filepath.Glob(filepath.Join(goldenDir, "*", "deploy", "*", "istio"))
	must(t, err)
	dirs = append(dirs, more...)
	if len(dirs) < 2 {
		t.Fatalf("golden Istio resources: %v, want the grpc and system cases' at least", dirs)
	}
	for _, dir := range dirs {
		t.Run(strings.TrimPrefix(dir, goldenDir+"/"), func(t *testing.T) {
			var dr networkingv1.DestinationRule
			var vs networkingv1.VirtualService
			var pa securityv1.PeerAuthentication
			name := istioSpec(t, filepath.Join(dir, "destinationrule.yaml"), "networking.istio.io/v1", "DestinationRule", &dr)
			istioSpec(t, filepath.Join(dir, "virtualservice.yaml"), "networking.istio.io/v1", "VirtualService", &vs)
			istioSpec(t, filepath.Join(dir, "peerauthentication.yaml"), "security.istio.io/v1", "PeerAuthentication", &pa)

			podLabels := deploymentPodLabels(t, filepath.Join(filepath.Dir(dir), "k8s", "deployment.yaml"))
			if dr.Host != name || len(vs.Hosts) != 1 || vs.Hosts[0] != name {
				t.Errorf("hosts: DestinationRule %q, VirtualService %v, want the Service %q", dr.Host, vs.Hosts, name)
			}
			subsets := map[string]bool{}
			for _, s := range dr.Subsets {
				subsets[s.Name] = true
				for k, v := range s.Labels {
					if podLabels[k] != v {
						t.Errorf("subset %s selects %s=%s, which the Deployment's pods are not labelled with (%v)", s.Name, k, v, podLabels)
					}
				}
			}
			if idle := dr.GetTrafficPolicy().GetConnectionPool().GetHttp().GetIdleTimeout().AsDuration(); idle <= 0 || idle >= 120*time.Second {
				t.Errorf("the proxy's idle timeout %v must be below the server's 120s", idle)
			}
			if dr.GetTrafficPolicy().GetOutlierDetection() == nil {
				t.Error("no outlier detection: the mesh's circuit breaker")
			}
			for _, route := range vs.Http {
				total := int32(0)
				for _, d := range route.Route {
					total += d.Weight
					if d.Destination.Host != name || !subsets[d.Destination.Subset] {
						t.Errorf("route to %s subset %q: not a subset of the DestinationRule", d.Destination.Host, d.Destination.Subset)
					}
				}
				if total != 100 {
					t.Errorf("route weights add up to %d, want 100", total)
				}
				timeout := route.Timeout.AsDuration()
				r := route.Retries
				if timeout <= 0 || timeout > 30*time.Second || r == nil || time.Duration(r.Attempts)*r.PerTryTimeout.AsDuration() > timeout {
					t.Errorf("route timeout %v, %v attempts of %v: must fit the server's 30s write timeout", timeout, r.GetAttempts(), r.GetPerTryTimeout().AsDuration())
				}
			}
			if pa.GetSelector().GetMatchLabels()["app"] != podLabels["app"] {
				t.Errorf("PeerAuthentication selects %v, the pods are %v", pa.GetSelector().GetMatchLabels(), podLabels)
			}
			strict := pa.GetMtls().GetMode() == securityv1.PeerAuthentication_MutualTLS_STRICT
			if mutual := dr.GetTrafficPolicy().GetTls().GetMode() == networkingv1.ClientTLSSettings_ISTIO_MUTUAL; strict != mutual {
				t.Errorf("PeerAuthentication %v but the DestinationRule's TLS mode is %v", pa.GetMtls().GetMode(), dr.GetTrafficPolicy().GetTls().GetMode())
			}
		})
	}
}

// istioSpec reads an Istio resource, checks its apiVersion and kind, decodes
// its spec into spec with unknown fields refused, and returns its name.
func istioSpec(t *testing.T, file, apiVersion, kind string, spec proto.Message) string {
	t.Helper()
	data, err := os.ReadFile(file)
	must(t, err)
	var doc struct {
		APIVersion string         `yaml:"apiVersion"`
		Kind       string         `yaml:"kind"`
		Metadata   map[string]any `yaml:"metadata"`
		Spec       map[string]any `yaml:"spec"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if doc.APIVersion != apiVersion || doc.Kind != kind {
		t.Fatalf("%s: %s %s, want %s %s", file, doc.APIVersion, doc.Kind, apiVersion, kind)
	}
	js, err := json.Marshal(doc.Spec)
	must(t, err)
	if err := protojson.Unmarshal(js, spec); err != nil {
		t.Fatalf("%s: spec does not decode as %s: %v", file, kind, err)
	}
	name, _ := doc.Metadata["name"].(string)
	return name
}

// deploymentPodLabels returns the pod template labels of a Deployment.
func deploymentPodLabels(t *testing.T, file string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(file)
	must(t, err)
	var d struct {
		Spec struct {
			Template struct {
				Metadata struct {
					Labels map[string]string `yaml:"labels"`
				} `yaml:"metadata"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	must(t, yaml.Unmarshal(data, &d))
	return d.Spec.Template.Metadata.Labels
}
