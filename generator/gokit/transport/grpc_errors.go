package transport

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/service"
	"github.com/kitforge/kitforge/generator/model"
)

// grpcCodes pairs HTTP statuses with gRPC codes: the server maps a status
// to its code, the client maps a code back to the first status listed for
// it (so 412 comes back as 422, both being FailedPrecondition). Statuses of
// one code are listed together.
var grpcCodes = []struct {
	status string // net/http constant
	number int    // its value
	code   string // codes constant
}{
	{"StatusBadRequest", 400, "InvalidArgument"},
	{"StatusUnauthorized", 401, "Unauthenticated"},
	{"StatusForbidden", 403, "PermissionDenied"},
	{"StatusNotFound", 404, "NotFound"},
	{"StatusConflict", 409, "AlreadyExists"},
	{"StatusUnprocessableEntity", 422, "FailedPrecondition"},
	{"StatusPreconditionFailed", 412, "FailedPrecondition"},
	{"StatusTooManyRequests", 429, "ResourceExhausted"},
	{"StatusInternalServerError", 500, "Internal"},
	{"StatusNotImplemented", 501, "Unimplemented"},
	{"StatusServiceUnavailable", 503, "Unavailable"},
	{"StatusGatewayTimeout", 504, "DeadlineExceeded"},
}

// genGRPCErrors emits the mapping between Go errors and gRPC statuses:
// GRPCCode and grpcError on the server, statusErrorOf on the client.
func genGRPCErrors(f *jen.File, svc *model.Service, l gokit.Layout) {
	f.Comment("GRPCCode maps an error to a gRPC status code, as HTTPStatus maps it to an HTTP")
	f.Comment("status: an error with a StatusCode() int method gives the code matching that")
	f.Comment("status (400 InvalidArgument, 401 Unauthenticated, 403 PermissionDenied, 404")
	f.Comment("NotFound, 409 AlreadyExists, 412 and 422 FailedPrecondition, 429")
	f.Comment("ResourceExhausted, 500 Internal, 501 Unimplemented, 503 Unavailable, 504")
	f.Comment("DeadlineExceeded, any other Unknown), ErrNotImplemented gives Unimplemented,")
	f.Comment("a cancelled or expired context Canceled or DeadlineExceeded, anything else")
	f.Comment("Internal.")
	if len(svc.ErrorStatuses) > 0 {
		f.Comment("An error with a //kitforge:status directive gives the code matching its status.")
	}
	cases := []jen.Code{jen.Case(jen.Qual(gokit.PkgErrors, "As").Call(jen.Err(), jen.Op("&").Id("sc"))).Block(jen.Return(jen.Id("codeOfHTTPStatus").Call(jen.Id("sc").Dot("StatusCode").Call())))}
	cases = append(cases, service.SentinelCases(svc, l, func(status int) jen.Code { return jen.Qual(gokit.PkgGRPCCodes, grpcCodeOf(status)) })...)
	cases = append(cases,
		jen.Case(jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), l.ServiceIdent("ErrNotImplemented"))).Block(jen.Return(jen.Qual(gokit.PkgGRPCCodes, "Unimplemented"))),
		jen.Case(jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgContext, "Canceled"))).Block(jen.Return(jen.Qual(gokit.PkgGRPCCodes, "Canceled"))),
		jen.Case(jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgContext, "DeadlineExceeded"))).Block(jen.Return(jen.Qual(gokit.PkgGRPCCodes, "DeadlineExceeded"))),
		jen.Default().Block(jen.Return(jen.Qual(gokit.PkgGRPCCodes, "Internal"))),
	)
	f.Func().Id("GRPCCode").Params(jen.Err().Error()).Qual(gokit.PkgGRPCCodes, "Code").Block(
		jen.Var().Id("sc").Interface(jen.Id("StatusCode").Params().Int()),
		jen.Switch().Block(cases...),
	)

	toCode := CodeOfStatusCases()
	var toStatus []jen.Code
	for i, p := range grpcCodes {
		if i > 0 && grpcCodes[i-1].code == p.code {
			continue // listed with the previous status
		}
		toStatus = append(toStatus, jen.Case(jen.Qual(gokit.PkgGRPCCodes, p.code)).Block(jen.Return(jen.Qual(gokit.PkgHTTP, p.status))))
	}
	toStatus = append(toStatus,
		jen.Case(jen.Qual(gokit.PkgGRPCCodes, "OutOfRange")).Block(jen.Return(jen.Qual(gokit.PkgHTTP, "StatusBadRequest"))),
		jen.Case(jen.Qual(gokit.PkgGRPCCodes, "Aborted")).Block(jen.Return(jen.Qual(gokit.PkgHTTP, "StatusConflict"))),
		jen.Case(jen.Qual(gokit.PkgGRPCCodes, "Canceled")).Block(jen.Return(jen.Lit(499))),
		jen.Default().Block(jen.Return(jen.Qual(gokit.PkgHTTP, "StatusInternalServerError"))),
	)
	f.Comment("codeOfHTTPStatus is the gRPC code matching an HTTP status (see GRPCCode).")
	f.Func().Id("codeOfHTTPStatus").Params(jen.Id("code").Int()).Qual(gokit.PkgGRPCCodes, "Code").Block(jen.Switch(jen.Id("code")).Block(toCode...))

	f.Comment("httpStatusOf is the HTTP status matching a gRPC code, the inverse of")
	f.Comment("codeOfHTTPStatus (FailedPrecondition gives 422, Canceled 499, and codes without")
	f.Comment("a match 500).")
	f.Func().Id("httpStatusOf").Params(jen.Id("code").Qual(gokit.PkgGRPCCodes, "Code")).Int().Block(jen.Switch(jen.Id("code")).Block(toStatus...))

	f.Comment("grpcError turns err into the error a gRPC method fails with: a status with the")
	f.Comment("code from GRPCCode and err's message. Errors that carry a status keep it.")
	f.Func().Id("grpcError").Params(jen.Err().Error()).Error().Block(
		jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Qual(gokit.PkgGRPCStatus, "FromError").Call(jen.Err()), jen.Id("ok")).Block(jen.Return(jen.Err())),
		jen.Return(jen.Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Id("GRPCCode").Call(jen.Err()), jen.Err().Dot("Error").Call())),
	)

	f.Comment("failedResponse is the error an encoder returns for a response that carries a")
	f.Comment("business error: the call fails with the error's gRPC status.")
	f.Type().Id("failedResponse").Struct(jen.Err().Error())
	f.Comment("Error returns the business error's message.")
	f.Func().Params(jen.Id("f").Id("failedResponse")).Id("Error").Params().String().Block(jen.Return(jen.Id("f").Dot("err").Dot("Error").Call()))
	f.Comment("Unwrap returns the business error.")
	f.Func().Params(jen.Id("f").Id("failedResponse")).Id("Unwrap").Params().Error().Block(jen.Return(jen.Id("f").Dot("err")))
	f.Comment("GRPCStatus is the status the call fails with; grpc-go and status.FromError use it.")
	f.Func().Params(jen.Id("f").Id("failedResponse")).Id("GRPCStatus").Params().Op("*").Qual(gokit.PkgGRPCStatus, "Status").Block(
		jen.Return(jen.Qual(gokit.PkgGRPCStatus, "Convert").Call(jen.Id("grpcError").Call(jen.Id("f").Dot("err")))),
	)

	f.Comment("grpcErrorHandler is a transport.ErrorHandler that passes on the errors of the")
	f.Comment("gRPC transport, except the business errors of failed responses: the service's")
	f.Comment("logging middleware has logged those already.")
	f.Type().Id("grpcErrorHandler").Struct(jen.Id("next").Qual(gokit.KitTransport, "ErrorHandler"))
	f.Comment("Handle implements transport.ErrorHandler.")
	f.Func().Params(jen.Id("h").Id("grpcErrorHandler")).Id("Handle").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Err().Error()).Block(
		jen.If(jen.Qual(gokit.PkgErrors, "As").Call(jen.Err(), jen.New(jen.Id("failedResponse")))).Block(jen.Return()),
		jen.Id("h").Dot("next").Dot("Handle").Call(jen.Id("ctx"), jen.Err()),
	)

	f.Comment("statusErrorOf turns the gRPC status of a failed call into a")
	f.Comment("*" + l.Service.Name + ".StatusError with the matching HTTP status, so that errors.Is(err,")
	f.Comment(l.Service.Name + ".ErrNotImplemented) holds for Unimplemented; other errors pass through.")
	var body []jen.Code
	body = append(body,
		jen.List(jen.Id("st"), jen.Id("ok")).Op(":=").Qual(gokit.PkgGRPCStatus, "FromError").Call(jen.Err()),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Err())),
	)
	code := jen.Id("httpStatusOf").Call(jen.Id("st").Dot("Code").Call())
	if lost := lostStatusCases(svc, l); len(lost) > 0 {
		f.Comment("An error with a //kitforge:status directive whose status the gRPC code does not")
		f.Comment("give back (its text in the message tells it) gets its own status.")
		body = append(body, jen.Id("code").Op(":=").Add(code), jen.Switch().Block(lost...))
		code = jen.Id("code")
	}
	body = append(body, jen.Return(jen.Op("&").Add(l.ServiceIdent("StatusError")).Values(
		jen.Id("Code").Op(":").Add(code),
		jen.Id("Message").Op(":").Id("st").Dot("Message").Call(),
	)))
	f.Func().Id("statusErrorOf").Params(jen.Err().Error()).Error().Block(body...)
}

// lostStatusCases are the cases of a tagless switch in statusErrorOf that set
// code to the status of an error with a //kitforge:status directive whose gRPC
// code maps back to another status (412 → FailedPrecondition → 422, 418 →
// Unknown → 500).
func lostStatusCases(svc *model.Service, l gokit.Layout) []jen.Code {
	var cases []jen.Code
	for _, e := range svc.ErrorStatuses {
		code := grpcCodeOf(e.Status)
		if statusOfGRPCCode(code) == e.Status {
			continue
		}
		cases = append(cases, jen.Case(jen.Id("st").Dot("Code").Call().Op("==").Qual(gokit.PkgGRPCCodes, code).Op("&&").
			Qual(gokit.PkgStrings, "Contains").Call(jen.Id("st").Dot("Message").Call(), jen.Qual(l.Service.Path, e.Name).Dot("Error").Call())).
			Block(jen.Id("code").Op("=").Lit(e.Status)))
	}
	return cases
}

// grpcCodeOf is the gRPC code (a codes constant) of an HTTP status, as the
// generated codeOfHTTPStatus maps it.
func grpcCodeOf(status int) string {
	for _, p := range grpcCodes {
		if p.number == status {
			return p.code
		}
	}
	return "Unknown"
}

// statusOfGRPCCode is the HTTP status the generated httpStatusOf gives a code
// of grpcCodes (the first status listed for it), else 500.
func statusOfGRPCCode(code string) int {
	for _, p := range grpcCodes {
		if p.code == code {
			return p.number
		}
	}
	return 500
}

// CodeOfStatusCases are the cases of a switch on an HTTP status that return
// its gRPC code (grpcCodes), Unknown by default.
func CodeOfStatusCases() []jen.Code {
	var cases []jen.Code
	for i, p := range grpcCodes {
		if i > 0 && grpcCodes[i-1].code == p.code {
			continue // listed with the previous status
		}
		statuses := []jen.Code{jen.Qual(gokit.PkgHTTP, p.status)}
		for _, q := range grpcCodes[i+1:] {
			if q.code != p.code {
				break
			}
			statuses = append(statuses, jen.Qual(gokit.PkgHTTP, q.status))
		}
		cases = append(cases, jen.Case(statuses...).Block(jen.Return(jen.Qual(gokit.PkgGRPCCodes, p.code))))
	}
	return append(cases, jen.Default().Block(jen.Return(jen.Qual(gokit.PkgGRPCCodes, "Unknown"))))
}
