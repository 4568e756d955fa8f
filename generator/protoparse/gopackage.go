package protoparse

import (
	"fmt"
	"go/token"
	"path"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

const hintGoPackage = `give --go-package IMPORT_PATH[;NAME] for the files you generate from, or FILE=IMPORT_PATH[;NAME] for one imported file, with an import path inside the module`

// overrides are the --go-package flags, parsed.
type overrides struct {
	roots  string            // for the files in Config.Files
	byFile map[string]string // import path of a file → Go package
}

// parseOverrides checks the --go-package values.
func parseOverrides(cfg Config) (overrides, error) {
	o := overrides{byFile: map[string]string{}}
	for _, v := range cfg.GoPackages {
		file, pkg, ok := strings.Cut(v, "=")
		if !ok {
			file, pkg = "", v
		}
		p, _, _ := strings.Cut(pkg, ";")
		if !inModule(p, cfg.Module) {
			return o, model.Errorf(model.Pos{File: "--go-package"}, hintGoPackage, "go package %q is not inside module %s", pkg, cfg.Module)
		}
		if file == "" {
			o.roots = pkg
		} else {
			o.byFile[file] = pkg
		}
	}
	return o, nil
}

// validImportPath reports whether p is an import path Go accepts for a
// package of this module: elements of ASCII letters, digits and "-._~+",
// none empty, "." or "..".
func validImportPath(p string) bool {
	for _, elem := range strings.Split(p, "/") {
		if elem == "" || elem == "." || elem == ".." {
			return false
		}
		for _, r := range elem {
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-._~+", r)) {
				return false
			}
		}
	}
	return true
}

// inModule reports whether import path p is module or inside it.
func inModule(p, module string) bool {
	return p == module || strings.HasPrefix(p, module+"/")
}

// resolveGoPackages gives every local file its Go package: an override, or
// its go_package when that names a package inside the module, or else one
// derived from its proto package under Config.PBDir, with a note.
func (l *loader) resolveGoPackages() ([]string, error) {
	o, err := parseOverrides(l.cfg)
	if err != nil {
		return nil, err
	}
	var notes []string
	for _, s := range l.sources {
		from := model.Pos{File: "--go-package"} // where value comes from
		value := o.byFile[s.ImportPath]
		if value == "" && s.Root {
			value = o.roots
		}
		if value == "" {
			p, _, _ := strings.Cut(s.goPackage, ";")
			if inModule(p, l.cfg.Module) {
				value, from = s.goPackage, s.goPackagePos
			}
		}
		if value == "" {
			value, from = l.derived(s), model.Pos{File: s.Display}
			notes = append(notes, l.derivedNote(s, value))
		}
		p, name, _ := strings.Cut(value, ";")
		if !validImportPath(p) {
			return nil, model.Errorf(from, hintGoPackage+" (letters, digits and -._~+ between slashes)",
				"the Go package of %s, %q, is not a valid import path", s.Display, p)
		}
		if name == "" {
			name = defaultPackageName(p)
		}
		if !token.IsIdentifier(name) {
			pos := s.goPackagePos
			if !pos.IsValid() {
				pos = model.Pos{File: "--go-package"}
			}
			return nil, model.Errorf(pos, hintGoPackage, "%q is not a valid Go package name", name)
		}
		s.Go = GoPackage{Path: p, Name: name, Dir: strings.TrimPrefix(strings.TrimPrefix(p, l.cfg.Module), "/")}
		if s.Go.Dir == "" {
			s.Go.Dir = "."
		}
	}
	return notes, nil
}

// derived is the Go package of a file without a usable go_package: the
// proto package as a path under PBDir, named after its last elements (a
// name the go_package gives, as ";name" or alone, is kept).
func (l *loader) derived(s *source) string {
	pkg := s.Package
	if pkg == "" {
		pkg = strings.TrimSuffix(path.Base(s.ImportPath), ".proto")
	}
	dir := importableDir(strings.ReplaceAll(pkg, ".", "/"))
	if l.cfg.PBDir != "" && l.cfg.PBDir != "." {
		dir = l.cfg.PBDir + "/" + dir
	}
	name := derivedPackageName(pkg)
	given := s.goPackage // a bare name ("librarypb") is a name, not a path
	if _, n, ok := strings.Cut(s.goPackage, ";"); ok {
		given = n
	}
	if token.IsIdentifier(given) {
		name = given
	}
	return l.cfg.Module + "/" + dir + ";" + name
}

// importableDir renames the "internal" elements of a derived directory
// to "internalpb": Go lets only the tree above an internal element import
// it, and the service packages that use the messages are never there (a
// proto package acme.internal.v1 made pkg/pb/acme/internal/v1, which
// pkg/<name>endpoint could not import).
func importableDir(dir string) string {
	elems := strings.Split(dir, "/")
	for i, e := range elems {
		if e == "internal" {
			elems[i] = "internalpb"
		}
	}
	return strings.Join(elems, "/")
}

// derivedNote says why and where a file's Go package was derived.
func (l *loader) derivedNote(s *source, value string) string {
	p, name, _ := strings.Cut(value, ";")
	why := "has no go_package option"
	if s.goPackage != "" {
		why = fmt.Sprintf("has go_package %q, which is not a package of module %s", s.goPackage, l.cfg.Module)
	}
	return fmt.Sprintf("%s %s"+derivedNoteMarker+"%s (package %s); --go-package %s=IMPORT_PATH[;NAME] chooses another",
		s.Display, why, p, name, s.ImportPath)
}

// derivedNoteMarker separates a derived-package note's file and reason
// from the import path it names (see derivedNote, DerivedNotePackage).
const derivedNoteMarker = ": its Go code goes to "

// DerivedNotePackage returns the Go import path a Result.Notes line about a
// derived Go package names, and whether note is such a line: the CLI shows
// it only when that package's files are created, not on every run.
func DerivedNotePackage(note string) (string, bool) {
	_, rest, ok := strings.Cut(note, derivedNoteMarker)
	if !ok {
		return "", false
	}
	p, _, ok := strings.Cut(rest, " (package ")
	return p, ok
}

// defaultPackageName is protoc-gen-go's package name for an import path
// without ";name": its last element, made an identifier.
func defaultPackageName(importPath string) string {
	name := path.Base(importPath)
	var b strings.Builder
	for i, r := range name {
		switch {
		case r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
			b.WriteRune(r)
		case '0' <= r && r <= '9':
			if i == 0 {
				b.WriteRune('_')
			}
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	return b.String()
}
