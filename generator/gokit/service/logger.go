package service

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
)

// genLogger emits NewLogger, the logger main.go passes to Run: the logfmt
// lines of go-kit's log.With(log.NewLogfmtLogger(w), "ts",
// log.DefaultTimestampUTC, ...), byte for byte, at about a third of its CPU
// and without its allocations (bench/runtime: the go-kit line was most of
// what the default middleware cost).
func genLogger(f *jen.File, n func(string) string) {
	newLogger, typ := n("NewLogger"), n("logfmtLogger")
	recv := func() *jen.Statement { return jen.Id("l").Op("*").Id(typ) }
	f.Comment(newLogger + " returns the logger main.go passes to Run. Each Log call writes one")
	f.Comment("logfmt line to w: ts (the time in UTC, RFC 3339 with nanoseconds), keyvals,")
	f.Comment("then the call's pairs; the same bytes as log.With(log.NewLogfmtLogger(w), \"ts\",")
	f.Comment("log.DefaultTimestampUTC, keyvals...) writes, at a fraction of its cost: the line is")
	f.Comment("built in a reused buffer, and strings, integers, booleans, durations and nil are")
	f.Comment("written directly (other values as go-kit's logfmt logger writes them). Writes are")
	f.Comment("serialized, so w needs no lock of its own.")
	f.Func().Id(newLogger).Params(jen.Id("w").Qual(gokit.PkgIO, "Writer"), jen.Id("keyvals").Op("...").Any()).Qual(gokit.KitLog, "Logger").Block(
		jen.Id("l").Op(":=").Op("&").Id(typ).Values(jen.Id("w").Op(":").Id("w")),
		jen.Id("l").Dot("lines").Dot("New").Op("=").Func().Params().Any().Block(jen.Return(jen.New(jen.Index().Byte()))),
		jen.List(jen.Id("l").Dot("prefix"), jen.Id("_")).Op("=").Id("l").Dot("appendPairs").Call(jen.Nil(), jen.Id("keyvals")),
		jen.Return(jen.Id("l")),
	)

	f.Comment(typ + " is the logger of " + newLogger + ".")
	f.Type().Id(typ).Struct(
		jen.Id("mu").Qual("sync", "Mutex").Comment("one Write per line, in order"),
		jen.Id("w").Qual(gokit.PkgIO, "Writer"),
		jen.Id("prefix").Index().Byte().Comment("the pairs of "+newLogger+"'s keyvals, encoded"),
		jen.Id("lines").Qual("sync", "Pool").Comment("of *[]byte: the buffers of the lines being written"),
	)

	f.Comment("Log writes one line, or nothing and the error when a pair cannot be written")
	f.Comment("(an empty or nil key), as go-kit's logfmt logger does.")
	f.Func().Params(recv()).Id("Log").Params(jen.Id("keyvals").Op("...").Any()).Error().Block(
		jen.Id("line").Op(":=").Id("l").Dot("lines").Dot("Get").Call().Assert(jen.Op("*").Index().Byte()),
		jen.Id("b").Op(":=").Append(jen.Parens(jen.Op("*").Id("line")).Index(jen.Empty(), jen.Lit(0)), jen.Lit("ts=").Op("...")),
		jen.Id("b").Op("=").Qual(gokit.PkgTime, "Now").Call().Dot("UTC").Call().Dot("AppendFormat").Call(jen.Id("b"), jen.Qual(gokit.PkgTime, "RFC3339Nano")),
		jen.Id("b").Op("=").Append(jen.Id("b"), jen.Id("l").Dot("prefix").Op("...")),
		jen.List(jen.Id("b"), jen.Err()).Op(":=").Id("l").Dot("appendPairs").Call(jen.Id("b"), jen.Id("keyvals")),
		jen.If(jen.Err().Op("==").Nil()).Block(
			jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune('\n')),
			jen.Id("l").Dot("mu").Dot("Lock").Call(),
			jen.List(jen.Id("_"), jen.Err()).Op("=").Id("l").Dot("w").Dot("Write").Call(jen.Id("b")),
			jen.Id("l").Dot("mu").Dot("Unlock").Call(),
		),
		jen.Op("*").Id("line").Op("=").Id("b"),
		jen.Id("l").Dot("lines").Dot("Put").Call(jen.Id("line")),
		jen.Return(jen.Err()),
	)

	f.Comment("appendPairs appends \" key=value\" for each pair of keyvals to b.")
	f.Func().Params(recv()).Id("appendPairs").Params(jen.Id("b").Index().Byte(), jen.Id("keyvals").Index().Any()).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Len(jen.Id("keyvals")), jen.Id("i").Op("+=").Lit(2)).Block(
			jen.Var().Id("v").Any().Op("=").Qual(gokit.KitLog, "ErrMissingValue"),
			jen.If(jen.Id("i").Op("+").Lit(1).Op("<").Len(jen.Id("keyvals"))).Block(
				jen.Id("v").Op("=").Id("keyvals").Index(jen.Id("i").Op("+").Lit(1)),
			),
			jen.Var().Err().Error(),
			jen.If(jen.List(jen.Id("b"), jen.Err()).Op("=").Id("l").Dot("appendPair").Call(jen.Id("b"), jen.Id("keyvals").Index(jen.Id("i")), jen.Id("v")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Id("b"), jen.Err()),
			),
		),
		jen.Return(jen.Id("b"), jen.Nil()),
	)

	f.Comment("appendPair appends \" key=value\" to b: directly for a plain key and a value of a")
	f.Comment("common type, else as go-kit's logfmt logger writes the pair.")
	f.Func().Params(recv()).Id("appendPair").Params(jen.Id("b").Index().Byte(), jen.List(jen.Id("k"), jen.Id("v")).Any()).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.List(jen.Id("key"), jen.Id("ok")).Op(":=").Id("k").Assert(jen.String()),
		jen.If(jen.Op("!").Id("ok").Op("||").Id("key").Op("==").Lit("").Op("||").Op("!").Id("l").Dot("plain").Call(jen.Id("key"))).Block(
			jen.Return(jen.Id("l").Dot("appendGoKit").Call(jen.Id("b"), jen.Id("k"), jen.Id("v"))),
		),
		jen.Id("start").Op(":=").Len(jen.Id("b")),
		jen.Id("b").Op("=").Append(jen.Append(jen.Append(jen.Id("b"), jen.LitRune(' ')), jen.Id("key").Op("...")), jen.LitRune('=')),
		jen.Switch(jen.Id("v").Op(":=").Id("v").Assert(jen.Type())).Block(
			jen.Case(jen.Nil()).Block(jen.Return(jen.Append(jen.Id("b"), jen.Lit("null").Op("...")), jen.Nil())),
			jen.Case(jen.String()).Block(
				jen.If(jen.Id("v").Op("!=").Lit("null").Op("&&").Id("l").Dot("plain").Call(jen.Id("v"))).Block(
					jen.Return(jen.Append(jen.Id("b"), jen.Id("v").Op("...")), jen.Nil()),
				),
			),
			jen.Case(jen.Int()).Block(jen.Return(jen.Qual(gokit.PkgStrconv, "AppendInt").Call(jen.Id("b"), jen.Int64().Call(jen.Id("v")), jen.Lit(10)), jen.Nil())),
			jen.Case(jen.Int64()).Block(jen.Return(jen.Qual(gokit.PkgStrconv, "AppendInt").Call(jen.Id("b"), jen.Id("v"), jen.Lit(10)), jen.Nil())),
			jen.Case(jen.Bool()).Block(jen.Return(jen.Qual(gokit.PkgStrconv, "AppendBool").Call(jen.Id("b"), jen.Id("v")), jen.Nil())),
			jen.Case(jen.Qual(gokit.PkgTime, "Duration")).Block(jen.Return(jen.Append(jen.Id("b"), jen.Id("v").Dot("String").Call().Op("...")), jen.Nil())),
		),
		jen.Return(jen.Id("l").Dot("appendGoKit").Call(jen.Id("b").Index(jen.Empty(), jen.Id("start")), jen.Id("k"), jen.Id("v"))),
	)

	f.Comment("plain reports whether logfmt writes s as it is: no space, control character,")
	f.Comment("'=', '\"' or invalid UTF-8.")
	f.Func().Params(recv()).Id("plain").Params(jen.Id("s").String()).Bool().Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("r")).Op(":=").Range().Id("s")).Block(
			jen.If(jen.Id("r").Op("<=").LitRune(' ').Op("||").Id("r").Op("==").LitRune('=').Op("||").Id("r").Op("==").LitRune('"').Op("||").Id("r").Op("==").Qual("unicode/utf8", "RuneError")).Block(
				jen.Return(jen.False()),
			),
		),
		jen.Return(jen.True()),
	)

	f.Comment("appendGoKit appends \" key=value\" as go-kit's logfmt logger writes the pair")
	f.Comment("(nothing for a pair it skips), or returns its error.")
	f.Func().Params(recv()).Id("appendGoKit").Params(jen.Id("b").Index().Byte(), jen.List(jen.Id("k"), jen.Id("v")).Any()).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Var().Id("buf").Qual("bytes", "Buffer"),
		jen.If(jen.Err().Op(":=").Qual(gokit.KitLog, "NewLogfmtLogger").Call(jen.Op("&").Id("buf")).Dot("Log").Call(jen.Id("k"), jen.Id("v")), jen.Err().Op("!=").Nil().Op("||").Id("buf").Dot("Len").Call().Op("<=").Lit(1)).Block(
			jen.Return(jen.Id("b"), jen.Err()),
		),
		jen.Return(jen.Append(jen.Append(jen.Id("b"), jen.LitRune(' ')), jen.Qual("bytes", "TrimSuffix").Call(jen.Id("buf").Dot("Bytes").Call(), jen.Index().Byte().Call(jen.Lit("\n"))).Op("...")), jen.Nil()),
	)
}
