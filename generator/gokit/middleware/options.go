package middleware

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
)

// Import paths of the packages the optional middlewares use.
const (
	kitRateLimit = "github.com/go-kit/kit/ratelimit"
	kitBreaker   = "github.com/go-kit/kit/circuitbreaker"
	kitJWT       = "github.com/go-kit/kit/auth/jwt"
	pkgRate      = "golang.org/x/time/rate"
	pkgGobreaker = "github.com/sony/gobreaker"
	pkgJWT       = "github.com/golang-jwt/jwt/v5"
	pkgKeyfunc   = "github.com/MicahParks/keyfunc/v3"
	pkgOtel      = "go.opentelemetry.io/otel"
	pkgOtelAttr  = "go.opentelemetry.io/otel/attribute"
	pkgOtelCodes = "go.opentelemetry.io/otel/codes"
	pkgOtelProp  = "go.opentelemetry.io/otel/propagation"
	pkgOtelTrace = "go.opentelemetry.io/otel/trace"
	pkgOtelSDK   = "go.opentelemetry.io/otel/sdk/trace"
	pkgOtelRes   = "go.opentelemetry.io/otel/sdk/resource"
	pkgOTLPHTTP  = "go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	pkgBase64    = "encoding/base64"
)

// mwImports names the middleware packages the way their docs do.
func mwImports(f *jen.File) {
	f.ImportAlias(kitJWT, "kitjwt")
	f.ImportName(kitRateLimit, "ratelimit")
	f.ImportName(kitBreaker, "circuitbreaker")
	f.ImportAlias(gokit.KitHTTP, "httptransport")
	f.ImportName(pkgRate, "rate")
	f.ImportName(pkgGobreaker, "gobreaker")
	f.ImportName(pkgJWT, "jwt")
	f.ImportName(pkgKeyfunc, "keyfunc")
	f.ImportName(pkgOtel, "otel")
	f.ImportName(pkgOtelAttr, "attribute")
	f.ImportName(pkgOtelCodes, "codes")
	f.ImportName(pkgOtelProp, "propagation")
	f.ImportName(pkgOtelTrace, "trace")
	f.ImportAlias(pkgOtelSDK, "sdktrace")
	f.ImportName(pkgOtelRes, "resource")
	f.ImportName(pkgOTLPHTTP, "otlptracehttp")
	f.ImportName(gokit.PkgGRPCMeta, "metadata")
}
