package protoparse

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"
	"github.com/emicklei/proto"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/pbgo"
)

const hintImportPaths = "give the directory that import paths are relative to with -I (kitforge.yaml: proto_paths), as for protoc"

// source is a local file as read and parsed.
type source struct {
	*File
	content []byte
	ast     *proto.Proto
	// goPackage is the go_package option ("" when absent) and goPackagePos
	// where it is.
	goPackage    string
	goPackagePos model.Pos
	packagePos   model.Pos
}

// loader holds the state of one Load.
type loader struct {
	cfg         Config
	importPaths []string // absolute
	sources     []*source
	byImport    map[string]*source
}

// newLoader resolves the import paths.
func newLoader(cfg Config) (*loader, error) {
	l := &loader{cfg: cfg, byImport: map[string]*source{}}
	paths := cfg.ImportPaths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	for _, p := range paths {
		abs := l.abs(p)
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			return nil, model.Errorf(model.Pos{File: p}, hintImportPaths, "import path %s is not a directory", p)
		}
		l.importPaths = append(l.importPaths, abs)
	}
	return l, nil
}

// abs makes p absolute against Config.Dir.
func (l *loader) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(l.cfg.Dir, p)
}

// display names an absolute path in messages: relative to Config.Dir when
// it is inside it.
func (l *loader) display(abs string) string {
	if rel, err := filepath.Rel(l.cfg.Dir, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return abs
}

// readAll reads the root files and, breadth first, every local file they
// import. Imports of bundled files (well-known types, google/api) are left
// to pbgo; imports found nowhere are reported by the compiler, at the import.
func (l *loader) readAll() error {
	if len(l.cfg.Files) == 0 {
		return &model.Error{Msg: "no .proto file to generate from", Hint: "name one with --proto FILE"}
	}
	var queue []*source
	for _, f := range l.cfg.Files {
		abs := l.abs(f)
		name, ok := l.importPathOf(abs)
		if !ok {
			return model.Errorf(model.Pos{File: l.display(abs)}, hintImportPaths,
				"%s is not inside any import path (%s)", l.display(abs), l.importPathList())
		}
		if l.byImport[name] != nil {
			continue
		}
		s, err := l.read(abs, name, true)
		if err != nil {
			return err
		}
		queue = append(queue, s)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, imp := range imports(s.ast) {
			if l.byImport[imp] != nil || pbgo.Bundled(imp) {
				continue
			}
			abs, ok := l.find(imp)
			if !ok {
				continue // the compiler reports it, at the import statement
			}
			dep, err := l.read(abs, imp, false)
			if err != nil {
				return err
			}
			queue = append(queue, dep)
		}
	}
	return nil
}

// importPathOf returns the import path of the file at abs: its path
// relative to the first import path that holds it.
func (l *loader) importPathOf(abs string) (string, bool) {
	for _, ip := range l.importPaths {
		rel, err := filepath.Rel(ip, abs)
		if err == nil && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel) {
			return filepath.ToSlash(rel), true
		}
	}
	return "", false
}

// importPathList renders the import paths for messages.
func (l *loader) importPathList() string {
	names := make([]string, len(l.importPaths))
	for i, p := range l.importPaths {
		names[i] = l.display(p)
		if names[i] == "" {
			names[i] = "."
		}
	}
	return "-I " + strings.Join(names, " -I ")
}

// find looks an import up in the import paths, first match wins.
func (l *loader) find(name string) (string, bool) {
	for _, ip := range l.importPaths {
		p := filepath.Join(ip, filepath.FromSlash(name))
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, true
		}
	}
	return "", false
}

// read reads and parses one local file.
func (l *loader) read(abs, importPath string, root bool) (*source, error) {
	content, err := os.ReadFile(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, model.Errorf(model.Pos{File: l.display(abs)}, "check the path; it is relative to "+config(l.cfg.Dir), "%s does not exist", l.display(abs))
		}
		if st, serr := os.Stat(abs); serr == nil && st.IsDir() {
			return nil, model.Errorf(model.Pos{File: l.display(abs)}, "give a .proto file, not a directory", "%s is a directory", l.display(abs))
		}
		return nil, err
	}
	s := &source{File: &File{Abs: abs, Display: l.display(abs), ImportPath: importPath, Root: root}, content: content}
	// protocompile's parser first: it words syntax errors as protoc does, and
	// emicklei/proto never returns from some files that end early (an rpc's
	// option block cut off by the end of the file), so it only reads files
	// protoc would parse.
	if err := protocSyntaxError(s.Display, content); err != nil {
		return nil, err
	}
	p := proto.NewParser(bytes.NewReader(content))
	p.Filename(s.Display)
	s.ast, err = p.Parse()
	if err != nil {
		return nil, syntaxError(s.Display, err)
	}
	for _, e := range s.ast.Elements {
		switch e := e.(type) {
		case *proto.Package:
			s.Package = e.Name
			s.packagePos = position(s.Display, e.Position)
		case *proto.Option:
			if e.Name == "go_package" {
				s.goPackage = e.Constant.Source
				s.goPackagePos = position(s.Display, e.Constant.Position)
			}
		}
	}
	l.sources = append(l.sources, s)
	l.byImport[importPath] = s
	return s, nil
}

// config names the directory relative paths start from, for hints.
func config(dir string) string { return "the directory of kitforge.yaml (" + dir + ")" }

// imports lists the files a parsed file imports, in order.
func imports(ast *proto.Proto) []string {
	var out []string
	for _, e := range ast.Elements {
		if imp, ok := e.(*proto.Import); ok {
			out = append(out, imp.Filename)
		}
	}
	return out
}

// position converts a parser position.
func position(file string, p interface{ String() string }) model.Pos {
	pos := model.Pos{File: file}
	if m := posRE.FindStringSubmatch(p.String()); m != nil {
		pos.Line, _ = strconv.Atoi(m[2])
		pos.Col, _ = strconv.Atoi(m[3])
	}
	return pos
}

// posRE matches the end of "file:line:col" as text/scanner writes it.
var posRE = regexp.MustCompile(`^(.*):(\d+):(\d+)$`)

// errPosRE matches emicklei/proto's errors, "file:line:col: message".
var errPosRE = regexp.MustCompile(`^(?:go scanner error at )?(.*?):(\d+):(\d+)(?::| =) (.*)$`)

// protocSyntaxError returns the first syntax error protocompile's parser
// finds in a file, positioned and worded as protoc words it, or nil.
func protocSyntaxError(display string, content []byte) error {
	handler := reporter.NewHandler(nil)
	if _, err := parser.Parse(display, bytes.NewReader(content), handler); err != nil {
		var withPos reporter.ErrorWithPos
		if errors.As(err, &withPos) {
			p := withPos.GetPosition()
			return model.Errorf(model.Pos{File: display, Line: p.Line, Col: p.Col},
				"fix the .proto syntax; kitforge reads .proto files as protoc does", "%s", withPos.Unwrap().Error())
		}
		return model.Errorf(model.Pos{File: display}, "fix the .proto syntax; kitforge reads .proto files as protoc does", "%v", err)
	}
	return nil
}

// syntaxError reports a file emicklei/proto could not parse although
// protocompile's parser could.
func syntaxError(display string, parseErr error) error {
	msg := strings.TrimSpace(strings.SplitN(parseErr.Error(), "\n", 2)[0])
	pos := model.Pos{File: display}
	if m := errPosRE.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[2])
		pos.Col, _ = strconv.Atoi(m[3])
		msg = m[4]
	}
	return model.Errorf(pos, "fix the .proto syntax", "%s", fmt.Sprint(msg))
}
