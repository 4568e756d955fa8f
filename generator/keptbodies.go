package generator

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kitforge/kitforge/generator/merge"
	"github.com/kitforge/kitforge/generator/plan"
)

// replaceBrokenBodies handles the methods whose parameters changed and
// whose body the merge kept (res.KeptBodies): it type-checks the service's
// package as it will be (the merged implementation, the plan's generated
// Go files) and merges existing again with ReplaceBody set for each method
// whose kept body no longer compiles, so its old body goes into a comment
// and a stub body takes its place. When the package cannot be checked at
// all, the bodies stay as the merge left them.
func replaceBrokenBodies(ctx context.Context, p *plan.Plan, implPath, implType string, existing []byte, methods []merge.Method, res merge.Result) (merge.Result, error) {
	if len(res.KeptBodies) == 0 {
		return res, nil
	}
	abs := func(rel string) string { return filepath.Join(p.Root, filepath.FromSlash(rel)) }
	dir := path.Dir(implPath)
	overlay := map[string][]byte{abs(implPath): res.Src}
	planned := map[string]bool{}
	for _, f := range p.Files {
		planned[f.Path] = true
		// Every generated Go file, not only the service package's: the
		// package imports others whose new version the bodies may need
		// (a .proto service's messages, in their .pb.go).
		if f.Owner != plan.Generated || !strings.HasSuffix(f.Path, ".go") {
			continue
		}
		if old, err := os.ReadFile(abs(f.Path)); err == nil && !plan.IsGenerated(old) && (f.Marker == "" || !plan.HasMarker(old, f.Marker)) {
			continue // taken over: stays as it is
		}
		overlay[abs(f.Path)] = f.Content
	}
	entries, _ := os.ReadDir(abs(dir))
	for _, e := range entries {
		rel := path.Join(dir, e.Name())
		if planned[rel] || !strings.HasSuffix(rel, ".go") {
			continue
		}
		if old, err := os.ReadFile(abs(rel)); err == nil && plan.IsGenerated(old) {
			if stub := packageClauseOnly(old); stub != nil {
				overlay[abs(rel)] = stub // stale: about to be deleted
			}
		}
	}
	errs, err := typeCheck(ctx, p.Root, []string{abs(dir)}, overlay)
	if err != nil {
		return res, nil
	}
	broken := brokenBodies(res.Src, abs(implPath), implType, res.KeptBodies, errs)
	if len(broken) == 0 {
		return res, nil
	}
	methods = slices.Clone(methods)
	for i := range methods {
		methods[i].ReplaceBody = slices.Contains(broken, methods[i].Name)
	}
	return merge.Implementation(existing, implPath, implType, methods)
}

// brokenBodies returns the methods among names, declared on the
// implementation type in src (the file at filename), whose bodies hold
// one of errs.
func brokenBodies(src []byte, filename, implType string, names []string, errs []typeError) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	tf := fset.File(f.Pos())
	var out []string
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || fd.Body == nil || !slices.Contains(names, fd.Name.Name) || !onImplType(fd, implType) {
			continue
		}
		from, to := tf.Offset(fd.Body.Lbrace), tf.Offset(fd.Body.Rbrace)
		if slices.ContainsFunc(errs, func(e typeError) bool {
			return e.pos.Filename == filename && from <= e.pos.Offset && e.pos.Offset <= to
		}) {
			out = append(out, fd.Name.Name)
		}
	}
	return out
}

// onImplType reports whether a method's receiver is the scaffolded
// implementation type, by value or pointer.
func onImplType(fd *ast.FuncDecl, implType string) bool {
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	id, ok := t.(*ast.Ident)
	return ok && id.Name == implType
}
