package transport

import (
	"path"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// pbScalars maps Go's predeclared types to the Go types protoc-gen-go uses
// for the proto scalars they map to (see protoschema's type mapping).
var pbScalars = map[string]string{
	"bool": "bool", "string": "string",
	"int": "int64", "int64": "int64",
	"int32": "int32", "int16": "int32", "int8": "int32", "rune": "int32",
	"uint": "uint64", "uint64": "uint64",
	"uint32": "uint32", "uint16": "uint32", "uint8": "uint32", "byte": "uint32",
	"float32": "float32", "float64": "float64",
}

// shape is how a Go type is carried in a message.
type shape int

const (
	scalarShape   shape = iota // a proto scalar
	messageShape               // a message: a struct, time.Time or time.Duration
	bytesShape                 // bytes: []byte, [N]byte
	repeatedShape              // a repeated field
	mapShape                   // a map field
)

// shapeOf says how t is carried; pointers are carried as what they point to.
func shapeOf(t *model.Type) shape {
	if isTime(t) || isDuration(t) {
		return messageShape
	}
	switch t.Kind {
	case model.Named:
		if t.Underlying.Kind == model.Struct {
			return messageShape
		}
		return shapeOf(t.Underlying)
	case model.Pointer:
		return shapeOf(t.Elem)
	case model.Slice, model.Array:
		if isByteType(t.Elem) {
			return bytesShape
		}
		return repeatedShape
	case model.Map:
		return mapShape
	}
	return scalarShape
}

func isTime(t *model.Type) bool     { return t.IsNamed("time", "Time") }
func isDuration(t *model.Type) bool { return t.IsNamed("time", "Duration") }

// isByteType reports whether t is byte or uint8, possibly named.
func isByteType(t *model.Type) bool {
	r := t.Resolved()
	return r != nil && r.Kind == model.Basic && (r.BasicName == "byte" || r.BasicName == "uint8")
}

// isPlainByte reports whether t is the predeclared byte or uint8.
func isPlainByte(t *model.Type) bool {
	return t.Kind == model.Basic && (t.BasicName == "byte" || t.BasicName == "uint8")
}

// converter writes the conversions between the Go types of a service and
// the Go types of its generated messages: expressions for fields, and the
// functions and generic helpers those expressions call.
type converter struct {
	pb     *PB
	pbPath string
	// used records the helpers the conversions call, so that only those
	// are emitted.
	used map[string]bool
}

// pbType spells the Go type the generated code uses for a field of Go type t.
func (c *converter) pbType(t *model.Type) jen.Code {
	switch {
	case isTime(t):
		return jen.Op("*").Qual(gokit.PkgTimestamppb, "Timestamp")
	case isDuration(t):
		return jen.Op("*").Qual(gokit.PkgDurationpb, "Duration")
	}
	switch t.Kind {
	case model.Basic:
		return jen.Id(pbScalars[t.BasicName])
	case model.Named:
		if t.Underlying.Kind == model.Struct {
			return jen.Op("*").Qual(c.pbPath, c.pb.structMessage(t).GoName)
		}
		return c.pbType(t.Underlying)
	case model.Pointer:
		if shapeOf(t.Elem) == scalarShape {
			return jen.Op("*").Add(c.pbType(t.Elem))
		}
		return c.pbType(t.Elem)
	case model.Slice, model.Array:
		if isByteType(t.Elem) {
			return jen.Index().Byte()
		}
		return jen.Index().Add(c.pbType(t.Elem))
	case model.Map:
		return jen.Map(c.pbType(t.Key)).Add(c.pbType(t.Elem))
	}
	panic("gokit: no pb type for " + t.String())
}

// identical reports whether t is spelled exactly like its pb type, so a
// value needs no conversion at all.
func identical(t *model.Type) bool {
	switch t.Kind {
	case model.Basic:
		return pbScalars[t.BasicName] == t.BasicName
	case model.Slice:
		if isByteType(t.Elem) {
			return isPlainByte(t.Elem)
		}
		return identical(t.Elem)
	case model.Map:
		return identical(t.Key) && identical(t.Elem)
	case model.Pointer:
		return shapeOf(t.Elem) == scalarShape && identical(t.Elem)
	}
	return false
}

// convertible reports whether a Go conversion turns t into its pb type and
// back: scalars, and named slices and maps over identical types.
func convertible(t *model.Type) bool {
	r := t.Resolved()
	return r.Kind == model.Basic || t.Kind == model.Named && (r.Kind == model.Slice || r.Kind == model.Map) && identical(r)
}

// use records that a helper is called and returns its name.
func (c *converter) use(helper string) *jen.Statement {
	c.used[helper] = true
	return jen.Id(helper)
}

// toPB is an expression converting x, of Go type t, to its pb type. x must
// be addressable when t is an array (a variable or a field of one).
func (c *converter) toPB(t *model.Type, x *jen.Statement) jen.Code {
	switch {
	case identical(t):
		return x
	case isTime(t):
		return jen.Qual(gokit.PkgTimestamppb, "New").Call(x)
	case isDuration(t):
		return jen.Qual(gokit.PkgDurationpb, "New").Call(x)
	case convertible(t):
		return jen.Add(c.pbType(t)).Call(x)
	}
	switch t.Kind {
	case model.Named:
		if t.Underlying.Kind == model.Struct {
			return jen.Id("toPB" + c.pb.structMessage(t).GoName).Call(x)
		}
		return c.toPB(t.Underlying, x)
	case model.Slice:
		return c.use("convSlice").Call(x, c.toPBFunc(t.Elem))
	case model.Array:
		if identical(t.Elem) || isPlainByte(t.Elem) {
			return x.Clone().Index(jen.Empty(), jen.Empty())
		}
		return c.use("convSlice").Call(x.Clone().Index(jen.Empty(), jen.Empty()), c.toPBFunc(t.Elem))
	case model.Map:
		return c.use("convMap").Call(x, c.toPBFunc(t.Key), c.toPBFunc(t.Elem))
	case model.Pointer:
		switch shapeOf(t.Elem) {
		case messageShape:
			return c.use("convToMessage").Call(x, c.toPBFunc(t.Elem))
		case scalarShape:
			return c.use("convPtr").Call(x, c.toPBFunc(t.Elem))
		default:
			return c.use("convDeref").Call(x, c.toPBFunc(t.Elem))
		}
	}
	panic("gokit: no pb conversion for " + t.String())
}

// toPBFunc is a function value converting a Go value of type t to its pb
// type.
func (c *converter) toPBFunc(t *model.Type) jen.Code {
	switch {
	case identical(t):
		return c.use("convSame").Types(gokit.TypeCode(t))
	case isTime(t):
		return jen.Qual(gokit.PkgTimestamppb, "New")
	case isDuration(t):
		return jen.Qual(gokit.PkgDurationpb, "New")
	case t.Kind == model.Named && t.Underlying.Kind == model.Struct:
		return jen.Id("toPB" + c.pb.structMessage(t).GoName)
	}
	return jen.Func().Params(jen.Id("x").Add(gokit.TypeCode(t))).Add(c.pbType(t)).Block(jen.Return(c.toPB(t, jen.Id("x"))))
}

// fromPB is an expression converting x, of t's pb type, to t.
func (c *converter) fromPB(t *model.Type, x *jen.Statement) jen.Code {
	switch {
	case identical(t):
		return x
	case isTime(t):
		return c.use("timeFromPB").Call(x)
	case isDuration(t):
		return x.Clone().Dot("AsDuration").Call()
	case convertible(t):
		return jen.Add(gokit.TypeCode(t)).Call(x)
	}
	switch t.Kind {
	case model.Named:
		if t.Underlying.Kind == model.Struct {
			return jen.Id("fromPB" + c.pb.structMessage(t).GoName).Call(x)
		}
		return c.fromPB(t.Underlying, x)
	case model.Slice:
		return c.use("convSlice").Call(x, c.fromPBFunc(t.Elem))
	case model.Array:
		// func() (a [N]T) { for i, e := range x { ... } return }()
		var fill jen.Code
		if isPlainByte(t.Elem) {
			fill = jen.Copy(jen.Id("a").Index(jen.Empty(), jen.Empty()), x)
		} else {
			fill = jen.For(jen.List(jen.Id("i"), jen.Id("e")).Op(":=").Range().Add(x)).Block(
				jen.If(jen.Id("i").Op("==").Len(jen.Id("a"))).Block(jen.Break()),
				jen.Id("a").Index(jen.Id("i")).Op("=").Add(c.fromPB(t.Elem, jen.Id("e"))),
			)
		}
		return jen.Func().Params().Params(jen.Id("a").Add(gokit.TypeCode(t))).Block(fill, jen.Return()).Call()
	case model.Map:
		return c.use("convMap").Call(x, c.fromPBFunc(t.Key), c.fromPBFunc(t.Elem))
	case model.Pointer:
		switch shapeOf(t.Elem) {
		case messageShape:
			return c.use("convFromMessage").Call(x, c.fromPBFunc(t.Elem))
		case scalarShape:
			return c.use("convPtr").Call(x, c.fromPBFunc(t.Elem))
		default:
			// A pointer to a list, a map or bytes: nil when there is none.
			return jen.Func().Params().Add(gokit.TypeCode(t)).Block(
				jen.If(jen.Len(x).Op("==").Lit(0)).Block(jen.Return(jen.Nil())),
				jen.Var().Id("v").Add(gokit.TypeCode(t.Elem)).Op("=").Add(c.fromPB(t.Elem, x)),
				jen.Return(jen.Op("&").Id("v")),
			).Call()
		}
	}
	panic("gokit: no pb conversion for " + t.String())
}

// fromPBFunc is a function value converting a value of t's pb type to t.
func (c *converter) fromPBFunc(t *model.Type) jen.Code {
	switch {
	case identical(t):
		return c.use("convSame").Types(gokit.TypeCode(t))
	case isTime(t):
		return c.use("timeFromPB")
	case isDuration(t):
		return jen.Parens(jen.Op("*").Qual(gokit.PkgDurationpb, "Duration")).Dot("AsDuration")
	case t.Kind == model.Named && t.Underlying.Kind == model.Struct:
		return jen.Id("fromPB" + c.pb.structMessage(t).GoName)
	}
	return jen.Func().Params(jen.Id("x").Add(c.pbType(t))).Add(gokit.TypeCode(t)).Block(jen.Return(c.fromPB(t, jen.Id("x"))))
}

// genStructConverters emits toPBX and fromPBX for every struct message.
func (c *converter) genStructConverters(f *jen.File) {
	for _, msg := range c.pb.Messages {
		if msg.Type == nil {
			continue
		}
		goType := gokit.TypeCode(msg.Type)
		pbType := jen.Qual(c.pbPath, msg.GoName)
		to := make([]jen.Code, 0, len(msg.Fields))
		from := make([]jen.Code, 0, len(msg.Fields))
		for _, fl := range msg.Fields {
			to = append(to, jen.Id(fl.PBGoName).Op(":").Add(c.toPB(fl.Type, jen.Id("v").Dot(fl.GoName))))
			from = append(from, jen.Id(fl.GoName).Op(":").Add(c.fromPB(fl.Type, jen.Id("m").Dot(fl.PBGoName))))
		}
		name := msg.Type.Ident.Name
		if msg.Type.Ident.ImportPath != "" {
			name = path.Base(msg.Type.Ident.ImportPath) + "." + name
		}
		f.Comment("toPB" + msg.GoName + " converts a " + name + " to its pb message.")
		f.Func().Id("toPB" + msg.GoName).Params(jen.Id("v").Add(goType)).Op("*").Add(pbType).Block(
			jen.Return(jen.Op("&").Add(pbType.Clone()).Values(gokit.Multiline(to)...)),
		)
		f.Comment("fromPB" + msg.GoName + " converts a pb " + msg.GoName + " to a " + name + "; nil gives the zero value.")
		f.Func().Id("fromPB"+msg.GoName).Params(jen.Id("m").Op("*").Add(pbType.Clone())).Add(goType).Block(
			jen.If(jen.Id("m").Op("==").Nil()).Block(jen.Return(jen.Add(goType).Values())),
			jen.Return(jen.Add(goType).Values(gokit.Multiline(from)...)),
		)
	}
}

// genConvHelpers emits the helpers the conversions used, in a fixed order.
func (c *converter) genConvHelpers(f *jen.File) {
	if c.used["timeFromPB"] {
		f.Comment("timeFromPB converts a Timestamp to a time.Time in UTC; nil gives the zero time.")
		f.Func().Id("timeFromPB").Params(jen.Id("ts").Op("*").Qual(gokit.PkgTimestamppb, "Timestamp")).Qual(gokit.PkgTime, "Time").Block(
			jen.If(jen.Id("ts").Op("==").Nil()).Block(jen.Return(jen.Qual(gokit.PkgTime, "Time").Values())),
			jen.Return(jen.Id("ts").Dot("AsTime").Call()),
		)
	}
	if c.used["convSame"] {
		f.Comment("convSame returns x: the conversion of a value whose Go and pb types agree.")
		f.Func().Id("convSame").Types(jen.Id("T").Any()).Params(jen.Id("x").Id("T")).Id("T").Block(jen.Return(jen.Id("x")))
	}
	if c.used["convSlice"] {
		f.Comment("convSlice converts every element of s with f; an empty slice gives nil.")
		f.Func().Id("convSlice").Types(jen.Id("S").Op("~").Index().Id("E"), jen.List(jen.Id("E"), jen.Id("T")).Any()).Params(
			jen.Id("s").Id("S"), jen.Id("f").Func().Params(jen.Id("E")).Id("T"),
		).Index().Id("T").Block(
			jen.If(jen.Len(jen.Id("s")).Op("==").Lit(0)).Block(jen.Return(jen.Nil())),
			jen.Id("out").Op(":=").Make(jen.Index().Id("T"), jen.Len(jen.Id("s"))),
			jen.For(jen.List(jen.Id("i"), jen.Id("x")).Op(":=").Range().Id("s")).Block(
				jen.Id("out").Index(jen.Id("i")).Op("=").Id("f").Call(jen.Id("x")),
			),
			jen.Return(jen.Id("out")),
		)
	}
	if c.used["convMap"] {
		f.Comment("convMap converts every key of m with fk and every value with fv; an empty map")
		f.Comment("gives nil.")
		f.Func().Id("convMap").Types(
			jen.Id("M").Op("~").Map(jen.Id("K")).Id("V"), jen.Id("K").Comparable(), jen.Id("V").Any(), jen.Id("K2").Comparable(), jen.Id("V2").Any(),
		).Params(
			jen.Id("m").Id("M"), jen.Id("fk").Func().Params(jen.Id("K")).Id("K2"), jen.Id("fv").Func().Params(jen.Id("V")).Id("V2"),
		).Map(jen.Id("K2")).Id("V2").Block(
			jen.If(jen.Len(jen.Id("m")).Op("==").Lit(0)).Block(jen.Return(jen.Nil())),
			jen.Id("out").Op(":=").Make(jen.Map(jen.Id("K2")).Id("V2"), jen.Len(jen.Id("m"))),
			jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("m")).Block(
				jen.Id("out").Index(jen.Id("fk").Call(jen.Id("k"))).Op("=").Id("fv").Call(jen.Id("v")),
			),
			jen.Return(jen.Id("out")),
		)
	}
	if c.used["convPtr"] {
		f.Comment("convPtr converts the value p points to with f; nil gives nil.")
		f.Func().Id("convPtr").Types(jen.List(jen.Id("T"), jen.Id("U")).Any()).Params(
			jen.Id("p").Op("*").Id("T"), jen.Id("f").Func().Params(jen.Id("T")).Id("U"),
		).Op("*").Id("U").Block(
			jen.If(jen.Id("p").Op("==").Nil()).Block(jen.Return(jen.Nil())),
			jen.Id("u").Op(":=").Id("f").Call(jen.Op("*").Id("p")),
			jen.Return(jen.Op("&").Id("u")),
		)
	}
	if c.used["convToMessage"] {
		f.Comment("convToMessage converts the value p points to with f, which makes a message;")
		f.Comment("nil gives nil.")
		f.Func().Id("convToMessage").Types(jen.List(jen.Id("T"), jen.Id("M")).Any()).Params(
			jen.Id("p").Op("*").Id("T"), jen.Id("f").Func().Params(jen.Id("T")).Op("*").Id("M"),
		).Op("*").Id("M").Block(
			jen.If(jen.Id("p").Op("==").Nil()).Block(jen.Return(jen.Nil())),
			jen.Return(jen.Id("f").Call(jen.Op("*").Id("p"))),
		)
	}
	if c.used["convFromMessage"] {
		f.Comment("convFromMessage converts the message m with f and points to the result; nil")
		f.Comment("gives nil.")
		f.Func().Id("convFromMessage").Types(jen.List(jen.Id("M"), jen.Id("T")).Any()).Params(
			jen.Id("m").Op("*").Id("M"), jen.Id("f").Func().Params(jen.Op("*").Id("M")).Id("T"),
		).Op("*").Id("T").Block(
			jen.If(jen.Id("m").Op("==").Nil()).Block(jen.Return(jen.Nil())),
			jen.Id("v").Op(":=").Id("f").Call(jen.Id("m")),
			jen.Return(jen.Op("&").Id("v")),
		)
	}
	if c.used["convDeref"] {
		f.Comment("convDeref converts the value p points to with f; nil gives the zero value.")
		f.Func().Id("convDeref").Types(jen.List(jen.Id("T"), jen.Id("U")).Any()).Params(
			jen.Id("p").Op("*").Id("T"), jen.Id("f").Func().Params(jen.Id("T")).Id("U"),
		).Id("U").Block(
			jen.If(jen.Id("p").Op("==").Nil()).Block(
				jen.Var().Id("zero").Id("U"),
				jen.Return(jen.Id("zero")),
			),
			jen.Return(jen.Id("f").Call(jen.Op("*").Id("p"))),
		)
	}
}
