package transcode

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// httpRoute is one google.api.http binding: an HTTP method (or "*" for
// any), a path template and the handler of its rpc.
type httpRoute struct {
	method   string
	template *pathTemplate
	handler  http.Handler
}

// Router matches requests against path templates segment by segment,
// which net/http.ServeMux patterns cannot express (multi-segment
// variables, custom verbs, nested field paths). When several templates
// match a path, the most specific one wins: a custom verb, then literals
// before "*" before "**", then the longer template; then the first added.
type Router struct {
	routes []*httpRoute
	// next serves the requests no route matches, when set (several
	// services sharing one server); otherwise they answer 404 or 405.
	next http.Handler
}

// NewRouter returns an empty router.
func NewRouter() *Router { return &Router{} }

// handle adds a route. It panics on a malformed template or on a route
// that matches exactly what an earlier one matches, as net/http.ServeMux
// does; kitforge checks both when it generates the routes.
func (rt *Router) Handle(method, template string, h http.Handler) {
	t, err := parsePathTemplate(template)
	if err != nil {
		panic(err)
	}
	for _, r := range rt.routes {
		if r.method == method && r.template.shape() == t.shape() {
			panic(fmt.Sprintf("route %s %s conflicts with %s %s", method, template, r.method, r.template.raw))
		}
	}
	rt.routes = append(rt.routes, &httpRoute{method: method, template: t, handler: h})
}

// WithNext returns a copy of h, when it is a router, that hands the
// requests none of its routes match to next; other handlers are returned
// as they are. A router that already hands them on (a service's streaming
// routes before its unary ones) hands them to next at the end of its chain.
func WithNext(h, next http.Handler) http.Handler {
	rt, ok := h.(*Router)
	if !ok {
		return h
	}
	c := *rt
	if rt.next != nil {
		c.next = WithNext(rt.next, next)
	} else {
		c.next = next
	}
	return &c
}

// allowKey is the context key of the methods that routers earlier in a
// chain (WithNext) allow for the request's path.
type allowKey struct{}

// pathVarsKey is the context key of the variables a matched path bound.
type pathVarsKey struct{}

// pathVarsFrom returns the path variables the router bound for the request
// whose context is ctx.
func pathVarsFrom(ctx context.Context) []pathVar {
	vars, _ := ctx.Value(pathVarsKey{}).([]pathVar)
	return vars
}

// ServeHTTP dispatches to the best matching route. A path that no template
// matches answers 404; a path that matches only for other methods answers
// 405 with an Allow header. Both carry the JSON error body.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	var parts []string
	if strings.HasPrefix(path, "/") {
		parts = strings.Split(path[1:], "/")
	}
	var best *httpRoute
	var bestVars []pathVar
	var allow []string
	for _, route := range rt.routes {
		if parts == nil {
			break
		}
		vars, ok := route.template.matchSegments(parts)
		if !ok {
			continue
		}
		if route.method != r.Method && route.method != "*" {
			if !slices.Contains(allow, route.method) {
				allow = append(allow, route.method)
			}
			continue
		}
		if best == nil || route.template.moreSpecificThan(best.template) {
			best, bestVars = route, vars
		}
	}
	if earlier, _ := r.Context().Value(allowKey{}).([]string); len(earlier) > 0 {
		allow = append(slices.Clone(earlier), allow...)
	}
	switch {
	case best != nil:
		ctx := context.WithValue(r.Context(), pathVarsKey{}, bestVars)
		best.handler.ServeHTTP(w, r.WithContext(ctx))
	case rt.next != nil:
		// The next router answers 405 for the methods this one allows.
		rt.next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), allowKey{}, allow)))
	case len(allow) > 0:
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeHTTPError(w, http.StatusMethodNotAllowed, "UNIMPLEMENTED",
			fmt.Sprintf("method %s is not allowed for %s", r.Method, r.URL.Path), nil)
	default:
		writeHTTPError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("no route for %s %s", r.Method, r.URL.Path), nil)
	}
}
