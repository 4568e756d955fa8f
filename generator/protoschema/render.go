package protoschema

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// render writes the schema text.
func render(svc *model.Service, pkg, goPackage string, b *builder) []byte {
	var w strings.Builder
	w.WriteString(Header + "\n\nsyntax = \"proto3\";\n\npackage " + pkg + ";\n")
	if len(b.imports) > 0 {
		w.WriteString("\n")
		for _, file := range []string{durationFile, timestampFile} { // sorted
			if b.imports[file] {
				w.WriteString("import " + strconv.Quote(file) + ";\n")
			}
		}
	}
	if goPackage != "" {
		w.WriteString("\noption go_package = " + strconv.Quote(goPackage) + ";\n")
	}

	doc := svc.Doc
	if len(doc) == 0 {
		doc = []string{svc.GoName + " serves " + svc.Interface.String() + " over gRPC."}
	}
	w.WriteString("\n")
	writeComment(&w, "", doc)
	w.WriteString("service " + svc.GoName + " {\n")
	rpcs := map[string]bool{svc.GoName: true}
	for _, m := range svc.Methods {
		rpcs[m.Name] = true
	}
	// A type name that is also an rpc's (methods Link and LinkRequest)
	// resolves to the rpc inside the service: qualify it fully.
	typeRef := func(name string) string {
		if rpcs[name] {
			return "." + pkg + "." + name
		}
		return name
	}
	for _, m := range svc.Methods {
		writeComment(&w, "  ", m.Doc)
		fmt.Fprintf(&w, "  rpc %s(%s) returns (%s);\n", m.Name, typeRef(m.RequestName()), typeRef(m.ResponseName()))
	}
	w.WriteString("}\n")

	for _, m := range b.messages {
		w.WriteString("\n")
		writeComment(&w, "", m.doc)
		reserved := m.reservedStatements()
		if len(reserved) == 0 && len(m.fields) == 0 {
			w.WriteString("message " + m.name + " {}\n")
			continue
		}
		w.WriteString("message " + m.name + " {\n")
		for _, r := range reserved {
			w.WriteString("  " + r + "\n")
		}
		for _, f := range m.fields {
			label := ""
			switch {
			case f.repeated:
				label = "repeated "
			case f.optional:
				label = "optional "
			}
			fmt.Fprintf(&w, "  %s%s %s = %d;\n", label, f.typ, f.name, f.number)
		}
		w.WriteString("}\n")
	}
	return []byte(w.String())
}

// writeComment writes doc lines as // comments with the given indent; a
// line's own leading space, if any, is not doubled.
func writeComment(w *strings.Builder, indent string, lines []string) {
	for _, l := range lines {
		l = strings.TrimRight(strings.TrimPrefix(l, " "), " \t")
		if l == "" {
			w.WriteString(indent + "//\n")
			continue
		}
		w.WriteString(indent + "// " + l + "\n")
	}
}
