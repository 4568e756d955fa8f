package testinfra

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

// KubeAPI is a kube-apiserver (the binary scripts/services builds) started
// for one test on 127.0.0.1, backed by an etcd of its own. No controllers or
// scheduler run: it stores and validates objects (server-side apply, dry
// run, strict field validation, watches), nothing more.
type KubeAPI struct {
	// Server is the kube-apiserver process; URL is "https://"+Addr.
	*Server
	// Etcd is its storage.
	Etcd *Server
	// Token is the bearer token of a user in system:masters (authorization
	// is AlwaysAllow anyway).
	Token string
	// CAFile is the PEM file of the CA that signed the server's certificate.
	CAFile string
	// Kubeconfig is a kubeconfig file for kubectl or client-go: the server,
	// CAFile and Token.
	Kubeconfig string

	client *http.Client

	mu        sync.Mutex
	resources map[string]apiResource // by apiVersion + "/" + kind
}

// apiResource is what discovery says about a kind: its plural name and
// whether its objects live in a namespace.
type apiResource struct {
	name       string
	namespaced bool
}

// KubeAPIServer starts etcd and a kube-apiserver with PKI made here (a CA, a
// serving certificate for 127.0.0.1 and localhost, a service-account key),
// a static token and AlwaysAllow authorization. Ready when /readyz answers
// ok.
func KubeAPIServer(t testing.TB) *KubeAPI {
	t.Helper()
	bin := lookPath(kubeAPIServerBinary())
	if bin == "" {
		missing(t, "kube-apiserver")
	}
	if lookPath("etcd", "/usr/bin/etcd") == "" {
		missing(t, "etcd")
	}
	pki, err := newKubePKI()
	if err != nil {
		t.Fatalf("kube-apiserver: PKI: %v", err)
	}
	k := &KubeAPI{Token: randomToken(), client: pki.client()}
	// Durability is no concern of a test's store.
	k.Etcd = startEtcd(t, "--unsafe-no-fsync")
	k.Server = launch(t, spec{
		name:  "kube-apiserver",
		roles: []string{"https"},
		// It starts in ~2 s on a quiet machine; a loaded one takes longer.
		timeout: 3 * time.Minute,
		setup: func(s *Server) error {
			s.Addr = hostPort(s.Ports["https"])
			s.HTTPAddr = s.Addr
			s.URL = "https://" + s.Addr
			k.CAFile = filepath.Join(s.Dir, "ca.crt")
			k.Kubeconfig = filepath.Join(s.Dir, "kubeconfig")
			if err := pki.write(s.Dir); err != nil {
				return err
			}
			tokens := fmt.Sprintf("%s,kitforge-test,kitforge-test,\"system:masters\"\n", k.Token)
			if err := os.WriteFile(filepath.Join(s.Dir, "tokens.csv"), []byte(tokens), 0o600); err != nil {
				return err
			}
			return os.WriteFile(k.Kubeconfig, []byte(kubeconfig(s.URL, k.CAFile, k.Token)), 0o600)
		},
		command: func(s *Server) *exec.Cmd {
			f := func(name string) string { return filepath.Join(s.Dir, name) }
			return exec.Command(bin,
				"--etcd-servers", k.Etcd.URL,
				"--bind-address", "127.0.0.1",
				"--advertise-address", "127.0.0.1",
				"--secure-port", fmt.Sprint(s.Ports["https"]),
				"--cert-dir", s.Dir,
				"--tls-cert-file", f("server.crt"),
				"--tls-private-key-file", f("server.key"),
				"--client-ca-file", f("ca.crt"),
				"--token-auth-file", f("tokens.csv"),
				"--authorization-mode", "AlwaysAllow",
				"--service-account-issuer", "https://kubernetes.default.svc",
				"--service-account-key-file", f("sa.pub"),
				"--service-account-signing-key-file", f("sa.key"),
				"--service-cluster-ip-range", "10.96.0.0/16",
				"--enable-priority-and-fairness=false",
				"--endpoint-reconciler-type", "none",
			)
		},
		ready: func(ctx context.Context, s *Server) error {
			// k.Server is set only once launch returns: s is the server.
			code, body, err := k.do(ctx, s.URL, http.MethodGet, "/readyz", "", nil)
			if err != nil {
				return err
			}
			if code != http.StatusOK {
				return fmt.Errorf("GET /readyz: %d %.300q", code, body)
			}
			return nil
		},
	})
	return k
}

// kubeAPIServerBinary is where scripts/services puts the kube-apiserver it
// builds.
func kubeAPIServerBinary() string {
	if p := os.Getenv("KITFORGE_KUBE_APISERVER"); p != "" {
		return p
	}
	return filepath.Join(CacheDir(), "bin", "kube-apiserver")
}

// kubeconfig is a kubeconfig of one cluster, user and context.
func kubeconfig(server, caFile, token string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
  - name: testinfra
    cluster:
      server: %s
      certificate-authority: %s
users:
  - name: kitforge-test
    user:
      token: %s
contexts:
  - name: testinfra
    context:
      cluster: testinfra
      user: kitforge-test
current-context: testinfra
`, server, caFile, token)
}

// Do sends one request to the API server as Token's user: path is absolute
// and may carry a query. It returns the status code and the body.
func (k *KubeAPI) Do(ctx context.Context, method, path, contentType string, body []byte) (int, []byte, error) {
	return k.do(ctx, k.URL, method, path, contentType, body)
}

// do is Do against the server at base.
func (k *KubeAPI) do(ctx context.Context, base, method, path, contentType string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+k.Token)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := k.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	return resp.StatusCode, b, err
}

// ApplyOptions say how Apply sends an object.
type ApplyOptions struct {
	// Namespace is used for a namespaced object without metadata.namespace
	// ("default" if empty).
	Namespace string
	// DryRun has the server validate, default and admit the object without
	// storing it (dryRun=All).
	DryRun bool
}

// Apply sends one object (YAML or JSON) with server-side apply as field
// manager "kitforge-test" with strict field validation: an unknown or
// duplicate field, like any invalid value, is an error carrying the server's
// message. The object's kind must be one the server serves.
func (k *KubeAPI) Apply(ctx context.Context, manifest []byte, opts ApplyOptions) error {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	if err := yaml.Unmarshal(manifest, &head); err != nil {
		return fmt.Errorf("decode manifest: %v", err)
	}
	if head.APIVersion == "" || head.Kind == "" || head.Metadata.Name == "" {
		return fmt.Errorf("manifest lacks apiVersion, kind or metadata.name")
	}
	res, err := k.resource(ctx, head.APIVersion, head.Kind)
	if err != nil {
		return err
	}
	p := "/apis/" + head.APIVersion
	if !strings.Contains(head.APIVersion, "/") {
		p = "/api/" + head.APIVersion
	}
	if res.namespaced {
		ns := head.Metadata.Namespace
		if ns == "" {
			ns = opts.Namespace
		}
		if ns == "" {
			ns = "default"
		}
		p += "/namespaces/" + url.PathEscape(ns)
	}
	q := url.Values{"fieldManager": {"kitforge-test"}, "fieldValidation": {"Strict"}}
	if opts.DryRun {
		q.Set("dryRun", "All")
	}
	p += "/" + res.name + "/" + url.PathEscape(head.Metadata.Name) + "?" + q.Encode()
	code, body, err := k.Do(ctx, http.MethodPatch, p, "application/apply-patch+yaml", manifest)
	if err != nil {
		return err
	}
	if code/100 != 2 {
		return fmt.Errorf("%s %s: %d: %s", head.Kind, head.Metadata.Name, code, statusMessage(body))
	}
	return nil
}

// statusMessage is the message of a metav1.Status body, or the body.
func statusMessage(body []byte) string {
	var st struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &st) == nil && st.Message != "" {
		return st.Message
	}
	return string(body)
}

// resource looks kind of apiVersion up in the server's discovery document
// of that group version (once per group version).
func (k *KubeAPI) resource(ctx context.Context, apiVersion, kind string) (apiResource, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if r, ok := k.resources[apiVersion+"/"+kind]; ok {
		return r, nil
	}
	p := "/apis/" + apiVersion
	if !strings.Contains(apiVersion, "/") {
		p = "/api/" + apiVersion
	}
	code, body, err := k.Do(ctx, http.MethodGet, p, "", nil)
	if err != nil {
		return apiResource{}, err
	}
	if code != http.StatusOK {
		return apiResource{}, fmt.Errorf("%s is not served (GET %s: %d %s)", apiVersion, p, code, statusMessage(body))
	}
	var list struct {
		Resources []struct {
			Name       string `json:"name"`
			Namespaced bool   `json:"namespaced"`
			Kind       string `json:"kind"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return apiResource{}, fmt.Errorf("GET %s: %v", p, err)
	}
	if k.resources == nil {
		k.resources = map[string]apiResource{}
	}
	for _, r := range list.Resources {
		if !strings.Contains(r.Name, "/") { // not a subresource
			k.resources[apiVersion+"/"+r.Kind] = apiResource{name: r.Name, namespaced: r.Namespaced}
		}
	}
	r, ok := k.resources[apiVersion+"/"+kind]
	if !ok {
		return apiResource{}, fmt.Errorf("kind %s is not served in %s", kind, apiVersion)
	}
	return r, nil
}

// client is an HTTPS client that trusts only p's CA: no proxy, short
// timeouts.
func (p *kubePKI) client() *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(p.ca.cert)
	return &http.Client{
		Transport: &http.Transport{
			Proxy:           nil,
			DialContext:     (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
			TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		},
		Timeout: 30 * time.Second,
	}
}
