package generator

import (
	"cmp"
	"context"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"

	"golang.org/x/tools/go/packages"
)

// typeError is one error the type checker found, with its position
// resolved.
type typeError struct {
	pos token.Position // Filename is absolute
	msg string
}

// typeCheck type-checks the packages in dirs (absolute directories of one
// module rooted at root) with overlay standing in for files on disk (keys are
// absolute paths), function bodies included, and returns every type error,
// sorted by file and offset. Dependencies come from export data, built with
// the overlay applied.
func typeCheck(ctx context.Context, root string, dirs []string, overlay map[string][]byte) ([]typeError, error) {
	fset := token.NewFileSet()
	cfg := &packages.Config{
		Context: ctx,
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedImports,
		Dir:     root,
		Fset:    fset,
		Overlay: overlay,
	}
	patterns := make([]string, len(dirs))
	for i, d := range dirs {
		rel, err := filepath.Rel(root, d)
		if err != nil {
			return nil, err
		}
		patterns[i] = "./" + filepath.ToSlash(rel)
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	var out []typeError
	for _, p := range pkgs {
		for _, e := range p.TypeErrors {
			if e.Soft {
				continue // unused imports and variables do not break the build
			}
			out = append(out, typeError{pos: e.Fset.Position(e.Pos), msg: e.Msg})
		}
	}
	slices.SortStableFunc(out, func(a, b typeError) int {
		return cmp.Or(cmp.Compare(a.pos.Filename, b.pos.Filename), cmp.Compare(a.pos.Offset, b.pos.Offset))
	})
	return out, nil
}

// packageClauseOnly is src cut after its package clause: what a deleted Go
// file is replaced with in an overlay, since an overlay cannot remove a
// file. It returns nil when src has no package clause.
func packageClauseOnly(src []byte) []byte {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.PackageClauseOnly)
	if err != nil || f.Name == nil {
		return nil
	}
	return []byte("package " + f.Name.Name + "\n")
}
