package client

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeSelfSigned writes a self-signed certificate and its key as PEM files
// in dir and returns their paths.
func writeSelfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for p, b := range map[string]*pem.Block{certFile: {Type: "CERTIFICATE", Bytes: der}, keyFile: {Type: "PRIVATE KEY", Bytes: keyDER}} {
		if err := os.WriteFile(p, pem.EncodeToMemory(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return certFile, keyFile
}

// TestTLSConfig: the files become the roots and the client certificate,
// TLS 1.2 at least; half a pair and unreadable or empty files are refused
// with what is wrong.
func TestTLSConfig(t *testing.T) {
	dir := t.TempDir()
	cert, key := writeSelfSigned(t, dir)
	c, err := TLSConfig(TLSFiles{CAFile: cert, CertFile: cert, KeyFile: key, ServerName: "svc.internal"})
	if err != nil {
		t.Fatal(err)
	}
	if c.MinVersion != tls.VersionTLS12 || c.ServerName != "svc.internal" || len(c.Certificates) != 1 || c.RootCAs == nil {
		t.Errorf("TLSConfig = min %x, server name %q, %d certificates, roots %v", c.MinVersion, c.ServerName, len(c.Certificates), c.RootCAs)
	}
	if c, err := TLSConfig(TLSFiles{}); err != nil || c.RootCAs != nil || len(c.Certificates) != 0 {
		t.Errorf("TLSConfig of no files: %v, %v; want the system's roots and no certificate", c, err)
	}
	for _, bad := range []struct {
		files TLSFiles
		want  string
	}{
		{TLSFiles{CertFile: cert}, "set both CertFile and KeyFile"},
		{TLSFiles{KeyFile: key}, "set both CertFile and KeyFile"},
		{TLSFiles{CAFile: filepath.Join(dir, "missing.pem")}, "no such file"},
		{TLSFiles{CAFile: key}, "no PEM certificate"},
		{TLSFiles{CertFile: key, KeyFile: key}, "client certificate"},
	} {
		if _, err := TLSConfig(bad.files); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("TLSConfig(%+v) = %v, want an error with %q", bad.files, err, bad.want)
		}
	}
}
