package render

import (
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"

	"github.com/kitforge/kitforge/generator/model"
)

func calc() *model.Service {
	intT := &model.Type{Kind: model.Basic, BasicName: "int"}
	strT := &model.Type{Kind: model.Basic, BasicName: "string"}
	return &model.Service{
		Name: "calc",
		Methods: []*model.Method{
			{Name: "Sum", Params: []*model.Field{{JSONName: "a", Type: intT}, {JSONName: "b", Type: intT}},
				HTTP: []*model.HTTPBinding{{Verb: "POST", Path: "/sum", Body: "*"}}},
			{Name: "Greet", Params: []*model.Field{{JSONName: "name", Type: strT, In: model.InPath}, {JSONName: "excited", Type: &model.Type{Kind: model.Basic, BasicName: "bool"}, In: model.InQuery}},
				HTTP: []*model.HTTPBinding{{Verb: "GET", Path: "/greet/{name}"}}},
		},
	}
}

func rendered(t *testing.T, grpc string) map[string][]byte {
	t.Helper()
	fs, err := Files(NewView(calc(), Options{Module: "example.com/calc", CmdDir: "cmd/calc", ServiceDir: "pkg/calcservice", GRPCService: grpc, GoVersion: "1.26"}))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range fs {
		out[f.Path] = f.Content
	}
	return out
}

// TestManifestsDecodeStrictly decodes every Kubernetes manifest into the
// k8s.io/api types with unknown fields as errors, and checks the probes,
// ports and mesh labels.
func TestManifestsDecodeStrictly(t *testing.T) {
	for _, grpc := range []string{"", "calc.Calc"} {
		files := rendered(t, grpc)
		var dep appsv1.Deployment
		if err := yaml.UnmarshalStrict(files["deploy/k8s/deployment.yaml"], &dep); err != nil {
			t.Fatalf("deployment.yaml: %v", err)
		}
		var svc corev1.Service
		if err := yaml.UnmarshalStrict(files["deploy/k8s/service.yaml"], &svc); err != nil {
			t.Fatalf("service.yaml: %v", err)
		}
		var hpa autoscalingv2.HorizontalPodAutoscaler
		if err := yaml.UnmarshalStrict(files["deploy/k8s/hpa.yaml"], &hpa); err != nil {
			t.Fatalf("hpa.yaml: %v", err)
		}
		var pdb policyv1.PodDisruptionBudget
		if err := yaml.UnmarshalStrict(files["deploy/k8s/pdb.yaml"], &pdb); err != nil {
			t.Fatalf("pdb.yaml: %v", err)
		}
		if pdb.Spec.Selector.MatchLabels["app"] != "calc" {
			t.Errorf("pdb selects %v, not the deployment's pods", pdb.Spec.Selector)
		}
		c := dep.Spec.Template.Spec.Containers[0]
		checkShutdownFits(t, dep.Spec.Template.Spec, c)
		checkLockedDown(t, dep.Spec.Template.Spec, c)
		if c.LivenessProbe.HTTPGet.Path != "/healthz" || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
			t.Errorf("probes: liveness %s readiness %s", c.LivenessProbe.HTTPGet.Path, c.ReadinessProbe.HTTPGet.Path)
		}
		wantPorts := map[string]int32{"http": 8080}
		if grpc != "" {
			wantPorts["grpc"] = 8081
		}
		if len(c.Ports) != len(wantPorts) || len(svc.Spec.Ports) != len(wantPorts) {
			t.Errorf("ports: container %v service %v, want %v", c.Ports, svc.Spec.Ports, wantPorts)
		}
		for _, p := range c.Ports {
			if wantPorts[p.Name] != p.ContainerPort {
				t.Errorf("container port %s=%d", p.Name, p.ContainerPort)
			}
		}
		for _, p := range svc.Spec.Ports {
			if wantPorts[p.Name] != p.Port || p.TargetPort.StrVal != p.Name {
				t.Errorf("service port %+v", p)
			}
		}
		labels := dep.Spec.Template.Labels
		if labels["app"] != "calc" || labels["version"] == "" {
			t.Errorf("pod labels %v lack app/version for Istio", labels)
		}
		if dep.Spec.Selector.MatchLabels["app"] != "calc" || svc.Spec.Selector["app"] != "calc" || hpa.Spec.ScaleTargetRef.Name != "calc" {
			t.Error("selectors do not match the deployment")
		}
	}
}

// checkShutdownFits checks that the pod's grace period covers the server's
// shutdown: SHUTDOWN_DELAY then SHUTDOWN_TIMEOUT, before the kubelet kills it.
func checkShutdownFits(t *testing.T, pod corev1.PodSpec, c corev1.Container) {
	t.Helper()
	var total time.Duration
	for _, e := range c.Env {
		if e.Name == "SHUTDOWN_DELAY" || e.Name == "SHUTDOWN_TIMEOUT" {
			d, err := time.ParseDuration(e.Value)
			if err != nil {
				t.Fatalf("%s=%q: %v", e.Name, e.Value, err)
			}
			total += d
		}
	}
	var grace time.Duration
	if pod.TerminationGracePeriodSeconds != nil {
		grace = time.Duration(*pod.TerminationGracePeriodSeconds) * time.Second
	}
	if total == 0 || grace <= total {
		t.Errorf("terminationGracePeriodSeconds %v does not exceed the shutdown delay + timeout %v", grace, total)
	}
}

// checkLockedDown checks the pod's and container's security settings.
func checkLockedDown(t *testing.T, pod corev1.PodSpec, c corev1.Container) {
	t.Helper()
	ps, cs := pod.SecurityContext, c.SecurityContext
	if ps == nil || cs == nil {
		t.Fatal("no securityContext on the pod or the container")
	}
	if ps.RunAsNonRoot == nil || !*ps.RunAsNonRoot || ps.RunAsUser == nil || *ps.RunAsUser == 0 ||
		ps.SeccompProfile == nil || ps.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod securityContext %+v", ps)
	}
	if cs.AllowPrivilegeEscalation == nil || *cs.AllowPrivilegeEscalation || cs.ReadOnlyRootFilesystem == nil || !*cs.ReadOnlyRootFilesystem ||
		cs.Capabilities == nil || len(cs.Capabilities.Drop) != 1 || cs.Capabilities.Drop[0] != "ALL" {
		t.Errorf("container securityContext %+v", cs)
	}
	if len(pod.TopologySpreadConstraints) == 0 {
		t.Error("no topology spread constraints")
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources %+v", c.Resources)
	}
}

func TestReadmeTableIsKeptInStep(t *testing.T) {
	files := rendered(t, "calc.Calc")
	readme := string(files["README.md"])
	for _, want := range []string{
		"| Sum | `POST /sum` | `calc.Calc/Sum` |",
		`curl -s -X POST 'localhost:8080/sum' -H 'Content-Type: application/json' -d '{"a":1,"b":1}'`,
		`curl -s 'localhost:8080/greet/example?excited=true'`,
		"grpcurl -plaintext",
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("README lacks %q:\n%s", want, readme)
		}
	}
	edited := strings.Replace(readme, "## Run", "## Run\n\nMy own notes.", 1)
	svc := calc()
	svc.Methods = svc.Methods[:1]
	updated := string(UpdateReadme([]byte(edited), EndpointTable(svc, "", nil, 8080)))
	if !strings.Contains(updated, "My own notes.") || strings.Contains(updated, "Greet") {
		t.Errorf("UpdateReadme did not keep the user's text or did not replace the table:\n%s", updated)
	}
	if own := "no markers here"; string(UpdateReadme([]byte(own), "x")) != own {
		t.Error("a README without markers was changed")
	}
}
