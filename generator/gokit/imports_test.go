package gokit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestDeclaredNames keeps declaredNames in step with the generated code:
// every lower-case identifier that a golden Go-interface service's generated
// files declare, in a file that imports one of the user's packages, is in
// the list, unless it comes from the user (a parameter named as in the
// interface, or after its type).
func TestDeclaredNames(t *testing.T) {
	cases, err := filepath.Glob("../../testdata/golden/*/input.txtar")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, input := range cases {
		dir := filepath.Dir(input)
		if strings.HasPrefix(filepath.Base(dir), "proto_") {
			continue
		}
		src, err := os.ReadFile(input)
		if err != nil {
			t.Fatal(err)
		}
		userWords := map[string]bool{}
		for _, w := range regexp.MustCompile(`\w+`).FindAllString(string(src), -1) {
			userWords[strings.ToLower(w)] = true
		}
		userPkg := regexp.MustCompile(`^kitforge\.test/golden/` + regexp.QuoteMeta(filepath.Base(dir)) + `/.*$`)
		generatedPkg := regexp.MustCompile(`(endpoint|transport|server|client|pb)$`)
		err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".pb.go") {
				return err
			}
			if protoPackage(path) {
				// A .proto service's file (in a module of several
				// services): its imports are named as proto cases' are.
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				return err
			}
			importsUser := false
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if userPkg.MatchString(p) && !generatedPkg.MatchString(p) {
					importsUser = true
				}
			}
			if !importsUser {
				return nil
			}
			checked++
			for name := range declaredIn(f) {
				if name == strings.ToLower(name) && !declaredNames[name] && !userWords[strings.TrimRight(name, "0123456789")] && name != "_" {
					t.Errorf("%s declares %s: add it to declaredNames (a user's package of that name must be imported under another)", path, name)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked == 0 {
		t.Fatal("no generated file imports a user's package: the golden trees moved?")
	}
}

// declaredIn returns the identifiers f declares: package-level names,
// receivers, parameters and results, and locals.
func declaredIn(f *ast.File) map[string]bool {
	names := map[string]bool{}
	fields := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, field := range fl.List {
			for _, id := range field.Names {
				names[id.Name] = true
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TypeSpec:
			names[n.Name.Name] = true
		case *ast.FuncDecl:
			if n.Recv == nil {
				names[n.Name.Name] = true
			}
			fields(n.Recv)
		case *ast.FuncType:
			fields(n.Params)
			fields(n.Results)
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, e := range n.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				names[id.Name] = true
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok {
					names[id.Name] = true
				}
			}
		}
		return true
	})
	return names
}

// protoPackage reports whether the generated file at path belongs to a
// service from a .proto: its <name>service package's service_gen.go says
// so, for every package named after the service.
func protoPackage(path string) bool {
	dir := filepath.Base(filepath.Dir(path))
	for _, suffix := range []string{"service", "endpoint", "transport", "client", "server"} {
		if name, ok := strings.CutSuffix(dir, suffix); ok && name != "" {
			src, err := os.ReadFile(filepath.Join(filepath.Dir(filepath.Dir(path)), name+"service", "service_gen.go"))
			if err == nil && strings.Contains(string(src), "from the .proto file") {
				return true
			}
		}
	}
	return false
}
