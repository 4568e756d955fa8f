package goparse

import (
	"go/types"
	"path/filepath"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// service describes the chosen interface of the loaded package.
func (l *loader) service() (*model.Service, error) {
	c, err := l.chooseInterface()
	if err != nil {
		return nil, err
	}
	l.track(c.spec.Pos(), c.spec.End())
	if e := l.blockingTypeError(); e != nil {
		return nil, e
	}
	name := c.obj.Name()
	pos := c.spec.Name.Pos()
	named, ok := c.obj.Type().(*types.Named)
	if !ok {
		return nil, l.invalidType(pos, "interface "+name)
	}
	if named.TypeParams().Len() > 0 {
		return nil, model.Errorf(l.position(pos), "declare a non-generic interface; use concrete types in its method signatures",
			"interface %s is generic: a service interface cannot have type parameters", name)
	}
	it, ok := named.Underlying().(*types.Interface)
	if !ok || !it.IsMethodSet() {
		return nil, model.Errorf(l.position(pos), "declare the service as an interface of methods only",
			"interface %s is a type constraint, not a service", name)
	}
	doc, dirs := parseDoc(c.doc)
	for _, d := range dirs {
		if d.name != "service" {
			return nil, model.Errorf(l.position(d.pos), "the directive an interface may carry is //kitforge:service",
				"unknown directive kitforge:%s on interface %s", d.name, name)
		}
	}
	svc := &model.Service{
		Name:        l.serviceName(),
		Interface:   model.Ident{ImportPath: l.pkg.PkgPath, Name: name},
		PackageName: l.pkg.Name,
		Dir:         l.pkg.Dir,
		Doc:         doc,
		Source:      model.SourceGo,
		Pos:         l.position(pos),
	}
	svc.GoName = model.Exported(svc.Name)
	if svc.Dir == "" {
		svc.Dir = filepath.Dir(l.fset.Position(pos).Filename)
	}
	decls, err := l.flatten(it, c.spec)
	if err != nil {
		return nil, l.preferTypeError(err)
	}
	if err := l.checkVetMethods(it, decls); err != nil {
		return nil, err
	}
	for _, d := range decls {
		m, err := l.method(d)
		if err != nil {
			return nil, l.preferTypeError(err)
		}
		svc.Methods = append(svc.Methods, m)
	}
	if e := l.blockingTypeError(); e != nil {
		return nil, e
	}
	svc.PackageNames = map[string]string{l.pkg.PkgPath: l.pkg.Name}
	for obj := range l.conv.named {
		if p := obj.Pkg(); p != nil {
			svc.PackageNames[p.Path()] = p.Name()
		}
	}
	if len(svc.Methods) == 0 {
		return nil, model.Errorf(svc.Pos, "add the service's methods to the interface",
			"interface %s has no methods", name)
	}
	if e := l.userTypeError(); e != nil {
		return nil, e
	}
	svc.Declared = l.declared(named)
	if svc.ErrorStatuses, err = l.errorStatuses(); err != nil {
		return nil, err
	}
	model.AssignEndpointFields(svc.Methods)
	return svc, nil
}

// serviceName is cfg.Name, else the package name without a trailing
// "service" ("calcservice" → "calc").
func (l *loader) serviceName() string {
	if l.cfg.Name != "" {
		return l.cfg.Name
	}
	if n := strings.TrimSuffix(l.pkg.Name, "service"); n != "" {
		return n
	}
	return l.pkg.Name
}
