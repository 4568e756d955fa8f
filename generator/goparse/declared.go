package goparse

import (
	"go/ast"
	"go/types"
	"path/filepath"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// declared lists the package-level names that the user's own files of the
// package declare, with their shape relative to the interface iface:
// kitforge's generated files (reduced to their package clause) and
// scaffolded files (service_impl.go, which declares kitforge's own
// basicService and New) are left out, so a rerun sees what a first run saw.
func (l *loader) declared(iface types.Type) map[string]model.Declared {
	skip := map[*ast.File]bool{}
	for _, f := range l.pkg.Syntax {
		// service_impl.go is the scaffold's file even when the user
		// rewrote it without the header: its basicService and New are
		// the ones kitforge scaffolded, not declarations to yield to.
		if isScaffolded(f) || filepath.Base(l.fset.Position(f.Package).Filename) == scaffoldFile {
			skip[f] = true
		}
	}
	out := map[string]model.Declared{}
	scope := l.pkg.Types.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if f := l.fileOf(obj); f == nil || skip[f] {
			continue
		}
		out[name] = model.Declared{Pos: l.position(obj.Pos()), Shape: shapeOf(obj, iface)}
	}
	return out
}

// scaffoldFile is the name of the implementation file kitforge scaffolds
// in the service's package.
const scaffoldFile = "service_impl.go"

// isScaffolded reports whether f opens with kitforge's scaffold header.
func isScaffolded(f *ast.File) bool {
	return len(f.Comments) > 0 && f.Comments[0].Pos() < f.Package &&
		strings.HasPrefix(f.Comments[0].List[0].Text, scaffoldHeader)
}

// fileOf returns the syntax tree of the package that declares obj.
func (l *loader) fileOf(obj types.Object) *ast.File {
	for _, f := range l.pkg.Syntax {
		if f.FileStart <= obj.Pos() && obj.Pos() <= f.FileEnd {
			return f
		}
	}
	return nil
}

// shapeOf says whether obj is a service middleware type (func(I) I) or a
// constructor (func() I) of the interface type iface.
func shapeOf(obj types.Object, iface types.Type) model.Shape {
	sig, _ := obj.Type().Underlying().(*types.Signature)
	if sig == nil || sig.Variadic() || sig.TypeParams().Len() > 0 || sig.Results().Len() != 1 ||
		!types.Identical(sig.Results().At(0).Type(), iface) {
		return model.OtherShape
	}
	switch obj.(type) {
	case *types.TypeName:
		if sig.Params().Len() == 1 && types.Identical(sig.Params().At(0).Type(), iface) {
			return model.MiddlewareShape
		}
	case *types.Func:
		if sig.Params().Len() == 0 && sig.Recv() == nil {
			return model.ConstructorShape
		}
	}
	return model.OtherShape
}
