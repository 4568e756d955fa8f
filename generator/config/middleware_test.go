package config

import (
	"errors"
	"slices"
	"testing"

	"github.com/kitforge/kitforge/generator/model"
)

func TestMiddlewareRoundTrip(t *testing.T) {
	in := "name: calc\nmiddleware: [ratelimit, jwt, tracing]\n"
	o, err := Parse([]byte(in), FileName)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ratelimit", "jwt", "tracing"}; !slices.Equal(o.Middleware, want) {
		t.Fatalf("Middleware = %q, want %q", o.Middleware, want)
	}
	if !o.HasMiddleware("jwt") || o.HasMiddleware("basicauth") {
		t.Errorf("HasMiddleware is wrong for %q", o.Middleware)
	}
	back, err := Parse(o.Marshal(), FileName)
	if err != nil {
		t.Fatalf("Marshal output does not parse: %v\n%s", err, o.Marshal())
	}
	if !slices.Equal(back.Middleware, o.Middleware) {
		t.Errorf("round trip: %q, want %q", back.Middleware, o.Middleware)
	}
	if none := (Options{Name: "calc"}).Marshal(); string(none) != string((Options{Name: "calc", Middleware: []string{}}).Marshal()) {
		t.Errorf("an empty middleware list must not be written")
	}
}

func TestMiddlewareErrors(t *testing.T) {
	for _, c := range []struct {
		in, msg string
		line    int
	}{
		{"middleware: ratelimit\n", "kitforge.yaml: middleware must be a list", 1},
		{"middleware:\n  - ratelimit\n  - retry\n", `kitforge.yaml: unknown middleware "retry"`, 3},
		{"middleware: [tracing, tracing]\n", `middleware "tracing" listed twice`, 1},
		{"middleware: [jwt, basicauth]\n", "middleware: jwt and basicauth both read the Authorization header, which carries one scheme", 1},
		{"transports: [http, nats]\nmiddleware: [basicauth]\n", "middleware: jwt and basicauth are not carried over NATS yet: every NATS call would be refused", 2},
		{"transports: [http, amqp]\nmiddleware: [jwt]\n", "middleware: jwt and basicauth are not carried over AMQP yet: every AMQP call would be refused", 2},
	} {
		_, err := Parse([]byte(c.in), FileName)
		var me *model.Error
		if !errors.As(err, &me) {
			t.Errorf("%q: error %v, want a positioned error", c.in, err)
			continue
		}
		if me.Msg != c.msg || me.Pos.Line != c.line {
			t.Errorf("%q: %d: %q, want %d: %q", c.in, me.Pos.Line, me.Msg, c.line, c.msg)
		}
	}
}
