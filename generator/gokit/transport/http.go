package transport

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/service"
	"github.com/kitforge/kitforge/generator/model"
)

// HTTP emits <out>/<name>transport/http_gen.go: the HTTP server
// (NewHTTPHandler, one decoder per method) and the HTTP client
// (NewHTTPClient, one encoder per method), as in addsvc's addtransport/http.go.
func HTTP(svc *model.Service, l gokit.Layout) ([]byte, error) {
	f := l.NewFile(l.Transport)
	genHTTPServer(f, svc, l)
	genHTTPClient(f, svc, l)
	genHTTPErrors(f, svc, l)
	return gokit.Render(f)
}

// HTTPPattern is the net/http ServeMux pattern of a binding, e.g.
// "GET /users/{id}".
func HTTPPattern(b *model.HTTPBinding) string { return b.Verb + " " + b.Path }

func genHTTPServer(f *jen.File, svc *model.Service, l gokit.Layout) {
	handles := []jen.Code{
		jen.Id("options").Op("=").Append(jen.Index().Qual(gokit.KitHTTP, "ServerOption").Values(gokit.Multiline([]jen.Code{
			jen.Qual(gokit.KitHTTP, "ServerErrorEncoder").Call(jen.Id("encodeHTTPError")),
			jen.Qual(gokit.KitHTTP, "ServerErrorHandler").Call(jen.Qual(gokit.KitTransport, "NewLogErrorHandler").Call(jen.Id("logger"))),
			jen.Qual(gokit.KitHTTP, "ServerBefore").Call(jen.Id("requestIDToContext")),
		})...), jen.Id("options").Op("...")),
	}
	for _, m := range gokit.UnaryMethods(svc) {
		for _, b := range m.HTTP {
			handles = append(handles, jen.Id("m").Dot("Handle").Call(
				jen.Lit(HTTPPattern(b)),
				jen.Qual(gokit.KitHTTP, "NewServer").Call(
					jen.Id("endpoints").Dot(m.EndpointName()),
					jen.Id("decodeHTTP"+m.RequestName()),
					jen.Id("encodeHTTPResponse"),
					jen.Id("options").Op("..."),
				),
			))
		}
	}

	f.Comment("NewHTTPHandler returns an http.Handler that serves the " + svc.Name + " endpoints:")
	for _, m := range gokit.UnaryMethods(svc) {
		for _, b := range m.HTTP {
			f.Comment("  " + HTTPPattern(b) + " → " + m.Name)
		}
	}
	f.Func().Id("NewHTTPHandler").Params(
		jen.Id("endpoints").Qual(l.Endpoint.Path, "Set"),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("options").Op("...").Qual(gokit.KitHTTP, "ServerOption"),
	).Qual(gokit.PkgHTTP, "Handler").Block(
		jen.Id("m").Op(":=").Qual(gokit.PkgHTTP, "NewServeMux").Call(),
		jen.Id("RegisterHTTPRoutes").Call(jen.Id("m"), jen.Id("endpoints"), jen.Id("logger"), jen.Id("options").Op("...")),
		jen.Id("m").Dot("Handle").Call(jen.Lit("/"), jen.Id("RouteErrors").Call(jen.Id("m"))),
		jen.Return(jen.Id("m")),
	)

	f.Comment("RegisterHTTPRoutes registers the " + svc.Name + " routes on m, so that a server can serve")
	f.Comment("them beside its own (health, metrics) with one routing step.")
	f.Func().Id("RegisterHTTPRoutes").Params(
		jen.Id("m").Op("*").Qual(gokit.PkgHTTP, "ServeMux"),
		jen.Id("endpoints").Qual(l.Endpoint.Path, "Set"),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("options").Op("...").Qual(gokit.KitHTTP, "ServerOption"),
	).Block(handles...)

	for _, m := range gokit.UnaryMethods(svc) {
		genHTTPDecodeRequest(f, m, l)
	}
	genHTTPInputs(f, svc, l)

	f.Comment("encodeHTTPResponse is a transport/http.EncodeResponseFunc that writes the")
	f.Comment("response as JSON, or the business error it carries as an error response.")
	f.Func().Id("encodeHTTPResponse").Params(
		jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter"), jen.Id("response").Any(),
	).Error().Block(
		jen.If(jen.List(jen.Id("f"), jen.Id("ok")).Op(":=").Id("response").Assert(jen.Qual(gokit.KitEndpoint, "Failer")), jen.Id("ok").Op("&&").Id("f").Dot("Failed").Call().Op("!=").Nil()).Block(
			jen.Id("encodeHTTPError").Call(jen.Id("ctx"), jen.Id("f").Dot("Failed").Call(), jen.Id("w")),
			jen.Return(jen.Nil()),
		),
		jen.Id("setRequestIDHeader").Call(jen.Id("ctx"), jen.Id("w")),
		jen.Id("w").Dot("Header").Call().Dot("Set").Call(jen.Lit("Content-Type"), jen.Lit("application/json; charset=utf-8")),
		jen.Return(jen.Qual(gokit.PkgJSON, "NewEncoder").Call(jen.Id("w")).Dot("Encode").Call(jen.Id("response"))),
	)
}

// genHTTPDecodeRequest emits the server-side decoder of one method: JSON
// body first, then path and query parameters, each converted to its type.
func genHTTPDecodeRequest(f *jen.File, m *model.Method, l gokit.Layout) {
	b := m.HTTP[0]
	reqType := jen.Qual(l.Endpoint.Path, m.RequestName())
	body := []jen.Code{jen.Var().Id("req").Add(reqType)}
	switch {
	case b.Body != "" && hasIn(m, model.InBody):
		body = append(body, jen.If(jen.Err().Op(":=").Id("decodeJSONBody").Call(jen.Id("r"), jen.Op("&").Id("req")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Err()),
		))
	case b.Body != "":
		body = append(body, jen.If(jen.Err().Op(":=").Id("requireJSON").Call(jen.Id("r")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Err()),
		))
	}
	for _, p := range m.Params {
		if p.In == model.InPath {
			body = append(body, jen.Block(
				append([]jen.Code{jen.Id("raw").Op(":=").Id("r").Dot("PathValue").Call(jen.Lit(p.JSONName))},
					parseScalar(p.Type, jen.Id("req").Dot(p.GoName), "path parameter "+p.JSONName)...)...,
			))
		}
	}
	if hasIn(m, model.InQuery) {
		body = append(body, jen.Id("q").Op(":=").Id("r").Dot("URL").Dot("Query").Call())
		for _, p := range m.Params {
			if p.In == model.InQuery {
				body = append(body, parseQuery(p))
			}
		}
	}
	body = append(body, jen.Return(jen.Id("req"), jen.Nil()))

	f.Comment("decodeHTTP" + m.RequestName() + " is a transport/http.DecodeRequestFunc that decodes")
	f.Comment("a " + m.RequestName() + " from " + describeSources(m) + ".")
	f.Func().Id("decodeHTTP"+m.RequestName()).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("r").Op("*").Qual(gokit.PkgHTTP, "Request")).Params(jen.Any(), jen.Error()).Block(body...)
}

func describeSources(m *model.Method) string {
	var parts []string
	for _, in := range []model.ParamIn{model.InBody, model.InPath, model.InQuery} {
		if hasIn(m, in) {
			switch in {
			case model.InBody:
				parts = append(parts, "the JSON body")
			case model.InPath:
				parts = append(parts, "the URL path")
			case model.InQuery:
				parts = append(parts, "the query string")
			}
		}
	}
	if len(parts) == 0 {
		return "an HTTP request with no parameters"
	}
	return strings.Join(parts, ", ")
}

func hasIn(m *model.Method, in model.ParamIn) bool {
	for _, p := range m.Params {
		if p.In == in {
			return true
		}
	}
	return false
}

// parseQuery reads one query parameter: scalars when present, pointers to
// scalars allocated when present, slices from every occurrence.
func parseQuery(p *model.Field) jen.Code {
	what := "query parameter " + p.JSONName
	dst := jen.Id("req").Dot(p.GoName)
	t := p.Type
	r := t.Resolved()
	switch {
	case r.Kind == model.Slice && !t.IsScalar():
		elem := r.Elem
		if elem.Kind == model.Basic && elem.BasicName == "string" {
			return dst.Clone().Op("=").Append(dst.Clone(), jen.Id("q").Index(jen.Lit(p.JSONName)).Op("..."))
		}
		return jen.For(jen.List(jen.Id("_"), jen.Id("raw")).Op(":=").Range().Id("q").Index(jen.Lit(p.JSONName))).Block(
			append([]jen.Code{jen.Var().Id("x").Add(gokit.TypeCode(elem))}, append(
				parseScalar(elem, jen.Id("x"), what),
				dst.Clone().Op("=").Append(dst.Clone(), jen.Id("x")))...)...,
		)
	case r.Kind == model.Pointer:
		elem := r.Elem
		return jen.If(jen.Id("raw").Op(":=").Id("q").Dot("Get").Call(jen.Lit(p.JSONName)), jen.Id("raw").Op("!=").Lit("")).Block(
			append([]jen.Code{jen.Var().Id("x").Add(gokit.TypeCode(elem))}, append(
				parseScalar(elem, jen.Id("x"), what),
				dst.Clone().Op("=").Op("&").Id("x"))...)...,
		)
	default:
		return jen.If(jen.Id("raw").Op(":=").Id("q").Dot("Get").Call(jen.Lit(p.JSONName)), jen.Id("raw").Op("!=").Lit("")).Block(
			parseScalar(t, dst, what)...,
		)
	}
}

// bitSize is the strconv bit size of a basic numeric type (0 = int size).
func bitSize(basic string) int {
	switch basic {
	case "int8", "uint8", "byte":
		return 8
	case "int16", "uint16":
		return 16
	case "int32", "uint32", "rune", "float32":
		return 32
	case "int64", "uint64", "float64":
		return 64
	}
	return 0
}

// parseScalar emits statements that parse the string variable raw into dst
// (of scalar type t), returning a 400 error naming what on failure.
func parseScalar(t *model.Type, dst *jen.Statement, what string) []jen.Code {
	fail := jen.If(jen.Err().Op("!=").Nil()).Block(
		jen.Return(jen.Nil(), jen.Id("badRequest").Call(jen.Lit(what), jen.Err())),
	)
	name := t.Resolved().BasicName
	// conv parses with call, converting only when the parser's result type
	// (parsed) is not already t.
	conv := func(call jen.Code, parsed string) []jen.Code {
		value := jen.Add(gokit.TypeCode(t)).Parens(jen.Id("v"))
		if t.Kind == model.Basic && name == parsed || t.Kind == model.Named && t.Ident.ImportPath == "time" {
			value = jen.Id("v")
		}
		return []jen.Code{
			jen.List(jen.Id("v"), jen.Err()).Op(":=").Add(call),
			fail,
			dst.Clone().Op("=").Add(value),
		}
	}
	switch {
	case t.IsNamed("time", "Time"):
		return conv(jen.Qual(gokit.PkgTime, "Parse").Call(jen.Qual(gokit.PkgTime, "RFC3339"), jen.Id("raw")), "")
	case t.IsNamed("time", "Duration"):
		return conv(jen.Qual(gokit.PkgTime, "ParseDuration").Call(jen.Id("raw")), "")
	}
	switch name {
	case "string":
		if t.Kind == model.Basic {
			return []jen.Code{dst.Clone().Op("=").Id("raw")}
		}
		return []jen.Code{dst.Clone().Op("=").Add(gokit.TypeCode(t)).Parens(jen.Id("raw"))}
	case "bool":
		return conv(jen.Qual(gokit.PkgStrconv, "ParseBool").Call(jen.Id("raw")), "bool")
	case "float32", "float64":
		return conv(jen.Qual(gokit.PkgStrconv, "ParseFloat").Call(jen.Id("raw"), jen.Lit(bitSize(name))), "float64")
	case "uint", "uint8", "uint16", "uint32", "uint64", "byte", "uintptr":
		return conv(jen.Qual(gokit.PkgStrconv, "ParseUint").Call(jen.Id("raw"), jen.Lit(10), jen.Lit(bitSize(name))), "uint64")
	default: // signed integers and rune
		return conv(jen.Qual(gokit.PkgStrconv, "ParseInt").Call(jen.Id("raw"), jen.Lit(10), jen.Lit(bitSize(name))), "int64")
	}
}

// formatScalar is the client-side inverse of parseScalar: an expression
// that renders v (of scalar type t) as a string.
func formatScalar(t *model.Type, v *jen.Statement) jen.Code {
	switch {
	case t.IsNamed("time", "Time"):
		return v.Dot("Format").Call(jen.Qual(gokit.PkgTime, "RFC3339Nano"))
	case t.IsNamed("time", "Duration"):
		return v.Dot("String").Call()
	}
	name := t.Resolved().BasicName
	switch name {
	case "string":
		if t.Kind == model.Basic {
			return v
		}
		return jen.String().Parens(v)
	case "bool":
		return jen.Qual(gokit.PkgStrconv, "FormatBool").Call(convert(t, "bool", v))
	case "float32", "float64":
		return jen.Qual(gokit.PkgStrconv, "FormatFloat").Call(convert(t, "float64", v), jen.LitRune('g'), jen.Lit(-1), jen.Lit(bitSize(name)))
	case "uint", "uint8", "uint16", "uint32", "uint64", "byte", "uintptr":
		return jen.Qual(gokit.PkgStrconv, "FormatUint").Call(convert(t, "uint64", v), jen.Lit(10))
	default:
		return jen.Qual(gokit.PkgStrconv, "FormatInt").Call(convert(t, "int64", v), jen.Lit(10))
	}
}

// convert converts v (of type t) to the basic type to, unless it is one.
func convert(t *model.Type, to string, v *jen.Statement) jen.Code {
	if t.Kind == model.Basic && t.BasicName == to {
		return v
	}
	return jen.Id(to).Parens(v)
}

func genHTTPClient(f *jen.File, svc *model.Service, l gokit.Layout) {
	values := []jen.Code{}
	for _, m := range gokit.UnaryMethods(svc) {
		b := m.HTTP[0]
		values = append(values, jen.Id(m.EndpointName()).Op(":").Qual(gokit.KitHTTP, "NewClient").Call(
			jen.Lit(b.Verb), jen.Id("u"),
			jen.Id("encodeHTTP"+m.RequestName()),
			jen.Id("decodeHTTPResponse").Types(jen.Qual(l.Endpoint.Path, m.ResponseName())),
			jen.Id("options").Op("..."),
		).Dot("Endpoint").Call())
	}
	f.Comment("NewHTTPClient returns a " + l.Service.Name + "." + svc.Interface.Name + " backed by the HTTP server at instance,")
	f.Comment(`e.g. "http://localhost:8080" or "localhost:8080". Errors the server answers with come`)
	f.Comment("back as *" + l.Service.Name + ".StatusError.")
	f.Func().Id("NewHTTPClient").Params(jen.Id("instance").String(), jen.Id("options").Op("...").Qual(gokit.KitHTTP, "ClientOption")).Params(jen.Qual(l.Service.Path, svc.Interface.Name), jen.Error()).Block(
		jen.If(jen.Op("!").Qual(gokit.PkgStrings, "Contains").Call(jen.Id("instance"), jen.Lit("://"))).Block(
			jen.Id("instance").Op("=").Lit("http://").Op("+").Id("instance"),
		),
		jen.List(jen.Id("u"), jen.Err()).Op(":=").Qual(gokit.PkgURL, "Parse").Call(jen.Id("instance")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Qual(l.Endpoint.Path, "Set").Values(gokit.Multiline(values)...), jen.Nil()),
	)

	for _, m := range gokit.UnaryMethods(svc) {
		genHTTPEncodeRequest(f, m, l)
	}

	f.Comment("decodeHTTPResponse is a transport/http.DecodeResponseFunc that decodes a JSON")
	f.Comment("response of type T, or turns an error status into a *StatusError.")
	f.Func().Id("decodeHTTPResponse").Types(jen.Id("T").Any()).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("r").Op("*").Qual(gokit.PkgHTTP, "Response")).Params(jen.Any(), jen.Error()).Block(
		jen.If(jen.Id("r").Dot("StatusCode").Op(">=").Lit(300)).Block(
			jen.Var().Id("body").Id("errorBody"),
			jen.Id("_").Op("=").Qual(gokit.PkgJSON, "NewDecoder").Call(jen.Qual(gokit.PkgIO, "LimitReader").Call(jen.Id("r").Dot("Body"), jen.Lit(1<<16))).Dot("Decode").Call(jen.Op("&").Id("body")),
			jen.If(jen.Id("body").Dot("Error").Op("==").Lit("")).Block(
				jen.Id("body").Dot("Error").Op("=").Qual(gokit.PkgHTTP, "StatusText").Call(jen.Id("r").Dot("StatusCode")),
			),
			jen.Return(jen.Nil(), jen.Op("&").Add(l.ServiceIdent("StatusError")).Values(
				jen.Id("Code").Op(":").Id("r").Dot("StatusCode"), jen.Id("Message").Op(":").Id("body").Dot("Error"))),
		),
		jen.Var().Id("resp").Id("T"),
		jen.If(jen.Err().Op(":=").Qual(gokit.PkgJSON, "NewDecoder").Call(jen.Id("r").Dot("Body")).Dot("Decode").Call(jen.Op("&").Id("resp")), jen.Err().Op("!=").Nil().Op("&&").Op("!").Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgIO, "EOF"))).Block(
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("decode response: %w"), jen.Err())),
		),
		jen.Return(jen.Id("resp"), jen.Nil()),
	)

	f.Comment("setPath appends segments to the client's base path, escaping each one. An")
	f.Comment("empty segment (an empty path parameter) could not be routed: it is an error.")
	f.Func().Id("setPath").Params(jen.Id("r").Op("*").Qual(gokit.PkgHTTP, "Request"), jen.Id("segments").Op("...").String()).Error().Block(
		jen.Id("p").Op(":=").Qual(gokit.PkgStrings, "TrimSuffix").Call(jen.Id("r").Dot("URL").Dot("Path"), jen.Lit("/")),
		jen.Id("raw").Op(":=").Qual(gokit.PkgStrings, "TrimSuffix").Call(jen.Id("r").Dot("URL").Dot("EscapedPath").Call(), jen.Lit("/")),
		jen.For(jen.List(jen.Id("_"), jen.Id("s")).Op(":=").Range().Id("segments")).Block(
			jen.If(jen.Id("s").Op("==").Lit("")).Block(
				jen.Return(jen.Qual(gokit.PkgFmt, "Errorf").Call(jen.Lit("%s %s: empty path parameter"), jen.Id("r").Dot("Method"), jen.Id("r").Dot("URL").Dot("Path"))),
			),
			jen.Id("p").Op("+=").Lit("/").Op("+").Id("s"),
			jen.Id("raw").Op("+=").Lit("/").Op("+").Qual(gokit.PkgURL, "PathEscape").Call(jen.Id("s")),
		),
		jen.List(jen.Id("r").Dot("URL").Dot("Path"), jen.Id("r").Dot("URL").Dot("RawPath")).Op("=").List(jen.Id("p"), jen.Id("raw")),
		jen.Return(jen.Nil()),
	)
}

// genHTTPEncodeRequest emits the client-side encoder of one method: path
// segments, query parameters and the JSON body, mirroring the decoder.
func genHTTPEncodeRequest(f *jen.File, m *model.Method, l gokit.Layout) {
	b := m.HTTP[0]
	byJSON := map[string]*model.Field{}
	for _, p := range m.Params {
		byJSON[p.JSONName] = p
		byJSON[p.VarName] = p
	}
	var body []jen.Code
	if len(m.Params) > 0 {
		body = append(body, jen.Id("req").Op(":=").Id("request").Assert(jen.Qual(l.Endpoint.Path, m.RequestName())))
	} else {
		body = append(body, jen.Id("_").Op("=").Id("request"))
	}
	var segs []jen.Code
	for _, seg := range strings.Split(strings.Trim(b.Path, "/"), "/") {
		if strings.HasPrefix(seg, "{") {
			p := byJSON[strings.Trim(seg, "{}")]
			segs = append(segs, formatScalar(p.Type, jen.Id("req").Dot(p.GoName)))
			continue
		}
		if seg != "" {
			segs = append(segs, jen.Lit(seg))
		}
	}
	body = append(body, jen.If(jen.Err().Op(":=").Id("setPath").Call(append([]jen.Code{jen.Id("r")}, segs...)...), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
	if hasIn(m, model.InQuery) {
		body = append(body, jen.Id("q").Op(":=").Id("r").Dot("URL").Dot("Query").Call())
		for _, p := range m.Params {
			if p.In != model.InQuery {
				continue
			}
			t, r := p.Type, p.Type.Resolved()
			field := jen.Id("req").Dot(p.GoName)
			switch {
			case r.Kind == model.Slice && !t.IsScalar():
				body = append(body, jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Add(field)).Block(
					jen.Id("q").Dot("Add").Call(jen.Lit(p.JSONName), formatScalar(r.Elem, jen.Id("x"))),
				))
			case r.Kind == model.Pointer:
				body = append(body, jen.If(field.Clone().Op("!=").Nil()).Block(
					jen.Id("q").Dot("Set").Call(jen.Lit(p.JSONName), formatScalar(r.Elem, jen.Parens(jen.Op("*").Add(field.Clone())))),
				))
			default:
				body = append(body, jen.Id("q").Dot("Set").Call(jen.Lit(p.JSONName), formatScalar(t, field)))
			}
		}
		body = append(body, jen.Id("r").Dot("URL").Dot("RawQuery").Op("=").Id("q").Dot("Encode").Call())
	}
	if b.Body != "" {
		payload := jen.Code(jen.Struct().Values())
		if len(m.Params) > 0 {
			payload = jen.Id("req")
		}
		body = append(body,
			jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual(gokit.PkgJSON, "Marshal").Call(payload),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Id("r").Dot("Header").Dot("Set").Call(jen.Lit("Content-Type"), jen.Lit("application/json; charset=utf-8")),
			jen.Id("r").Dot("ContentLength").Op("=").Int64().Parens(jen.Len(jen.Id("data"))),
			jen.Id("r").Dot("Body").Op("=").Qual(gokit.PkgIO, "NopCloser").Call(jen.Qual("bytes", "NewReader").Call(jen.Id("data"))),
		)
	}
	body = append(body, jen.Return(jen.Nil()))

	f.Comment("encodeHTTP" + m.RequestName() + " is a transport/http.EncodeRequestFunc that writes a")
	f.Comment(m.RequestName() + " as " + HTTPPattern(b) + ".")
	f.Func().Id("encodeHTTP"+m.RequestName()).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), jen.Id("r").Op("*").Qual(gokit.PkgHTTP, "Request"), jen.Id("request").Any()).Error().Block(body...)
}

func genHTTPErrors(f *jen.File, svc *model.Service, l gokit.Layout) {
	f.Comment("errorBody is the JSON body of every error response: {\"error\": \"...\"}.")
	f.Type().Id("errorBody").Struct(jen.Id("Error").String().Tag(map[string]string{"json": "error"}))

	f.Comment("encodeHTTPError is a transport/http.ErrorEncoder that writes err as a JSON")
	f.Comment("error body with the status from HTTPStatus, and the request's id as X-Request-Id.")
	f.Func().Id("encodeHTTPError").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Err().Error(), jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter")).Block(
		jen.Id("setRequestIDHeader").Call(jen.Id("ctx"), jen.Id("w")),
		jen.Id("w").Dot("Header").Call().Dot("Set").Call(jen.Lit("Content-Type"), jen.Lit("application/json; charset=utf-8")),
		httpErrorHeaders(l),
		jen.Id("w").Dot("WriteHeader").Call(jen.Id("HTTPStatus").Call(jen.Err())),
		jen.Id("_").Op("=").Qual(gokit.PkgJSON, "NewEncoder").Call(jen.Id("w")).Dot("Encode").Call(jen.Id("errorBody").Values(jen.Id("Error").Op(":").Err().Dot("Error").Call())),
	)

	f.Comment("HTTPStatus maps an error to an HTTP status: an error with a StatusCode() int")
	f.Comment("method gives that status, ErrNotImplemented gives 501, and anything else 500.")
	if len(svc.ErrorStatuses) > 0 {
		f.Comment("An error with a //kitforge:status directive gives its status (after StatusCode).")
	}
	cases := []jen.Code{jen.Case(jen.Qual(gokit.PkgErrors, "As").Call(jen.Err(), jen.Op("&").Id("sc"))).Block(jen.Return(jen.Id("sc").Dot("StatusCode").Call()))}
	cases = append(cases, service.SentinelCases(svc, l, func(status int) jen.Code { return jen.Lit(status) })...)
	cases = append(cases,
		jen.Case(jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), l.ServiceIdent("ErrNotImplemented"))).Block(jen.Return(jen.Qual(gokit.PkgHTTP, "StatusNotImplemented"))),
		jen.Default().Block(jen.Return(jen.Qual(gokit.PkgHTTP, "StatusInternalServerError"))),
	)
	f.Func().Id("HTTPStatus").Params(jen.Err().Error()).Int().Block(
		jen.Var().Id("sc").Interface(jen.Id("StatusCode").Params().Int()),
		jen.Switch().Block(cases...),
	)

	f.Comment("badRequest wraps a decoding error so that it answers 400 Bad Request, or 413")
	f.Comment("Request Entity Too Large when the body was over the server's limit.")
	f.Func().Id("badRequest").Params(jen.Id("what").String(), jen.Err().Error()).Error().Block(
		jen.Id("code").Op(":=").Qual(gokit.PkgHTTP, "StatusBadRequest"),
		jen.Var().Id("tooLarge").Op("*").Qual(gokit.PkgHTTP, "MaxBytesError"),
		jen.If(jen.Qual(gokit.PkgErrors, "As").Call(jen.Err(), jen.Op("&").Id("tooLarge"))).Block(
			jen.Id("code").Op("=").Qual(gokit.PkgHTTP, "StatusRequestEntityTooLarge"),
		),
		jen.Return(jen.Op("&").Add(l.ServiceIdent("StatusError")).Values(
			jen.Id("Code").Op(":").Id("code"),
			jen.Id("Message").Op(":").Id("what").Op("+").Lit(": ").Op("+").Err().Dot("Error").Call(),
		)),
	)
}

// httpErrorHeaders is the statement of encodeHTTPError that copies the
// headers an error carries (Go kit's httptransport.Headerer, e.g. the
// WWW-Authenticate challenge of a *MiddlewareError) into the response; with
// no authentication middleware it is empty and nothing is emitted.
func httpErrorHeaders(l gokit.Layout) jen.Code {
	if !l.HasAuth() {
		return jen.Null()
	}
	return jen.If(jen.Id("h").Op(",").Id("ok").Op(":=").Id("headersOf").Call(jen.Err()), jen.Id("ok")).Block(
		jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("h")).Block(
			jen.Id("w").Dot("Header").Call().Index(jen.Id("k")).Op("=").Id("v"),
		),
	)
}

// ProtoHTTP emits <out>/<name>transport/http_gen.go for a proto service:
// NewHTTPHandler, a Go kit HTTP server per google.api.http binding of each
// unary rpc, routed by the module's transcoding runtime (TranscodeRuntime).
func ProtoHTTP(ps *gokit.ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := gokit.ProtoNewFile(l.Transport, ps)
	body := []jen.Code{
		jen.Id("options").Op("=").Append(jen.Index().Qual(gokit.KitHTTP, "ServerOption").Values(gokit.Multiline([]jen.Code{
			jen.Qual(gokit.KitHTTP, "ServerErrorEncoder").Call(jen.Id("encodeHTTPError")),
			jen.Qual(gokit.KitHTTP, "ServerErrorHandler").Call(jen.Qual(gokit.KitTransport, "NewLogErrorHandler").Call(
				jen.Qual(gokit.KitLog, "With").Call(jen.Id("logger"), jen.Lit("transport"), jen.Lit("HTTP")))),
			jen.Qual(gokit.KitHTTP, "ServerBefore").Call(jen.Id("requestIDToContext")),
			jen.Qual(gokit.KitHTTP, "ServerAfter").Call(jen.Id("requestIDToResponse")),
		})...), jen.Id("options").Op("...")),
		jen.Id("r").Op(":=").Qual(l.Transcode.Path, "NewRouter").Call(),
	}
	for _, m := range gokit.UnaryMethods(svc) {
		pm := ps.Method(m)
		for _, b := range m.HTTP {
			body = append(body, jen.Id("r").Dot("Handle").Call(jen.Lit(b.Verb), jen.Lit(b.Path), jen.Qual(gokit.KitHTTP, "NewServer").Call(
				jen.Line().Id("endpoints").Dot(m.EndpointName()),
				jen.Line().Qual(l.Transcode.Path, "DecodeRequest").Call(
					jen.Func().Params().Qual(gokit.PkgProto, "Message").Block(jen.Return(jen.New(jen.Qual(pm.Input.ImportPath, pm.Input.Name)))),
					jen.Lit(b.Body)),
				jen.Line().Qual(l.Transcode.Path, "EncodeResponse").Call(jen.Lit(b.ResponseBody)),
				jen.Line().Id("options").Op("...").Line(),
			)))
		}
	}
	body = append(body, jen.Return(jen.Id("r")))

	f.Comment("NewHTTPHandler returns an http.Handler that serves the unary rpcs of " + ps.FullName)
	f.Comment("as HTTP/JSON, transcoded as their google.api.http annotations say (rpcs without one")
	f.Comment("answer POST /<service>/<rpc> with the request as the JSON body):")
	f.Comment("")
	for _, m := range gokit.UnaryMethods(svc) {
		for _, b := range m.HTTP {
			f.Comment("\t" + b.Verb + " " + b.Path + " → " + m.Name)
		}
	}
	f.Comment("")
	f.Comment("Bodies are protojson (lowerCamel names, enums by name); errors answer the HTTP status")
	f.Comment("of their gRPC code with {\"error\": {\"code\", \"message\", \"status\"}}.")
	f.Func().Id("NewHTTPHandler").Params(
		jen.Id("endpoints").Qual(l.Endpoint.Path, "Set"),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("options").Op("...").Qual(gokit.KitHTTP, "ServerOption"),
	).Qual(gokit.PkgHTTP, "Handler").Block(body...)

	f.Comment("encodeHTTPError is a transport/http.ErrorEncoder: the transcoding runtime's")
	f.Comment("EncodeError, with the request's id as X-Request-Id.")
	f.Func().Id("encodeHTTPError").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Err().Error(), jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter")).Block(
		jen.Id("setRequestIDHeader").Call(jen.Id("ctx"), jen.Id("w")),
		jen.Qual(l.Transcode.Path, "EncodeError").Call(jen.Id("ctx"), jen.Err(), jen.Id("w")),
	)
	f.Comment("requestIDToResponse is a transport/http.ServerResponseFunc that returns the")
	f.Comment("request's id as X-Request-Id with a successful response.")
	f.Func().Id("requestIDToResponse").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter")).Qual(gokit.PkgContext, "Context").Block(
		jen.Id("setRequestIDHeader").Call(jen.Id("ctx"), jen.Id("w")),
		jen.Return(jen.Id("ctx")),
	)
	genHTTPRequestID(f, l)

	genHTTPStreamHandler(f, ps)
	genProtoHTTPClient(f, ps)

	f.Comment("WithNextHTTPHandler returns h, a handler NewHTTPHandler returned, handing the")
	f.Comment("requests that none of its routes match to next instead of answering 404 or 405:")
	f.Comment("that is how the services of one server share its HTTP listener.")
	f.Func().Id("WithNextHTTPHandler").Params(jen.List(jen.Id("h"), jen.Id("next")).Qual(gokit.PkgHTTP, "Handler")).Qual(gokit.PkgHTTP, "Handler").Block(
		jen.Return(jen.Qual(l.Transcode.Path, "WithNext").Call(jen.Id("h"), jen.Id("next"))),
	)
	return gokit.Render(f)
}

// genHTTPStreamHandler emits NewHTTPStreamHandler, for a proto service whose
// server- or client-streaming rpcs have google.api.http bindings: the
// transcoding runtime's ServeServerStream and ServeClientStream call the
// service directly, as the gRPC server does (streams have no endpoints).
func genHTTPStreamHandler(f *jen.File, ps *gokit.ProtoService) {
	streams := gokit.HTTPStreams(ps.Svc)
	if len(streams) == 0 {
		return
	}
	l := ps.Layout
	body := []jen.Code{jen.Id("r").Op(":=").Qual(l.Transcode.Path, "NewRouter").Call()}
	f.Comment("NewHTTPStreamHandler returns an http.Handler that serves the streaming rpcs of")
	f.Comment(ps.FullName + " over HTTP as their google.api.http annotations say, and hands every")
	f.Comment("other request to next (the handler NewHTTPHandler returned):")
	f.Comment("")
	for _, m := range streams {
		pm := ps.Method(m)
		newMessage := func(id model.Ident) jen.Code {
			return jen.Func().Params().Qual(gokit.PkgProto, "Message").Block(jen.Return(jen.New(jen.Qual(id.ImportPath, id.Name))))
		}
		for _, b := range m.HTTP {
			var serve jen.Code
			if m.Kind == model.ClientStream {
				f.Comment("\t" + b.Verb + " " + b.Path + " → " + m.Name + " (one request message per line of the body)")
				serve = jen.Qual(l.Transcode.Path, "ServeClientStream").Call(jen.Id("w"), jen.Id("req"), newMessage(pm.Input), jen.Id("svc").Dot(m.Name))
			} else {
				f.Comment("\t" + b.Verb + " " + b.Path + " → " + m.Name + " (a response message per line, flushed)")
				serve = jen.Qual(l.Transcode.Path, "ServeServerStream").Call(jen.Id("w"), jen.Id("req"),
					jen.Qual(l.Transcode.Path, "DecodeRequest").Call(newMessage(pm.Input), jen.Lit(b.Body)), jen.Id("svc").Dot(m.Name))
			}
			body = append(body, jen.Id("r").Dot("Handle").Call(jen.Lit(b.Verb), jen.Lit(b.Path), jen.Qual(gokit.PkgHTTP, "HandlerFunc").Call(
				jen.Func().Params(jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter"), jen.Id("req").Op("*").Qual(gokit.PkgHTTP, "Request")).Block(
					jen.Id("req").Op("=").Id("req").Dot("WithContext").Call(jen.Id("requestIDToContext").Call(jen.Id("req").Dot("Context").Call(), jen.Id("req"))),
					jen.Id("setRequestIDHeader").Call(jen.Id("req").Dot("Context").Call(), jen.Id("w")),
					serve,
				))))
		}
	}
	f.Comment("")
	f.Comment("A server stream answers newline-delimited JSON, {\"result\": message} per line and")
	f.Comment("{\"error\": status} for a failure after the first message, or Server-Sent Events")
	f.Comment("when the client sends Accept: text/event-stream. A client that disconnects cancels")
	f.Comment("the rpc's context.")
	f.Func().Id("NewHTTPStreamHandler").Params(
		jen.Id("svc").Qual(l.Service.Path, "Service"),
		jen.Id("next").Qual(gokit.PkgHTTP, "Handler"),
	).Qual(gokit.PkgHTTP, "Handler").Block(append(body, jen.Return(jen.Qual(l.Transcode.Path, "WithNext").Call(jen.Id("r"), jen.Id("next"))))...)
}

// genProtoHTTPClient emits NewHTTPClient for a proto service: a Set whose
// endpoints call its unary rpcs over HTTP/JSON through each rpc's first
// google.api.http binding (the transcoding runtime's EncodeRequest and
// DecodeResponse, the inverse of the server side), for callers without
// gRPC.
func genProtoHTTPClient(f *jen.File, ps *gokit.ProtoService) {
	l := ps.Layout
	var fields []jen.Code
	for _, m := range gokit.UnaryMethods(ps.Svc) {
		if len(m.HTTP) == 0 {
			continue
		}
		pm, b := ps.Method(m), m.HTTP[0]
		verb := b.Verb
		if verb == "*" {
			verb = "POST"
		}
		fields = append(fields, jen.Id(m.EndpointName()).Op(":").Qual(gokit.KitHTTP, "NewClient").Call(
			jen.Lit(verb), jen.Id("u"),
			jen.Qual(l.Transcode.Path, "EncodeRequest").Call(jen.Lit(b.Path), jen.Lit(b.Body)),
			jen.Qual(l.Transcode.Path, "DecodeResponse").Call(
				jen.Func().Params().Qual(gokit.PkgProto, "Message").Block(jen.Return(jen.New(jen.Qual(pm.Output.ImportPath, pm.Output.Name)))),
				jen.Lit(b.ResponseBody)),
			jen.Id("options").Op("..."),
		).Dot("Endpoint").Call())
	}
	if len(fields) == 0 {
		return // no unary rpc: nothing to call over HTTP
	}
	f.Comment("NewHTTPClient returns a Set whose endpoints call the unary rpcs of " + ps.FullName + " at")
	f.Comment("instance (host:port, or a URL with its scheme and a path prefix) over HTTP/JSON,")
	f.Comment("through each rpc's first google.api.http binding: the request message fills the")
	f.Comment("path, the body and the query as the server decodes them, and an error answer is")
	f.Comment("the gRPC status it names. Streaming rpcs are not on it (use gRPC).")
	f.Func().Id("NewHTTPClient").Params(jen.Id("instance").String(), jen.Id("options").Op("...").Qual(gokit.KitHTTP, "ClientOption")).Params(jen.Qual(l.Endpoint.Path, "Set"), jen.Error()).Block(
		jen.If(jen.Op("!").Qual(gokit.PkgStrings, "Contains").Call(jen.Id("instance"), jen.Lit("://"))).Block(
			jen.Id("instance").Op("=").Lit("http://").Op("+").Id("instance"),
		),
		jen.List(jen.Id("u"), jen.Err()).Op(":=").Qual(gokit.PkgURL, "Parse").Call(jen.Id("instance")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(l.Endpoint.Path, "Set").Values(), jen.Err())),
		jen.Return(jen.Qual(l.Endpoint.Path, "Set").Values(gokit.Multiline(fields)...), jen.Nil()),
	)
}
