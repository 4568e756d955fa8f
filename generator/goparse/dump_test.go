package goparse

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// dump renders a loaded service, or the error loading it, as the text the
// want/ files of testdata archives hold. root is the directory the archive
// was extracted to; absolute paths are shown relative to it.
func dump(svc *model.Service, err error, root string) string {
	var b strings.Builder
	if err != nil {
		var me *model.Error
		if !errors.As(err, &me) {
			return fmt.Sprintf("non-model error: %v\n", err)
		}
		fmt.Fprintf(&b, "error: %s: %s\nhint: %s\n", me.Pos, me.Msg, me.Hint)
		return b.String()
	}
	d := &dumper{b: &b, seen: map[*model.Type]bool{}}
	dir, _ := filepath.Rel(root, svc.Dir)
	if !filepath.IsAbs(svc.Dir) {
		dir = "NOT ABSOLUTE " + svc.Dir
	}
	src := "go"
	if svc.Source != model.SourceGo {
		src = "NOT GO"
	}
	fmt.Fprintf(&b, "service %s (%s) %s package=%s dir=%s source=%s at %s\n",
		svc.Name, svc.GoName, svc.Interface, svc.PackageName, filepath.ToSlash(dir), src, svc.Pos)
	for _, l := range svc.Doc {
		fmt.Fprintln(&b, strings.TrimSpace("doc: "+l))
	}
	for _, m := range svc.Methods {
		fmt.Fprintf(&b, "method %s at %s%s%s%s\n", m.Name, m.Pos, mark(m.HasContext, "ctx"), mark(m.HasError, "error"), mark(m.Async, "async"))
		for _, l := range m.Doc {
			fmt.Fprintln(&b, "  "+strings.TrimSpace("doc: "+l))
		}
		for _, h := range m.HTTP {
			fmt.Fprintf(&b, "  http: %s %s path=%v body=%q at %s\n", h.Verb, h.Path, h.PathParams, h.Body, h.Pos)
		}
		for _, f := range m.Params {
			fmt.Fprintf(&b, "  param %s: go=%s json=%s %s %s at %s%s%s\n", f.VarName, f.GoName, f.JSONName, d.typ(f.Type), f.In, f.Pos, mark(f.Variadic, "variadic"), mark(f.Sensitive, "sensitive"))
		}
		for _, f := range m.Results {
			fmt.Fprintf(&b, "  result %s: go=%s json=%s %s at %s%s\n", f.VarName, f.GoName, f.JSONName, d.typ(f.Type), f.Pos, mark(f.Sensitive, "sensitive"))
		}
	}
	for _, e := range svc.ErrorStatuses {
		fmt.Fprintf(&b, "error %s status=%d at %s\n", e.Name, e.Status, e.Pos)
		for _, l := range e.Doc {
			fmt.Fprintln(&b, "  "+strings.TrimSpace("doc: "+l))
		}
	}
	for i := 0; i < len(d.named); i++ { // d.named grows while dumping
		t := d.named[i]
		fmt.Fprintf(&b, "type %s %s", t.Ident, d.typ(t.Underlying))
		for _, e := range t.Enum {
			fmt.Fprintf(&b, " %s=%d", e.Name, e.Number)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func mark(on bool, name string) string {
	if on {
		return " " + name
	}
	return ""
}

// dumper renders types; named types are listed once, after the methods.
type dumper struct {
	b     *strings.Builder
	seen  map[*model.Type]bool
	named []*model.Type
}

func (d *dumper) typ(t *model.Type) string {
	switch t.Kind {
	case model.Named:
		if !d.seen[t] {
			d.seen[t] = true
			d.named = append(d.named, t)
		}
		return t.Ident.String()
	case model.Pointer:
		return "*" + d.typ(t.Elem)
	case model.Slice:
		return "[]" + d.typ(t.Elem)
	case model.Array:
		return fmt.Sprintf("[%d]%s", t.Len, d.typ(t.Elem))
	case model.Map:
		return "map[" + d.typ(t.Key) + "]" + d.typ(t.Elem)
	case model.Struct:
		var fs []string
		for _, f := range t.Fields {
			s := fmt.Sprintf("%s %s json=%s", f.GoName, d.typ(f.Type), f.JSONName)
			s += mark(f.OmitEmpty, "omitempty") + mark(f.Embedded, "embedded")
			fs = append(fs, s)
		}
		return "struct{" + strings.Join(fs, "; ") + "}"
	}
	return t.String()
}
