package gokit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/model"
)

// Errors emits <svc>/errors_gen.go: ErrNotImplemented and StatusError, the
// two errors every transport knows how to carry.
func Errors(svc *model.Service, l Layout) ([]byte, error) {
	f := l.newFile(l.Service)
	errNotImpl, statusErr, errorf := l.Names.Name("ErrNotImplemented"), l.Names.Name("StatusError"), l.Names.Name("Errorf")

	f.Comment(errNotImpl + " is returned by scaffolded methods that have no implementation yet.")
	f.Comment("Transports answer it with 501 Not Implemented (HTTP) and Unimplemented (gRPC).")
	f.Var().Id("ErrNotImplemented").Op("=").Qual(pkgErrors, "New").Call(jen.Lit("not implemented"))

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
			jen.Id("Message").Op(":").Qual(pkgFmt, "Sprintf").Call(jen.Id("format"), jen.Id("args").Op("...")),
		)),
	)

	recv := jen.Id("e").Op("*").Id("StatusError")
	f.Comment("Error returns the message.")
	f.Func().Params(recv.Clone()).Id("Error").Params().String().Block(jen.Return(jen.Id("e").Dot("Message")))
	f.Comment("StatusCode returns the HTTP status code; Go kit's HTTP transport honours it.")
	f.Func().Params(recv.Clone()).Id("StatusCode").Params().Int().Block(jen.Return(jen.Id("e").Dot("Code")))
	f.Comment("Is makes errors.Is(err, " + errNotImpl + ") true for a 501 status, so callers of a")
	f.Comment("remote service can test for it the same way as callers of a local one.")
	f.Func().Params(recv.Clone()).Id("Is").Params(jen.Id("target").Error()).Bool().Block(
		jen.Return(jen.Id("target").Op("==").Id("ErrNotImplemented").Op("&&").Id("e").Dot("Code").Op("==").Lit(501)),
	)
	return render(f)
}
