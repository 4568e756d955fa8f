package cmd

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The TLS end-to-end test runs the generated slow service (HTTP and gRPC)
// with -tls-cert, -tls-key and -tls-client-ca and calls it as its users
// would: curl, grpcurl, the generated client; and checks the gRPC request
// ids and the status of a request message that does not unmarshal.

// certFiles are the PEM files of a test PKI: a CA, a server certificate
// for 127.0.0.1 and localhost, and a client certificate, both signed by
// the CA.
type certFiles struct{ dir, ca, serverCert, serverKey, clientCert, clientKey string }

// newCertFiles writes a CA, a server and a client certificate with their
// keys into a new directory. The server's certificate may authenticate
// clients too, so that -healthcheck can present it under mTLS.
func newCertFiles(t *testing.T) certFiles {
	t.Helper()
	dir := t.TempDir()
	caKey, caCert := newCert(t, nil, nil, &x509.Certificate{
		Subject:               pkix.Name{CommonName: "kitforge test CA"},
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	})
	serverKey, serverCert := newCert(t, caKey, caCert, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "slow"},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	})
	clientKey, clientCert := newCert(t, caKey, caCert, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "slow client"},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	f := certFiles{dir: dir}
	f.ca = writePEM(t, dir, "ca.pem", "CERTIFICATE", caCert.Raw)
	f.serverCert = writePEM(t, dir, "server.pem", "CERTIFICATE", serverCert.Raw)
	f.serverKey = writePEM(t, dir, "server-key.pem", "PRIVATE KEY", marshalKey(t, serverKey))
	f.clientCert = writePEM(t, dir, "client.pem", "CERTIFICATE", clientCert.Raw)
	f.clientKey = writePEM(t, dir, "client-key.pem", "PRIVATE KEY", marshalKey(t, clientKey))
	return f
}

// newCert creates a key and the certificate of tmpl for it, signed by
// parent's key (self-signed when parent is nil).
func newCert(t *testing.T, parentKey *ecdsa.PrivateKey, parent, tmpl *x509.Certificate) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	must(t, err)
	tmpl.SerialNumber = serial
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(24 * time.Hour)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	must(t, err)
	cert, err := x509.ParseCertificate(der)
	must(t, err)
	return key, cert
}

// marshalKey returns key in PKCS #8.
func marshalKey(t *testing.T, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	must(t, err)
	return der
}

// writePEM writes one PEM block to dir/name and returns its path.
func writePEM(t *testing.T, dir, name, kind string, der []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	must(t, os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600))
	return p
}

// client returns an HTTP client that trusts the test CA and, when withCert,
// presents the client certificate.
func (f certFiles) client(t *testing.T, withCert bool) *http.Client {
	t.Helper()
	data, err := os.ReadFile(f.ca)
	must(t, err)
	c := &tls.Config{RootCAs: x509.NewCertPool(), MinVersion: tls.VersionTLS12}
	c.RootCAs.AppendCertsFromPEM(data)
	if withCert {
		cert, err := tls.LoadX509KeyPair(f.clientCert, f.clientKey)
		must(t, err)
		c.Certificates = []tls.Certificate{cert}
	}
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: c}}
}

// tlscheckProgram calls the slow service over TLS: through the generated
// client over HTTPS and over gRPC, with and without a client certificate,
// then over a gRPC connection of its own with request ids and raw request
// messages. Arguments: HTTP address, gRPC address, certificate directory.
const tlscheckProgram = `package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"example.com/slow/pkg/slowclient"
	"example.com/slow/pkg/slowpb"
)

func main() {
	httpAddr, grpcAddr, dir := os.Args[1], os.Args[2], os.Args[3]
	_, grpcPort, _ := net.SplitHostPort(grpcAddr)
	instance := slowclient.Static(httpAddr + "?grpc=" + grpcPort)
	files := slowclient.TLSFiles{
		CAFile:   filepath.Join(dir, "ca.pem"),
		CertFile: filepath.Join(dir, "client.pem"),
		KeyFile:  filepath.Join(dir, "client-key.pem"),
	}
	withCert, err := slowclient.TLSConfig(files)
	if err != nil {
		panic(err)
	}
	noCert, err := slowclient.TLSConfig(slowclient.TLSFiles{CAFile: files.CAFile})
	if err != nil {
		panic(err)
	}
	for _, c := range []struct {
		name string
		opts []slowclient.Option
	}{
		{"client-https", []slowclient.Option{slowclient.WithTLS(withCert)}},
		{"client-grpc", []slowclient.Option{slowclient.WithTLS(withCert), slowclient.WithGRPC()}},
		{"client-https-nocert", []slowclient.Option{slowclient.WithTLS(noCert), slowclient.WithRetry(1, 3*time.Second)}},
		{"client-grpc-nocert", []slowclient.Option{slowclient.WithTLS(noCert), slowclient.WithGRPC(), slowclient.WithRetry(1, 3*time.Second)}},
	} {
		client := slowclient.New(instance, nil, c.opts...)
		got, err := client.Find(context.Background(), "x")
		fmt.Printf("%s %q %v\n", c.name, got, err != nil)
		client.Close()
	}

	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(credentials.NewTLS(withCert)))
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	pb := slowpb.NewSlowClient(conn)
	for _, c := range []struct{ name, id, find string }{{"id-given", "tls-check-1", "x"}, {"id-made", "", "x"}, {"id-on-error", "tls-check-2", "y"}} {
		ctx := context.Background()
		if c.id != "" {
			ctx = metadata.AppendToOutgoingContext(ctx, "x-request-id", c.id)
		}
		var header metadata.MD
		_, err := pb.Find(ctx, &slowpb.FindRequest{Name: c.find}, grpc.Header(&header))
		fmt.Printf("%s %s %v\n", c.name, status.Code(err), header.Get("x-request-id"))
	}
	// FindRequest's name is field 1: 0x0a, the length, the bytes.
	for _, c := range []struct {
		name string
		msg  []byte
	}{{"raw-valid", []byte{0x0a, 0x01, 'x'}}, {"raw-invalid-utf8", []byte{0x0a, 0x02, 0xff, 0xfe}}, {"raw-truncated", []byte{0x0a, 0x05, 'x'}}} {
		var reply []byte
		err := conn.Invoke(context.Background(), "/slow.Slow/Find", c.msg, &reply, grpc.ForceCodec(rawCodec{}))
		fmt.Printf("%s %s %s\n", c.name, status.Code(err), status.Convert(err).Message())
	}
}

// rawCodec sends and receives messages as the bytes they are.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return v.([]byte), nil }

func (rawCodec) Unmarshal(data []byte, v any) error {
	*v.(*[]byte) = append([]byte(nil), data...)
	return nil
}

func (rawCodec) Name() string { return "proto" }
`

// TestServerTLSEndToEnd: the generated server refuses half a TLS
// configuration; with -tls-cert, -tls-key and -tls-client-ca it serves HTTP
// and gRPC over mTLS only (curl, grpcurl and the generated client with the
// client certificate are served, without it refused, plaintext fails), and
// -healthcheck probes it. Over gRPC, request ids come back as the
// x-request-id header and are logged, and a request message with invalid
// UTF-8 in a string answers InvalidArgument.
func TestServerTLSEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service; skipped with -short")
	}
	certs := newCertFiles(t)
	b := buildSlow(t, map[string]string{"tlscheck": tlscheckProgram})

	// Half a configuration, or a file that cannot be read, refuses to start.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-tls-cert", certs.serverCert}, "-tls-cert (TLS_CERT) and -tls-key (TLS_KEY) go together"},
		{[]string{"-tls-client-ca", certs.ca}, "-tls-client-ca (TLS_CLIENT_CA) needs -tls-cert and -tls-key"},
		{[]string{"-tls-cert", certs.serverCert, "-tls-key", filepath.Join(certs.dir, "missing.pem")}, "missing.pem: no such file"},
		{[]string{"-tls-cert", certs.serverCert, "-tls-key", certs.serverKey, "-tls-client-ca", certs.serverKey}, "no PEM certificate in it"},
	} {
		args := append([]string{"-http-addr", freeAddr(t), "-grpc-addr", freeAddr(t)}, c.args...)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		out, err := exec.CommandContext(ctx, b.bin, args...).CombinedOutput()
		cancel()
		if err == nil || !strings.Contains(string(out), c.want) {
			t.Errorf("slow %s: %v, output lacks %q:\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}

	grpcAddr := freeAddr(t)
	tlsArgs := []string{"-tls-cert", certs.serverCert, "-tls-key", certs.serverKey, "-tls-client-ca", certs.ca}
	s := startServiceOver(t, "https", certs.client(t, true), b.bin, []string{"GRPC_ADDR=" + grpcAddr}, tlsArgs...)
	httpAddr := strings.TrimPrefix(s.base, "https://")

	// curl: served with the client certificate, refused without it;
	// plaintext HTTP to the TLS port is answered 400.
	body := `{"name":"x"}`
	curl := func(args ...string) (string, error) {
		return runErr(t, b.mod, "curl", append([]string{"-sS", "--max-time", "5", "-H", "Content-Type: application/json", "-d", body}, args...)...)
	}
	out, err := curl("--cacert", certs.ca, "--cert", certs.clientCert, "--key", certs.clientKey, s.base+"/find")
	if err != nil || !strings.Contains(out, `"x"`) {
		t.Errorf("curl with the client certificate: %v\n%s", err, out)
	}
	if out, err := curl("--cacert", certs.ca, s.base+"/find"); err == nil {
		t.Errorf("curl without a client certificate was served:\n%s", out)
	}
	if out, err := curl("-w", "%{http_code}", "http://"+httpAddr+"/find"); err != nil || !strings.HasSuffix(out, "400") {
		t.Errorf("plaintext HTTP to the TLS port: %v, want a 400 answer:\n%s", err, out)
	}

	// grpcurl: the same over gRPC; -v shows the request id coming back.
	grpcurlTLS := func(args ...string) (string, bool) {
		bin, err := grpcurlBin()
		must(t, err)
		out, err := runErr(t, b.mod, bin, args...)
		return out, err == nil
	}
	call := []string{"-d", body, grpcAddr, "slow.Slow/Find"}
	out, ok := grpcurlTLS(append([]string{"-v", "-H", "x-request-id: grpcurl-7", "-cacert", certs.ca, "-cert", certs.clientCert, "-key", certs.clientKey}, call...)...)
	if !ok || !strings.Contains(out, `"x"`) || !strings.Contains(out, "x-request-id: grpcurl-7") {
		t.Errorf("grpcurl with the client certificate: want the answer and x-request-id: grpcurl-7:\n%s", out)
	}
	if out, ok := grpcurlTLS(append([]string{"-cacert", certs.ca}, call...)...); ok {
		t.Errorf("grpcurl without a client certificate was served:\n%s", out)
	}
	if out, ok := grpcurlTLS(append([]string{"-plaintext"}, call...)...); ok {
		t.Errorf("grpcurl -plaintext to the TLS port was served:\n%s", out)
	}

	// The generated client, request ids and undecodable messages.
	out = run(t, b.mod, filepath.Join(b.bins, "tlscheck"), httpAddr, grpcAddr, certs.dir)
	t.Logf("tlscheck:\n%s", out)
	for _, want := range []string{
		`client-https "x" false`,
		`client-grpc "x" false`,
		`client-https-nocert "" true`,
		`client-grpc-nocert "" true`,
		"id-given OK [tls-check-1]",
		"id-made OK [",
		"id-on-error Internal [tls-check-2]",
		"raw-valid OK",
		"raw-invalid-utf8 InvalidArgument",
		"raw-truncated InvalidArgument",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("tlscheck output lacks %q", want)
		}
	}
	if strings.Contains(out, "id-made OK []") {
		t.Errorf("a call without x-request-id got no id back")
	}
	for _, id := range []string{"request_id=tls-check-1", "request_id=grpcurl-7"} {
		if !strings.Contains(s.log(), id) {
			t.Errorf("server log lacks %s:\n%s", id, s.log())
		}
	}

	// -healthcheck speaks TLS, presenting the server's certificate.
	probe := exec.Command(b.bin, append([]string{"-healthcheck", "-http-addr", httpAddr}, tlsArgs...)...)
	if out, err := probe.CombinedOutput(); err != nil {
		t.Errorf("-healthcheck over mTLS: %v\n%s", err, out)
	}
	s.stop()
}
