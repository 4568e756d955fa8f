package server

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
)

// Import paths of the packages the server's TLS uses.
const (
	pkgX509 = "crypto/x509"
)

// tlsSettings are the settings of the TLS of the HTTP and gRPC listeners:
// none set serves plaintext.
func tlsSettings() []gokit.Setting {
	return []gokit.Setting{
		{Field: "TLSCertFile", Flag: "tls-cert", Env: "TLS_CERT", Usage: "PEM certificate (chain) file; with -tls-key, HTTP and gRPC are served over TLS (empty: plaintext)", Kind: "string", Default: jen.Lit("")},
		{Field: "TLSKeyFile", Flag: "tls-key", Env: "TLS_KEY", Usage: "PEM private key file of -tls-cert", Kind: "string", Default: jen.Lit("")},
		{Field: "TLSClientCAFile", Flag: "tls-client-ca", Env: "TLS_CLIENT_CA", Usage: "PEM file of the CAs of client certificates; set, every HTTP and gRPC client must present a certificate they signed (mTLS)", Kind: "string", Default: jen.Lit("")},
	}
}

// tlsStart is Run's first statements: the TLS configuration of the
// listeners, checked before anything starts.
func tlsStart() []jen.Code {
	return []jen.Code{
		jen.List(jen.Id("tlsConfig"), jen.Err()).Op(":=").Id("serverTLS").Call(jen.Id("cfg"), jen.Id("o").Dot("tls")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.If(jen.Id("cfg").Dot("HealthCheck")).Block(jen.Return(jen.Id("probe").Call(jen.Id("cfg").Dot("HTTPAddr"), jen.Id("tlsConfig")))),
	}
}

// genServerTLS emits serverTLS, which builds the listeners' TLS
// configuration from Config and WithTLSConfig, and serveHTTP.
func genServerTLS(f *jen.File) {
	cfg := func(field string) *jen.Statement { return jen.Id("cfg").Dot(field) }
	errorf := func(format string, args ...jen.Code) jen.Code {
		if len(args) == 0 {
			return jen.Return(jen.Nil(), jen.Qual(gokit.PkgErrors, "New").Call(jen.Lit(format)))
		}
		return jen.Return(jen.Nil(), jen.Qual(gokit.PkgFmt, "Errorf").Call(append([]jen.Code{jen.Lit(format)}, args...)...))
	}
	f.Comment("serverTLS returns the TLS configuration of the HTTP and gRPC listeners, or nil")
	f.Comment("to serve plaintext: base (WithTLSConfig's, cloned) with the certificate of")
	f.Comment("cfg.TLSCertFile and cfg.TLSKeyFile, and with cfg.TLSClientCAFile, client")
	f.Comment("certificates required and verified (mTLS). TLS 1.2 is the minimum unless base")
	f.Comment("sets one. It refuses a certificate without its key or the reverse, client CAs")
	f.Comment("without a certificate, and files it cannot read, so that a server meant to be")
	f.Comment("private never starts in plaintext.")
	f.Func().Id("serverTLS").Params(jen.Id("cfg").Id("Config"), jen.Id("base").Op("*").Qual(gokit.PkgTLS, "Config")).Params(jen.Op("*").Qual(gokit.PkgTLS, "Config"), jen.Error()).Block(
		jen.If(jen.Parens(cfg("TLSCertFile").Op("==").Lit("")).Op("!=").Parens(cfg("TLSKeyFile").Op("==").Lit(""))).Block(
			errorf("tls: -tls-cert (TLS_CERT) and -tls-key (TLS_KEY) go together: set both to serve TLS, or neither"),
		),
		jen.If(cfg("TLSCertFile").Op("==").Lit("").Op("&&").Id("base").Op("==").Nil()).Block(
			jen.If(cfg("TLSClientCAFile").Op("!=").Lit("")).Block(
				errorf("tls: -tls-client-ca (TLS_CLIENT_CA) needs -tls-cert and -tls-key: clients are verified over TLS only"),
			),
			jen.Return(jen.Nil(), jen.Nil()),
		),
		jen.Id("c").Op(":=").Op("&").Qual(gokit.PkgTLS, "Config").Values(),
		jen.If(jen.Id("base").Op("!=").Nil()).Block(jen.Id("c").Op("=").Id("base").Dot("Clone").Call()),
		jen.If(jen.Id("c").Dot("MinVersion").Op("==").Lit(0)).Block(jen.Id("c").Dot("MinVersion").Op("=").Qual(gokit.PkgTLS, "VersionTLS12")),
		jen.If(cfg("TLSCertFile").Op("!=").Lit("")).Block(
			jen.List(jen.Id("cert"), jen.Err()).Op(":=").Qual(gokit.PkgTLS, "LoadX509KeyPair").Call(cfg("TLSCertFile"), cfg("TLSKeyFile")),
			jen.If(jen.Err().Op("!=").Nil()).Block(errorf("tls: -tls-cert %s, -tls-key %s: %w", cfg("TLSCertFile"), cfg("TLSKeyFile"), jen.Err())),
			jen.Id("c").Dot("Certificates").Op("=").Append(jen.Id("c").Dot("Certificates"), jen.Id("cert")),
		),
		jen.If(jen.Len(jen.Id("c").Dot("Certificates")).Op("==").Lit(0).Op("&&").Id("c").Dot("GetCertificate").Op("==").Nil().Op("&&").Id("c").Dot("GetConfigForClient").Op("==").Nil()).Block(
			errorf("tls: WithTLSConfig's configuration has no certificate: set -tls-cert and -tls-key, or its Certificates or GetCertificate"),
		),
		jen.If(cfg("TLSClientCAFile").Op("!=").Lit("")).Block(
			jen.List(jen.Id("pem"), jen.Err()).Op(":=").Qual(gokit.PkgOS, "ReadFile").Call(cfg("TLSClientCAFile")),
			jen.If(jen.Err().Op("!=").Nil()).Block(errorf("tls: -tls-client-ca: %w", jen.Err())),
			jen.Id("pool").Op(":=").Qual(pkgX509, "NewCertPool").Call(),
			jen.If(jen.Op("!").Id("pool").Dot("AppendCertsFromPEM").Call(jen.Id("pem"))).Block(
				errorf("tls: -tls-client-ca %s: no PEM certificate in it", cfg("TLSClientCAFile")),
			),
			jen.Id("c").Dot("ClientCAs").Op("=").Id("pool"),
			jen.Id("c").Dot("ClientAuth").Op("=").Qual(gokit.PkgTLS, "RequireAndVerifyClientCert"),
		),
		jen.Return(jen.Id("c"), jen.Nil()),
	)

	f.Comment("serveHTTP serves srv on ln, over TLS when srv has a TLS configuration.")
	f.Func().Id("serveHTTP").Params(jen.Id("srv").Op("*").Qual(gokit.PkgHTTP, "Server"), jen.Id("ln").Qual(gokit.PkgNet, "Listener")).Error().Block(
		jen.If(jen.Id("srv").Dot("TLSConfig").Op("!=").Nil()).Block(
			jen.Return(jen.Id("srv").Dot("ServeTLS").Call(jen.Id("ln"), jen.Lit(""), jen.Lit(""))),
		),
		jen.Return(jen.Id("srv").Dot("Serve").Call(jen.Id("ln"))),
	)
}

// probeClient is the statements of probe that pick the URL and client of
// the -healthcheck request: HTTPS when the server serves TLS (server, its
// configuration, is not nil).
func probeClient() []jen.Code {
	return []jen.Code{
		jen.Id("client").Op(":=").Op("&").Qual(gokit.PkgHTTP, "Client").Values(jen.Id("Timeout").Op(":").Lit(3).Op("*").Qual(gokit.PkgTime, "Second")),
		jen.Id("target").Op(":=").Lit("http://").Op("+").Id("addr").Op("+").Lit("/healthz"),
		jen.If(jen.Id("server").Op("!=").Nil()).Block(
			jen.Comment("The probe checks the server of this very host, at an address its"),
			jen.Comment("certificate need not name; under mTLS it presents that certificate."),
			jen.Id("client").Dot("Transport").Op("=").Op("&").Qual(gokit.PkgHTTP, "Transport").Values(jen.Id("TLSClientConfig").Op(":").Op("&").Qual(gokit.PkgTLS, "Config").Values(
				jen.Id("InsecureSkipVerify").Op(":").True(),
				jen.Id("Certificates").Op(":").Id("server").Dot("Certificates"),
				jen.Id("MinVersion").Op(":").Qual(gokit.PkgTLS, "VersionTLS12"),
			)),
			jen.Id("target").Op("=").Lit("https://").Op("+").Id("addr").Op("+").Lit("/healthz"),
		),
	}
}
