package service

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// Errors emits <svc>/errors_gen.go: ErrNotImplemented and StatusError, the
// two errors every transport knows how to carry.
func Errors(svc *model.Service, l gokit.Layout) ([]byte, error) {
	f := l.NewFile(l.Service)
	errNotImpl, statusErr, errorf := l.Names.Name("ErrNotImplemented"), l.Names.Name("StatusError"), l.Names.Name("Errorf")

	f.Comment(errNotImpl + " is returned by scaffolded methods that have no implementation yet.")
	f.Comment("Transports answer it with 501 Not Implemented (HTTP) and Unimplemented (gRPC).")
	f.Var().Id("ErrNotImplemented").Op("=").Qual(gokit.PkgErrors, "New").Call(jen.Lit("not implemented"))

	f.Comment(statusErr + " is an error that carries an HTTP status code. Return one from a")
	f.Comment("method to choose the status that transports answer with; clients return one")
	f.Comment("for every error response they receive.")
	f.Type().Id("StatusError").Struct(
		jen.Comment("Code is the HTTP status code, e.g. 404."),
		jen.Id("Code").Int(),
		jen.Comment("Message is the error text shown to callers."),
		jen.Id("Message").String(),
	)

	f.Comment(errorf + " returns a *" + statusErr + " with the given HTTP status code and a formatted message.")
	f.Func().Id("Errorf").Params(jen.Id("code").Int(), jen.Id("format").String(), jen.Id("args").Op("...").Any()).Error().Block(
		jen.Return(jen.Op("&").Id("StatusError").Values(
			jen.Id("Code").Op(":").Id("code"),
			jen.Id("Message").Op(":").Qual(gokit.PkgFmt, "Sprintf").Call(jen.Id("format"), jen.Id("args").Op("...")),
		)),
	)

	recv := jen.Id("e").Op("*").Id("StatusError")
	f.Comment("Error returns the message.")
	f.Func().Params(recv.Clone()).Id("Error").Params().String().Block(jen.Return(jen.Id("e").Dot("Message")))
	f.Comment("StatusCode returns the HTTP status code; Go kit's HTTP transport honours it.")
	f.Func().Params(recv.Clone()).Id("StatusCode").Params().Int().Block(jen.Return(jen.Id("e").Dot("Code")))
	genStatusErrorIs(f, svc, errNotImpl, recv)
	return gokit.Render(f)
}

// genStatusErrorIs emits StatusError.Is: a status error is ErrNotImplemented
// when its status is 501, and each error with a //kitforge:status directive
// when it has that error's status (and, when errors share a status, contains
// its text), so errors.Is holds on the client side as on the server's.
func genStatusErrorIs(f *jen.File, svc *model.Service, errNotImpl string, recv *jen.Statement) {
	if len(svc.ErrorStatuses) == 0 {
		f.Comment("Is makes errors.Is(err, " + errNotImpl + ") true for a 501 status, so callers of a")
		f.Comment("remote service can test for it the same way as callers of a local one.")
		f.Func().Params(recv.Clone()).Id("Is").Params(jen.Id("target").Error()).Bool().Block(
			jen.Return(jen.Id("target").Op("==").Id("ErrNotImplemented").Op("&&").Id("e").Dot("Code").Op("==").Lit(501)),
		)
		return
	}
	cases := []jen.Code{jen.Case(jen.Id("ErrNotImplemented")).Block(jen.Return(jen.Id("e").Dot("Code").Op("==").Lit(501)))}
	for _, g := range statusGroups(svc.ErrorStatuses) {
		var names []jen.Code
		for _, e := range g {
			names = append(names, jen.Id(e.Name))
		}
		same := jen.Id("e").Dot("Code").Op("==").Lit(g[0].Status)
		if len(g) > 1 || g[0].Status == 501 {
			same = same.Op("&&").Qual(gokit.PkgStrings, "Contains").Call(jen.Id("e").Dot("Message"), jen.Id("target").Dot("Error").Call())
		}
		cases = append(cases, jen.Case(names...).Block(jen.Return(same)))
	}
	f.Comment("Is makes errors.Is(err, " + errNotImpl + ") true for a 501 status, and errors.Is(err, E)")
	f.Comment("true for the status that E's //kitforge:status directive gives it (when several errors")
	f.Comment("share a status, for the one whose text the message contains), so callers of a")
	f.Comment("remote service can test for them the same way as callers of a local one.")
	f.Func().Params(recv.Clone()).Id("Is").Params(jen.Id("target").Error()).Bool().Block(
		jen.Switch(jen.Id("target")).Block(cases...),
		jen.Return(jen.False()),
	)
}

// statusGroups groups errors by status, in the order each status first
// appears.
func statusGroups(errs []model.ErrorStatus) [][]model.ErrorStatus {
	var groups [][]model.ErrorStatus
	at := map[int]int{}
	for _, e := range errs {
		i, ok := at[e.Status]
		if !ok {
			i = len(groups)
			at[e.Status] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], e)
	}
	return groups
}

// SentinelCases are the cases of a tagless switch on err that return
// result(status) when err is one of the errors with a //kitforge:status
// directive.
func SentinelCases(svc *model.Service, l gokit.Layout, result func(status int) jen.Code) []jen.Code {
	var cases []jen.Code
	for _, g := range statusGroups(svc.ErrorStatuses) {
		var is []jen.Code
		for _, e := range g {
			is = append(is, jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(l.Service.Path, e.Name)))
		}
		cases = append(cases, jen.Case(is...).Block(jen.Return(result(g[0].Status))))
	}
	return cases
}

// ProtoErrors emits <svc>/errors_gen.go for a proto service: errors are
// gRPC statuses, which both transports carry (HTTP maps their codes).
func ProtoErrors(ps *gokit.ProtoService) ([]byte, error) {
	f := gokit.ProtoNewFile(ps.Layout.Service, ps)
	f.Comment("ErrNotImplemented is returned by scaffolded methods that have no implementation yet:")
	f.Comment("a gRPC Unimplemented status, which gRPC clients receive as it is and HTTP clients")
	f.Comment("as 501 Not Implemented. Return other statuses the same way, e.g.")
	f.Comment("status.Errorf(codes.NotFound, \"no book %q\", name) answers NOT_FOUND and 404.")
	f.Var().Id("ErrNotImplemented").Op("=").Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "Unimplemented"), jen.Lit("not implemented"))
	return gokit.Render(f)
}
