package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// TLSFiles are the PEM files and the server name of a client's TLS, for
// TLSConfig.
type TLSFiles struct {
	// CAFile holds the certificates of the CAs that sign the servers'
	// certificates; empty: the system's roots.
	CAFile string
	// CertFile and KeyFile are the client's certificate and its key, for
	// servers that require one (mTLS: their -tls-client-ca); both or
	// neither.
	CertFile, KeyFile string
	// ServerName is the name the servers' certificates must carry; empty:
	// the host of each instance's address.
	ServerName string
}

// TLSConfig returns the TLS configuration of files, TLS 1.2 at least, for
// WithTLS. It fails on a certificate without its key (or the reverse) and
// on files it cannot read or that hold no PEM certificate.
func TLSConfig(files TLSFiles) (*tls.Config, error) {
	c := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: files.ServerName}
	if files.CAFile != "" {
		pem, err := os.ReadFile(files.CAFile)
		if err != nil {
			return nil, fmt.Errorf("tls: CA file: %w", err)
		}
		c.RootCAs = x509.NewCertPool()
		if !c.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls: CA file %s: no PEM certificate in it", files.CAFile)
		}
	}
	if (files.CertFile == "") != (files.KeyFile == "") {
		return nil, errors.New("tls: a client certificate needs its key, and a key its certificate: set both CertFile and KeyFile, or neither")
	}
	if files.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(files.CertFile, files.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("tls: client certificate %s, key %s: %w", files.CertFile, files.KeyFile, err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	return c, nil
}
