package gokit

import (
	"fmt"
	"go/token"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/model"
)

// ImplType is the receiver type of the scaffolded implementation.
const ImplType = "basicService"

// ServiceDecls are the package-level names kitforge declares in the
// service's own package, in the order a rename is decided: errors_gen.go,
// middleware_gen.go, then the scaffolded service_impl.go (its type before
// its constructor, whose new name follows the type's).
var ServiceDecls = []string{
	"ErrNotImplemented", "StatusError", "Errorf",
	"Middleware", "LoggingMiddleware", "InstrumentingMiddleware",
	"loggingMiddleware", "instrumentingMiddleware", "methodMetrics", "newMethodMetrics", "jsonLogValue",
	"NewLogger", "logfmtLogger",
	ImplType, "New",
}

// ServiceHelperDecls are further package-level names middleware_gen.go
// declares in the service's package (value capping and request ids). They
// are not renamed: a user declaration of one is refused, with both
// positions, by the build gate.
var ServiceHelperDecls = []string{
	"stringLogValue", "logValueLimit", "capLog", "capLogBytes", "requestIDKey", "ContextWithRequestID",
	"RequestIDFromContext", "requestIDPrefix", "requestIDCount", "newRequestIDPrefix", "RequestIDOrNew",
}

// ServiceNames are the names generated code gives its declarations in the
// service's package, where they yield to the user's own: a name the user
// declares is renamed, deterministically, unless the user's declaration
// can stand in for kitforge's (a Middleware of type func(I) I).
type ServiceNames struct {
	// renamed maps a name of ServiceDecls to the one used instead.
	renamed map[string]string
	// UserMiddleware reports that the user's Middleware type is used and
	// middleware_gen.go declares none.
	UserMiddleware bool
	// Constructor is the function that main.go and the generated tests call
	// for a service: the user's New when it is a func() I, else the
	// scaffold's constructor.
	Constructor string
	// Notes say what yielded to the user's declarations, for the user.
	Notes []string
}

// Name returns the name generated code uses for its declaration name (one
// of ServiceDecls).
func (n ServiceNames) Name(name string) string {
	if r, ok := n.renamed[name]; ok {
		return r
	}
	return name
}

// ResolveServiceNames decides ServiceNames for svc, given the names its
// package declares in the user's own files (svc.Declared).
func ResolveServiceNames(svc *model.Service) ServiceNames {
	n := ServiceNames{renamed: map[string]string{}, Constructor: "New"}
	taken := func(name string) bool {
		if _, ok := svc.Declared[name]; ok {
			return true
		}
		for _, r := range n.renamed {
			if r == name {
				return true
			}
		}
		return false
	}
	pkg := svc.PackageName
	for _, name := range ServiceDecls {
		d, clash := svc.Declared[name]
		if !clash {
			continue
		}
		if name == "Middleware" && d.Shape == model.MiddlewareShape {
			n.UserMiddleware = true
			n.Notes = append(n.Notes, fmt.Sprintf("%s declares Middleware (%s): the generated middlewares return it", pkg, d.Pos))
			continue
		}
		alt := freeName(renameCandidates(name, n.Name(ImplType)), taken)
		n.renamed[name] = alt
		switch {
		case name == "New" && d.Shape == model.ConstructorShape:
			n.Notes = append(n.Notes, fmt.Sprintf("%s declares New (%s): the scaffolded constructor is named %s; main.go and the generated tests call your New", pkg, d.Pos, alt))
		case name == "New":
			n.Notes = append(n.Notes, fmt.Sprintf("%s declares New (%s), not a func() %s: the scaffolded constructor is named %s, which main.go and the generated tests call", pkg, d.Pos, svc.Interface.Name, alt))
		case token.IsExported(name):
			// Unexported renames are invisible outside the package.
			n.Notes = append(n.Notes, fmt.Sprintf("%s declares %s (%s): the generated %s is named %s", pkg, name, d.Pos, name, alt))
		}
	}
	if d, ok := svc.Declared["New"]; !ok || d.Shape != model.ConstructorShape {
		n.Constructor = n.Name("New")
	}
	return n
}

// renameCandidates are the names tried, in order, for a declaration whose
// name the user's code takes. implType is the implementation type's name.
func renameCandidates(name, implType string) []string {
	var out []string
	if name == "New" {
		out = append(out, "NewBasicService", "New"+model.Exported(implType))
	}
	if token.IsExported(name) {
		return append(out, "Kitforge"+name)
	}
	return append(out, "kitforge"+model.Exported(name))
}

// freeName returns the first candidate not taken, else the last one with
// the first free number appended.
func freeName(candidates []string, taken func(string) bool) string {
	for _, c := range candidates {
		if !taken(c) {
			return c
		}
	}
	last := candidates[len(candidates)-1]
	for i := 2; ; i++ {
		if c := last + strconv.Itoa(i); !taken(c) {
			return c
		}
	}
}

// ServiceIdent is the qualified name of kitforge's declaration name (one of
// ServiceDecls) in the service's package.
func (l Layout) ServiceIdent(name string) *jen.Statement {
	return jen.Qual(l.Service.Path, l.Names.Name(name))
}

// Constructor is the qualified function that returns a new service.
func (l Layout) Constructor() *jen.Statement {
	if l.Names.Constructor == "" {
		return jen.Qual(l.Service.Path, "New")
	}
	return jen.Qual(l.Service.Path, l.Names.Constructor)
}
