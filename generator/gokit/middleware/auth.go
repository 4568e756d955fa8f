package middleware

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
)

// Import paths of the packages the authentication middlewares use.
const (
	pkgSHA256 = "crypto/sha256"
	pkgSubtle = "crypto/subtle"
)

// Settings of the JWT checks. The leeway absorbs clock skew between the
// token's issuer and the server; 30 s is enough for NTP-synced hosts and
// short next to the usual token lifetimes (minutes to hours).
const (
	// jwtLeewaySeconds is the default of -jwt-leeway.
	jwtLeewaySeconds = 30
	// minJWTSecret is the shortest -jwt-secret accepted: HS256 wants a key at
	// least as long as its hash output (RFC 7518, section 3.2).
	minJWTSecret = 32
)

// jwksAlgorithms are the signing methods a JWK Set's keys may sign with: the
// asymmetric ones only, so that a public key can never be used as an HMAC
// secret.
var jwksAlgorithms = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// genJWTMiddleware emits JWTMiddleware into an endpoint
// package; realm is the challenge's realm.
func genJWTMiddleware(f *jen.File, realm string) {
	f.Comment("JWTMiddleware returns a middleware that lets through only the calls whose context")
	f.Comment("carries a valid JWT (github.com/golang-jwt/jwt/v5): signed with one of methods")
	f.Comment("(e.g. \"HS256\") by the key keyFunc returns, with an exp claim (a token without")
	f.Comment("one is refused) that is not past, and no nbf or iat in the future. opts add")
	f.Comment("checks, such as jwt.WithAudience, jwt.WithIssuer and jwt.WithLeeway. The")
	f.Comment("transports' HTTPServerAuth and GRPCServerAuth options put the bearer token of")
	f.Comment("the Authorization header into the context. Other calls fail with 401")
	f.Comment("Unauthorized (gRPC Unauthenticated). The service finds the token's claims, a")
	f.Comment("*jwt.RegisteredClaims (of golang-jwt/jwt/v5), in the context under")
	f.Comment("kitjwt.JWTClaimsContextKey.")
	f.Func().Id("JWTMiddleware").Params(
		jen.Id("keyFunc").Qual(pkgJWT, "Keyfunc"), jen.Id("methods").Index().String(), jen.Id("opts").Op("...").Qual(pkgJWT, "ParserOption"),
	).Qual(gokit.KitEndpoint, "Middleware").Block(
		jen.Id("parser").Op(":=").Qual(pkgJWT, "NewParser").Call(jen.Append(
			jen.Index().Qual(pkgJWT, "ParserOption").Values(
				jen.Qual(pkgJWT, "WithValidMethods").Call(jen.Id("methods")),
				jen.Qual(pkgJWT, "WithExpirationRequired").Call(),
				jen.Qual(pkgJWT, "WithIssuedAt").Call(),
			),
			jen.Id("opts").Op("..."),
		).Op("...")),
		jen.Id("check").Op(":=").Add(middlewareFunc(
			jen.Return(endpointFunc().Block(
				jen.List(jen.Id("token"), jen.Id("ok")).Op(":=").Id("ctx").Dot("Value").Call(jen.Qual(kitJWT, "JWTContextKey")).Assert(jen.String()),
				jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.Qual(gokit.PkgErrors, "New").Call(jen.Lit("missing bearer token")))),
				jen.Id("claims").Op(":=").Op("&").Qual(pkgJWT, "RegisteredClaims").Values(),
				jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("parser").Dot("ParseWithClaims").Call(jen.Id("token"), jen.Id("claims"), jen.Id("keyFunc")), jen.Err().Op("!=").Nil()).Block(
					jen.Return(jen.Nil(), jen.Err()),
				),
				jen.Return(jen.Id("next").Call(jen.Qual(gokit.PkgContext, "WithValue").Call(jen.Id("ctx"), jen.Qual(kitJWT, "JWTClaimsContextKey"), jen.Id("claims")), jen.Id("request"))),
			)),
		)),
		jen.Return(jen.Id("guard").Call(jen.Id("check"), jen.Qual(gokit.PkgHTTP, "StatusUnauthorized"), jen.Lit(`Bearer realm="`+realm+`"`))),
	)
}

// genBasicAuthMiddleware emits BasicAuthMiddleware and basicCredentials into
// an endpoint package.
func genBasicAuthMiddleware(f *jen.File) {
	sum := func(s jen.Code) *jen.Statement {
		return jen.Qual(pkgSHA256, "Sum256").Call(jen.Index().Byte().Parens(s))
	}
	f.Comment("BasicAuthMiddleware returns a middleware that lets through only the calls with the")
	f.Comment("HTTP basic credentials user and password, compared in constant time; the scheme")
	f.Comment("is matched in any case (RFC 7617: \"basic\" is \"Basic\"). The transports'")
	f.Comment("HTTPServerAuth and GRPCServerAuth options put the Authorization header into the")
	f.Comment("context. Other calls fail with 401 Unauthorized and a Basic challenge for realm")
	f.Comment("(gRPC Unauthenticated).")
	f.Func().Id("BasicAuthMiddleware").Params(jen.List(jen.Id("user"), jen.Id("password"), jen.Id("realm")).String()).Qual(gokit.KitEndpoint, "Middleware").Block(
		jen.List(jen.Id("wantUser"), jen.Id("wantPassword")).Op(":=").List(sum(jen.Id("user")), sum(jen.Id("password"))),
		jen.Id("check").Op(":=").Add(middlewareFunc(
			jen.Return(endpointFunc().Block(
				jen.List(jen.Id("gotUser"), jen.Id("gotPassword"), jen.Id("ok")).Op(":=").Id("basicCredentials").Call(jen.Id("ctx")),
				jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.Qual(gokit.PkgErrors, "New").Call(jen.Lit("missing basic credentials")))),
				jen.List(jen.Id("u"), jen.Id("p")).Op(":=").List(sum(jen.Id("gotUser")), sum(jen.Id("gotPassword"))),
				jen.If(jen.Qual(pkgSubtle, "ConstantTimeCompare").Call(jen.Id("u").Index(jen.Empty(), jen.Empty()), jen.Id("wantUser").Index(jen.Empty(), jen.Empty())).
					Op("&").Qual(pkgSubtle, "ConstantTimeCompare").Call(jen.Id("p").Index(jen.Empty(), jen.Empty()), jen.Id("wantPassword").Index(jen.Empty(), jen.Empty())).Op("!=").Lit(1)).Block(
					jen.Return(jen.Nil(), jen.Qual(gokit.PkgErrors, "New").Call(jen.Lit("wrong basic credentials"))),
				),
				jen.Return(jen.Id("next").Call(jen.Id("ctx"), jen.Id("request"))),
			)),
		)),
		jen.Return(jen.Id("guard").Call(jen.Id("check"), jen.Qual(gokit.PkgHTTP, "StatusUnauthorized"), jen.Qual(gokit.PkgFmt, "Sprintf").Call(jen.Lit("Basic realm=%q"), jen.Id("realm")))),
	)

	f.Comment("basicCredentials returns the user and password of the basic Authorization")
	f.Comment("header in ctx; the scheme is matched in any case (RFC 7617).")
	f.Func().Id("basicCredentials").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context")).Params(jen.List(jen.Id("user"), jen.Id("password")).String(), jen.Id("ok").Bool()).Block(
		jen.List(jen.Id("auth"), jen.Id("_")).Op(":=").Id("ctx").Dot("Value").Call(jen.Qual(gokit.KitHTTP, "ContextKeyRequestAuthorization")).Assert(jen.String()),
		jen.List(jen.Id("scheme"), jen.Id("encoded"), jen.Id("ok")).Op(":=").Qual(gokit.PkgStrings, "Cut").Call(jen.Id("auth"), jen.Lit(" ")),
		jen.If(jen.Op("!").Id("ok").Op("||").Op("!").Qual(gokit.PkgStrings, "EqualFold").Call(jen.Id("scheme"), jen.Lit("Basic"))).Block(
			jen.Return(jen.Lit(""), jen.Lit(""), jen.False()),
		),
		jen.List(jen.Id("decoded"), jen.Err()).Op(":=").Qual(pkgBase64, "StdEncoding").Dot("DecodeString").Call(jen.Qual(gokit.PkgStrings, "TrimSpace").Call(jen.Id("encoded"))),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Lit(""), jen.Lit(""), jen.False())),
		jen.Return(jen.Qual(gokit.PkgStrings, "Cut").Call(jen.String().Parens(jen.Id("decoded")), jen.Lit(":"))),
	)
}

// genJWTKey emits jwtKey, jwks and jwtChecks into the server package: what
// the server checks callers' JWTs with, from its Config.
func genJWTKey(f *jen.File) {
	cfg := func(field string) *jen.Statement { return jen.Id("cfg").Dot(field) }
	fail := func(err jen.Code) jen.Code { return jen.Return(jen.Nil(), jen.Nil(), err) }
	methods := func(names ...string) jen.Code {
		var lits []jen.Code
		for _, n := range names {
			lits = append(lits, jen.Lit(n))
		}
		return jen.Index().String().Values(lits...)
	}
	keyFuncType := jen.Qual(pkgJWT, "Keyfunc")
	results := []jen.Code{keyFuncType.Clone(), jen.Index().String(), jen.Error()}
	constKey := func(key string) jen.Code {
		return jen.Func().Params(jen.Op("*").Qual(pkgJWT, "Token")).Params(jen.Any(), jen.Error()).Block(jen.Return(jen.Id(key), jen.Nil()))
	}

	f.Comment("jwtKey returns the key function and signing methods of the JWTs callers must")
	f.Comment("send, from one of: the JWK Set at cfg.JWTJWKSURL (see jwks), the RSA public key")
	f.Comment("in the PEM file cfg.JWTPublicKey (RS256), or the shared cfg.JWTSecret (HS256).")
	f.Comment("It refuses none or more than one of them, and a secret shorter than 32 bytes.")
	f.Func().Params(jen.Id("m").Op("*").Id("middlewares")).Id("jwtKey").Params(jen.Id("cfg").Id("Config"), jen.Id("logger").Qual(gokit.KitLog, "Logger")).Params(results...).Block(
		jen.Id("set").Op(":=").Lit(0),
		jen.For(jen.List(jen.Id("_"), jen.Id("v")).Op(":=").Range().Index().String().Values(cfg("JWTSecret"), cfg("JWTPublicKey"), cfg("JWTJWKSURL"))).Block(
			jen.If(jen.Id("v").Op("!=").Lit("")).Block(jen.Id("set").Op("++")),
		),
		jen.Switch().Block(
			jen.Case(jen.Id("set").Op("==").Lit(0)).Block(
				fail(jen.Qual(gokit.PkgErrors, "New").Call(jen.Lit("jwt: set -jwt-secret (HS256), -jwt-public-key (RS256) or -jwt-jwks-url (env JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL)"))),
			),
			jen.Case(jen.Id("set").Op(">").Lit(1)).Block(
				fail(jen.Qual(gokit.PkgErrors, "New").Call(jen.Lit("jwt: set only one of -jwt-secret, -jwt-public-key and -jwt-jwks-url (env JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL)"))),
			),
			jen.Case(cfg("JWTJWKSURL").Op("!=").Lit("")).Block(
				jen.Return(jen.Id("m").Dot("jwks").Call(cfg("JWTJWKSURL"), jen.Id("logger"))),
			),
			jen.Case(cfg("JWTPublicKey").Op("!=").Lit("")).Block(
				jen.List(jen.Id("pem"), jen.Err()).Op(":=").Qual(gokit.PkgOS, "ReadFile").Call(cfg("JWTPublicKey")),
				jen.If(jen.Err().Op("!=").Nil()).Block(fail(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("jwt: %w"), jen.Err()))),
				jen.List(jen.Id("key"), jen.Err()).Op(":=").Qual(pkgJWT, "ParseRSAPublicKeyFromPEM").Call(jen.Id("pem")),
				jen.If(jen.Err().Op("!=").Nil()).Block(fail(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("jwt: %s: %w"), cfg("JWTPublicKey"), jen.Err()))),
				jen.Return(constKey("key"), methods("RS256"), jen.Nil()),
			),
			jen.Case(jen.Len(cfg("JWTSecret")).Op("<").Lit(minJWTSecret)).Block(
				fail(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("jwt: the -jwt-secret is %d bytes, HS256 wants at least 32 (RFC 7518, section 3.2); make one with: openssl rand -base64 32"), jen.Len(cfg("JWTSecret")))),
			),
		),
		jen.Id("secret").Op(":=").Index().Byte().Parens(cfg("JWTSecret")),
		jen.Return(constKey("secret"), methods("HS256"), jen.Nil()),
	)

	f.Comment("jwks returns the key function of the JWK Set at jwksURL (keyfunc over")
	f.Comment("github.com/MicahParks/jwkset) and the asymmetric signing methods. The set is")
	f.Comment("fetched now (without it the server does not start), every 15 minutes, and when")
	f.Comment("a token names a key id the set lacks, at most every 30 seconds: a rotated key is")
	f.Comment("picked up with its first token, and tokens with made-up key ids cost at most one")
	f.Comment("fetch each 30 seconds (a token waits at most 5 seconds for one, else it is")
	f.Comment("refused). m.stopJWKS stops the refreshes.")
	f.Func().Params(jen.Id("m").Op("*").Id("middlewares")).Id("jwks").Params(jen.Id("jwksURL").String(), jen.Id("logger").Qual(gokit.KitLog, "Logger")).Params(results...).Block(
		jen.List(jen.Id("ctx"), jen.Id("cancel")).Op(":=").Qual(gokit.PkgContext, "WithCancel").Call(jen.Qual(gokit.PkgContext, "Background").Call()),
		jen.Id("startWithoutKeys").Op(":=").False(),
		jen.List(jen.Id("k"), jen.Err()).Op(":=").Qual(pkgKeyfunc, "NewDefaultOverrideCtx").Call(jen.Id("ctx"), jen.Index().String().Values(jen.Id("jwksURL")), jen.Qual(pkgKeyfunc, "Override").Values(gokit.Multiline([]jen.Code{
			jen.Id("HTTPTimeout").Op(":").Lit(10).Op("*").Qual(gokit.PkgTime, "Second"),
			jen.Id("NoErrorReturnFirstHTTPReq").Op(":").Op("&").Id("startWithoutKeys"),
			jen.Id("RefreshInterval").Op(":").Lit(15).Op("*").Qual(gokit.PkgTime, "Minute"),
			jen.Id("RefreshUnknownKID").Op(":").Qual(pkgRate, "NewLimiter").Call(jen.Qual(pkgRate, "Every").Call(jen.Lit(30).Op("*").Qual(gokit.PkgTime, "Second")), jen.Lit(1)),
			jen.Id("RateLimitWaitMax").Op(":").Lit(5).Op("*").Qual(gokit.PkgTime, "Second"),
			jen.Id("RefreshErrorHandlerFunc").Op(":").Func().Params(jen.Id("u").String()).Func().Params(jen.Qual(gokit.PkgContext, "Context"), jen.Error()).Block(
				jen.Return(jen.Func().Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Err().Error()).Block(
					jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("jwt"), jen.Lit("jwks refresh"), jen.Lit("url"), jen.Id("u"), jen.Lit("err"), jen.Err()),
				)),
			),
		})...)),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Id("cancel").Call(),
			fail(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("jwt: -jwt-jwks-url %s: %w"), jen.Id("jwksURL"), jen.Err())),
		),
		jen.Id("m").Dot("stopJWKS").Op("=").Id("cancel"),
		jen.Return(jen.Id("k").Dot("Keyfunc"), methods(jwksAlgorithms...), jen.Nil()),
	)

	f.Comment("jwtChecks are the checks of cfg on the JWTs' claims beyond exp, nbf and iat:")
	f.Comment("the clock skew allowed, and the audience and issuer when set.")
	f.Func().Id("jwtChecks").Params(jen.Id("cfg").Id("Config")).Index().Qual(pkgJWT, "ParserOption").Block(
		jen.Id("opts").Op(":=").Index().Qual(pkgJWT, "ParserOption").Values(jen.Qual(pkgJWT, "WithLeeway").Call(cfg("JWTLeeway"))),
		jen.If(cfg("JWTAudience").Op("!=").Lit("")).Block(jen.Id("opts").Op("=").Append(jen.Id("opts"), jen.Qual(pkgJWT, "WithAudience").Call(cfg("JWTAudience")))),
		jen.If(cfg("JWTIssuer").Op("!=").Lit("")).Block(jen.Id("opts").Op("=").Append(jen.Id("opts"), jen.Qual(pkgJWT, "WithIssuer").Call(cfg("JWTIssuer")))),
		jen.Return(jen.Id("opts")),
	)
}
