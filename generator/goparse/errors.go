package goparse

import (
	"go/token"
	"go/types"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
	"golang.org/x/tools/go/packages"
)

const hintTypeError = "fix this error: the service interface depends on it; then run kitforge again"

// position converts p to a model.Pos relative to the working directory.
func (l *loader) position(p token.Pos) model.Pos {
	if !p.IsValid() {
		return model.Pos{}
	}
	pp := l.fset.Position(p)
	return model.Pos{File: l.rel(pp.Filename), Line: pp.Line, Col: pp.Column}
}

// rel returns file relative to the working directory when that is shorter.
func (l *loader) rel(file string) string {
	if r, ok := l.relFiles[file]; ok {
		return r
	}
	r := file
	if r != "" && !filepath.IsAbs(r) {
		r = filepath.Join(l.dir, r)
	}
	if rel, err := filepath.Rel(l.dir, r); err == nil && len(rel) < len(r) {
		r = rel
	}
	l.relFiles[file] = r
	return r
}

// posString parses a go/packages error position: "file:line:col",
// "file:line", "file", "" or "-".
func (l *loader) posString(s string) model.Pos {
	if s == "" || s == "-" {
		return model.Pos{}
	}
	var nums []int
	for len(nums) < 2 {
		i := strings.LastIndexByte(s, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(s[i+1:])
		if err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		s = s[:i]
	}
	p := model.Pos{File: l.rel(s)}
	if len(nums) > 0 {
		p.Line = nums[0]
	}
	if len(nums) > 1 {
		p.Col = nums[1]
	}
	return p
}

// track records a declaration of the package whose type errors block
// loading.
func (l *loader) track(from, to token.Pos) {
	l.ranges = append(l.ranges, span{from, to})
}

// blockingTypeError returns the first type error inside a tracked
// declaration, or nil. Type errors elsewhere (an implementation that lacks
// a new method) do not matter to the service's description.
func (l *loader) blockingTypeError() *model.Error {
	var first *types.Error
	for i := range l.pkg.TypeErrors {
		e := &l.pkg.TypeErrors[i]
		if !l.tracked(e.Pos) || continuation(e) {
			continue
		}
		if first == nil || l.before(e.Pos, first.Pos) {
			first = e
		}
	}
	if first == nil {
		return nil
	}
	return model.Errorf(l.position(first.Pos), hintTypeError, "%s", first.Msg)
}

// continuation reports whether e continues the error before it: go/types
// reports the other positions of an error ("\tother declaration of X") as
// errors of their own, with a tab before the message.
func continuation(e *types.Error) bool { return strings.HasPrefix(e.Msg, "\t") }

func (l *loader) tracked(p token.Pos) bool {
	for _, r := range l.ranges {
		if r.from <= p && p < r.to {
			return true
		}
	}
	return false
}

// before orders positions by file name, then offset.
func (l *loader) before(a, b token.Pos) bool {
	pa, pb := l.fset.Position(a), l.fset.Position(b)
	if pa.Filename != pb.Filename {
		return pa.Filename < pb.Filename
	}
	return pa.Offset < pb.Offset
}

// invalidType explains why what, declared at pos, has an invalid type:
// a type error in a tracked declaration, else an error in a package the
// package imports, else an error of the package (an import that failed),
// else just that.
func (l *loader) invalidType(pos token.Pos, what string) *model.Error {
	if e := l.blockingTypeError(); e != nil {
		return e
	}
	var deps []packages.Error
	packages.Visit([]*packages.Package{l.pkg}, nil, func(p *packages.Package) {
		if p != l.pkg {
			deps = append(deps, p.Errors...)
		}
	})
	for _, errs := range [][]packages.Error{deps, l.pkg.Errors} {
		for _, e := range errs {
			if p := l.posString(e.Pos); p.IsValid() {
				return model.Errorf(p, hintTypeError, "%s", e.Msg)
			}
		}
	}
	return model.Errorf(l.position(pos), hintTypeError, "%s has an invalid type", what)
}

// preferTypeError returns the first blocking type error if there is one,
// since it is likely the cause of err, else err.
func (l *loader) preferTypeError(err error) error {
	if e := l.blockingTypeError(); e != nil {
		return e
	}
	return err
}
