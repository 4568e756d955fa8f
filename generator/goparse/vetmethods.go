package goparse

import (
	"go/types"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// checkVetMethods refuses a method named like one of go vet's standard
// methods (model.VetMethods) with another signature: go vet would fail on
// the interface and on every generated type that implements it.
func (l *loader) checkVetMethods(it *types.Interface, decls []declared) error {
	isError := false
	for i := range it.NumMethods() {
		if m := it.Method(i); m.Name() == "Error" && sigString(m.Signature()) == "() (string)" {
			isError = true
		}
	}
	for _, d := range decls {
		want, ok := model.VetMethods[d.fn.Name()]
		if !ok || (model.ErrorOnlyVetMethods[d.fn.Name()] && !isError) {
			continue
		}
		if got := sigString(d.fn.Signature()); got != want {
			return model.Errorf(l.position(d.pos), "rename the method, or give it the signature "+d.fn.Name()+want,
				"method %s%s: go vet requires a method named %s to have the signature %s%s (its stdmethods check), so neither your interface nor the generated code would pass go vet",
				d.fn.Name(), got, d.fn.Name(), d.fn.Name(), want)
		}
	}
	return nil
}

// sigString is a signature as "(param types) (result types)", types
// qualified by package name.
func sigString(sig *types.Signature) string {
	list := func(t *types.Tuple) string {
		var out []string
		for i := range t.Len() {
			out = append(out, types.TypeString(t.At(i).Type(), func(p *types.Package) string { return p.Name() }))
		}
		return "(" + strings.Join(out, ", ") + ")"
	}
	return list(sig.Params()) + " " + list(sig.Results())
}
