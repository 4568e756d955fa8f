package broker

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// Import paths, header and media type of the proto services' broker
// transports (NATS and AMQP): protobuf bodies, gRPC statuses.
const (
	pkgRPCStatus       = "google.golang.org/genproto/googleapis/rpc/status"
	pkgEmptyPB         = "google.golang.org/protobuf/types/known/emptypb"
	natsGRPCStatusHdr  = "Kitforge-Grpc-Status"
	natsProtoMediaType = "application/protobuf"
)

// protoReplyStatus is the statements that return the status error of an
// error reply whose body is body: its google.rpc.Status, or when that cannot
// be decoded a status of the code n that setN sets.
func protoReplyStatus(body jen.Code, setN ...jen.Code) jen.Code {
	return gokit.When(true, []jen.Code{
		jen.Id("st").Op(":=").New(jen.Qual(pkgRPCStatus, "Status")),
		jen.If(jen.Err().Op(":=").Qual(gokit.PkgProto, "Unmarshal").Call(body, jen.Id("st")), jen.Err().Op("!=").Nil()).Block(append(setN,
			jen.Return(jen.Qual(gokit.PkgGRPCStatus, "Errorf").Call(jen.Qual(gokit.PkgGRPCCodes, "Code").Call(jen.Id("n")), jen.Lit("undecodable error reply: %v"), jen.Err())),
		)...),
		jen.Return(jen.Qual(gokit.PkgGRPCStatus, "ErrorProto").Call(jen.Id("st"))),
	})
}

// protoErrorStatus is the statements that set st to the gRPC status of err
// (Unknown for errors that are not statuses, Canceled or DeadlineExceeded
// for context errors) and data to its google.rpc.Status in protobuf's binary
// encoding: the body of an error reply over NATS and AMQP.
func protoErrorStatus(data string) jen.Code {
	return gokit.When(true, []jen.Code{
		jen.List(jen.Id("st"), jen.Id("ok")).Op(":=").Qual(gokit.PkgGRPCStatus, "FromError").Call(jen.Err()),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Id("st").Op("=").Qual(gokit.PkgGRPCStatus, "FromContextError").Call(jen.Err())),
		jen.List(jen.Id(data), jen.Id("_")).Op(":=").Qual(gokit.PkgProto, "Marshal").Call(jen.Id("st").Dot("Proto").Call()),
	})
}

// genProtoDecoder emits a decoder of transport/<transport> named name, whose
// second parameter is param and whose message body is data: it runs pre,
// then unmarshals data into a new typ; an undecodable message is a status
// error of code.
func genProtoDecoder(f *jen.File, transport string, param, data *jen.Statement, name, doc string, typ model.Ident, pre []jen.Code, code, format string) {
	f.Comment(gokit.WrapComment(name+" is a transport/"+transport+"."+doc, 77))
	f.Func().Id(name).Params(jen.Id("_").Qual(gokit.PkgContext, "Context"), param).Params(jen.Any(), jen.Error()).Block(append(pre,
		jen.Id("v").Op(":=").New(jen.Qual(typ.ImportPath, typ.Name)),
		jen.If(jen.Err().Op(":=").Qual(gokit.PkgProto, "Unmarshal").Call(data, jen.Id("v")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgGRPCStatus, "Errorf").Call(jen.Qual(gokit.PkgGRPCCodes, code), jen.Lit(format), jen.Err())),
		),
		jen.Return(jen.Id("v"), jen.Nil()),
	)...)
}

// genStatusErrors emits the client endpoint middleware named name (doc, one
// line each) that turns errors which are not gRPC statuses into statuses:
// those for which unavailable holds (when not nil) into Unavailable, those
// for which deadline holds into DeadlineExceeded, context.Canceled into
// Canceled; any other error ends in last.
func genStatusErrors(f *jen.File, name string, doc []string, unavailable, deadline, last jen.Code) {
	for _, line := range doc {
		f.Comment(line)
	}
	var cases []jen.Code
	if unavailable != nil {
		cases = append(cases, jen.Case(unavailable).Block(
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgGRPCStatus, "Errorf").Call(jen.Qual(gokit.PkgGRPCCodes, "Unavailable"), jen.Lit("%v: is the service running?"), jen.Err())),
		))
	}
	cases = append(cases,
		jen.Case(deadline).Block(
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "DeadlineExceeded"), jen.Err().Dot("Error").Call())),
		),
		jen.Case(jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgContext, "Canceled"))).Block(
			jen.Return(jen.Nil(), jen.Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "Canceled"), jen.Err().Dot("Error").Call())),
		),
	)
	f.Func().Id(name).Params(jen.Id("next").Qual(gokit.KitEndpoint, "Endpoint")).Qual(gokit.KitEndpoint, "Endpoint").Block(
		jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(
			jen.List(jen.Id("resp"), jen.Err()).Op(":=").Id("next").Call(jen.Id("ctx"), jen.Id("request")),
			jen.If(jen.Err().Op("==").Nil()).Block(jen.Return(jen.Id("resp"), jen.Nil())),
			jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Qual(gokit.PkgGRPCStatus, "FromError").Call(jen.Err()), jen.Id("ok")).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Switch().Block(cases...),
			last,
		)),
	)
}
