package testinfra

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// kubePKI is what a kube-apiserver needs of keys and certificates, made in
// Go (no openssl): a CA, a serving certificate it signed for 127.0.0.1 and
// localhost, and the key pair that signs service-account tokens. ECDSA
// P-256 throughout: the API server accepts it and it is made in
// microseconds where RSA takes a noticeable part of a second.
type kubePKI struct {
	ca, server keyCert
	sa         *ecdsa.PrivateKey
}

// keyCert is a private key and its certificate.
type keyCert struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
	der  []byte
}

// newKubePKI makes a CA and what it signs.
func newKubePKI() (*kubePKI, error) {
	var p kubePKI
	var err error
	now := time.Now()
	p.ca, err = newKeyCert(&x509.Certificate{
		Subject:               pkix.Name{CommonName: "testinfra-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}, nil)
	if err != nil {
		return nil, err
	}
	p.server, err = newKeyCert(&x509.Certificate{
		Subject:     pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:   now.Add(-time.Hour),
		NotAfter:    now.Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost", "kubernetes", "kubernetes.default.svc"},
		// 10.96.0.1 is the "kubernetes" Service's address in
		// --service-cluster-ip-range.
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv4(10, 96, 0, 1)},
	}, &p.ca)
	if err != nil {
		return nil, err
	}
	p.sa, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	return &p, err
}

// newKeyCert makes a key and a certificate of tmpl for it, signed by
// parent, or self-signed when parent is nil.
func newKeyCert(tmpl *x509.Certificate, parent *keyCert) (keyCert, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return keyCert{}, err
	}
	tmpl.SerialNumber, err = rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return keyCert{}, err
	}
	signer, signerCert := key, tmpl
	if parent != nil {
		signer, signerCert = parent.key, parent.cert
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, &key.PublicKey, signer)
	if err != nil {
		return keyCert{}, err
	}
	cert, err := x509.ParseCertificate(der)
	return keyCert{key: key, cert: cert, der: der}, err
}

// write puts the PEM files the API server's flags name into dir: ca.crt,
// server.crt, server.key, sa.key and sa.pub.
func (p *kubePKI) write(dir string) error {
	caKey, err := x509.MarshalPKCS8PrivateKey(p.ca.key)
	if err != nil {
		return err
	}
	serverKey, err := x509.MarshalPKCS8PrivateKey(p.server.key)
	if err != nil {
		return err
	}
	saKey, err := x509.MarshalPKCS8PrivateKey(p.sa)
	if err != nil {
		return err
	}
	saPub, err := x509.MarshalPKIXPublicKey(&p.sa.PublicKey)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name, typ string
		der       []byte
	}{
		{"ca.crt", "CERTIFICATE", p.ca.der},
		{"ca.key", "PRIVATE KEY", caKey},
		{"server.crt", "CERTIFICATE", p.server.der},
		{"server.key", "PRIVATE KEY", serverKey},
		{"sa.key", "PRIVATE KEY", saKey},
		{"sa.pub", "PUBLIC KEY", saPub},
	} {
		b := pem.EncodeToMemory(&pem.Block{Type: f.typ, Bytes: f.der})
		if err := os.WriteFile(filepath.Join(dir, f.name), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// randomToken is a bearer token no other test shares.
func randomToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
