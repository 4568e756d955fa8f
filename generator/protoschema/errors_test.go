package protoschema

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/pbgo"
)

func TestUnmappableTypes(t *testing.T) {
	const file = "bad/service.go"
	point := named("example.com/bad", "Point", structType(sf("X", "x", basic("int"))))
	deep := named("example.com/bad", "Deep", structType(sf("Grid", "grid", slice(slice(basic("int"))))))
	for _, tc := range []struct {
		name string
		typ  *model.Type
		msg  string // part of the message
		hint string // part of the hint, besides the HTTP advice
	}{
		{"any", &model.Type{Kind: model.Any}, "type any cannot cross gRPC", ""},
		{"error", &model.Type{Kind: model.ErrorValue}, "type error", "last result"},
		{"complex", basic("complex128"), "type complex128", ""},
		{"uintptr", basic("uintptr"), "type uintptr", ""},
		{"nested slice", slice(slice(basic("int"))), "type [][]int", "wrap the inner slice in a struct"},
		{"slice of maps", slice(mapOf(basic("string"), basic("int"))), "type []map[string]int", "wrap the map"},
		{"slice of pointers", slice(ptr(basic("int"))), "type []*int", "slice of values"},
		{"struct key", mapOf(point, basic("int")), "map keys must be strings, integers or bools", ""},
		{"float key", mapOf(basic("float64"), basic("int")), "map keys", ""},
		{"duration key", mapOf(goDuration, basic("int")), "map keys", ""},
		{"slice value", mapOf(basic("string"), slice(basic("int"))), "map values cannot be lists", "wrap the value"},
		{"pointer value", mapOf(basic("string"), ptr(basic("int"))), "map values cannot be nil scalars", ""},
		{"pointer to pointer", ptr(ptr(basic("int"))), "type **int", "single pointer"},
		{"unnamed struct", structType(sf("A", "a", basic("int"))), "type struct{...}", "give the struct type a name"},
		{"inside a struct", deep, "parameter arg: field Deep.Grid: type [][]int", "wrap the inner slice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pos := model.Pos{File: file, Line: 7, Col: 2}
			svc := service("bad", &model.Method{
				Name: "Do", Pos: pos,
				Params: []*model.Field{param("arg", tc.typ, file, 7)},
			})
			_, err := Schema(svc, Options{})
			var me *model.Error
			if !errors.As(err, &me) {
				t.Fatalf("Schema error = %v, want a *model.Error", err)
			}
			if me.Pos != pos {
				t.Errorf("position = %v, want %v", me.Pos, pos)
			}
			if !strings.Contains(me.Msg, "method Do: parameter arg") || !strings.Contains(me.Msg, tc.msg) {
				t.Errorf("message = %q, want it to name the method, the parameter and %q", me.Msg, tc.msg)
			}
			if !strings.Contains(me.Hint, tc.hint) || !strings.Contains(me.Hint, "use HTTP only for this service (transports: [http]) or change the type") {
				t.Errorf("hint = %q, want %q and the HTTP advice", me.Hint, tc.hint)
			}
		})
	}
}

func TestStreamingAndPackage(t *testing.T) {
	svc := calcService()
	svc.Methods[0].Kind = model.ServerStream
	if _, err := Schema(svc, Options{}); err == nil || !strings.Contains(err.Error(), "streaming") {
		t.Errorf("streaming method: err = %v", err)
	}
	if _, err := Schema(calcService(), Options{Package: "my-calc"}); err == nil || !strings.Contains(err.Error(), "proto package") {
		t.Errorf("bad package: err = %v", err)
	}
	if _, err := Schema(calcService(), Options{Previous: []byte("message {"), PreviousFile: "calcpb/calc.proto"}); err == nil ||
		!strings.Contains(err.Error(), "calcpb/calc.proto") {
		t.Errorf("broken previous schema: err = %v", err)
	}
}

// TestNames covers name clashes: a Go type named like a request message or
// like the service's gRPC glue, and fields whose names collide.
func TestNames(t *testing.T) {
	const file = "calcservice/service.go"
	clash := named("example.com/calc/pkg/calcservice", "SumRequest", structType(
		sf("UserID", "userID", basic("string")),
		sf("UserId", "user_id", basic("string")),
		sf("UserID2", "userId2", basic("string")),
		sf("Weird", "@type", basic("string")),
		sf("Digit", "2fa", basic("bool")),
	))
	server := named("example.com/calc/pkg/calcservice", "CalcServer", structType())
	svc := service("calc", &model.Method{
		Name: "Sum", Pos: model.Pos{File: file, Line: 3, Col: 2},
		Params: []*model.Field{param("in", clash, file, 3), param("srv", server, file, 3)},
	})
	src := mustSchema(t, svc, Options{GoPackage: "example.com/calc/pkg/calcpb"})
	if _, _, err := pbgo.Compile(context.Background(), pbgo.Options{Sources: []pbgo.Source{{Path: "calcpb/calc.proto", Content: src}}}); err != nil {
		t.Errorf("pbgo.Compile: %v\n%s", err, src)
	}
	got := string(src)
	for _, want := range []string{
		"message CalcserviceSumRequest {",
		"message CalcserviceCalcServer {}",
		"  string user_id = 1;\n  string user_id_2 = 2;\n  string user_id2_2 = 3;\n  string f_type = 4;\n  bool f_2fa = 5;\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("schema lacks %q:\n%s", want, got)
		}
	}
}
