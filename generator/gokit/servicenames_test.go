package gokit

import (
	"slices"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/model"
)

// TestResolveServiceNames checks how kitforge's names yield to the user's:
// a Middleware of the right shape is used, others are renamed to the first
// free candidate, and New's shape decides what main.go calls.
func TestResolveServiceNames(t *testing.T) {
	declared := func(shapes map[string]model.Shape) *model.Service {
		svc := &model.Service{PackageName: "calc", Interface: model.Ident{Name: "Service"}, Declared: map[string]model.Declared{}}
		for name, shape := range shapes {
			svc.Declared[name] = model.Declared{Pos: model.Pos{File: "calc.go", Line: 1, Col: 1}, Shape: shape}
		}
		return svc
	}
	for _, tc := range []struct {
		name   string
		user   map[string]model.Shape
		want   map[string]string // kitforge's name → the one used
		userMW bool
		ctor   string
		notes  int
	}{
		{name: "nothing declared", want: map[string]string{"New": "New", "Middleware": "Middleware"}, ctor: "New"},
		{name: "addsvc", user: map[string]model.Shape{
			"Middleware": model.MiddlewareShape, "New": model.OtherShape, "NewBasicService": model.OtherShape,
			ImplType: model.OtherShape, "LoggingMiddleware": model.OtherShape, "loggingMiddleware": model.OtherShape,
		}, want: map[string]string{
			"Middleware": "Middleware", ImplType: "kitforgeBasicService", "New": "NewKitforgeBasicService",
			"LoggingMiddleware": "KitforgeLoggingMiddleware", "loggingMiddleware": "kitforgeLoggingMiddleware",
		}, userMW: true, ctor: "NewKitforgeBasicService", notes: 3},
		{name: "constructor that fits", user: map[string]model.Shape{"New": model.ConstructorShape},
			want: map[string]string{"New": "NewBasicService"}, ctor: "New", notes: 1},
		{name: "every candidate taken", user: map[string]model.Shape{
			"Middleware": model.OtherShape, "KitforgeMiddleware": model.OtherShape, "KitforgeMiddleware2": model.OtherShape,
		}, want: map[string]string{"Middleware": "KitforgeMiddleware3"}, ctor: "New", notes: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := ResolveServiceNames(declared(tc.user))
			for from, to := range tc.want {
				if got := n.Name(from); got != to {
					t.Errorf("Name(%s) = %s, want %s", from, got, to)
				}
			}
			if n.UserMiddleware != tc.userMW || n.Constructor != tc.ctor || len(n.Notes) != tc.notes {
				t.Errorf("UserMiddleware %v, Constructor %s, notes %q; want %v, %s, %d notes", n.UserMiddleware, n.Constructor, n.Notes, tc.userMW, tc.ctor, tc.notes)
			}
			used := map[string]bool{}
			for _, d := range ServiceDecls {
				got := n.Name(d)
				if _, clash := tc.user[got]; clash && !(d == "Middleware" && tc.userMW) {
					t.Errorf("%s is named %s, which the user declares", d, got)
				}
				if used[got] {
					t.Errorf("two declarations are named %s", got)
				}
				used[got] = true
			}
			if slices.ContainsFunc(n.Notes, func(s string) bool { return !strings.HasPrefix(s, "calc declares ") }) {
				t.Errorf("notes %q", n.Notes)
			}
		})
	}
}
