package generator

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/kitforge/kitforge/generator/gokit/transport"
	"github.com/kitforge/kitforge/generator/model"
)

// reservedPaths are served by the generated server itself, in front of the
// service's handler, so a method's route there would never be reached.
var reservedPaths = []string{"/healthz", "/readyz", "/metrics", "/openapi.json"}

// checkRoutes refuses routes that the generated ServeMux would reject at
// start-up (duplicates, ambiguous overlaps) or that shadow the server's own
// endpoints, so such a mistake fails generation instead of the service.
func checkRoutes(svc *model.Service) (err error) {
	mux := http.NewServeMux()
	owner := map[string]*model.Method{}
	noop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for _, m := range svc.Methods {
		if m.IsStreaming() {
			continue
		}
		for _, b := range m.HTTP {
			pattern := transport.HTTPPattern(b)
			for _, r := range reservedPaths {
				if b.Path == r {
					return model.Errorf(b.Pos, "choose another path", "method %s: route %s is reserved for the server's own %s endpoint", m.Name, pattern, strings.TrimPrefix(r, "/"))
				}
			}
			if other, ok := owner[pattern]; ok {
				return model.Errorf(b.Pos, "give each method its own route", "method %s: route %s is already used by method %s", m.Name, pattern, other.Name)
			}
			if err := register(mux, pattern, noop); err != nil {
				return model.Errorf(b.Pos, "make the routes distinct (net/http.ServeMux rules)", "method %s: route %s: %v", m.Name, pattern, err)
			}
			owner[pattern] = m
		}
	}
	return nil
}

// register adds a pattern to mux, turning ServeMux's panic on conflicting
// patterns into an error.
func register(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	mux.Handle(pattern, h)
	return nil
}
