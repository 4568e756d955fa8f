package goparse

import (
	"go/constant"
	"go/types"
	"sort"

	"github.com/kitforge/kitforge/generator/model"
)

// enumValues lists the exported package-level constants of exactly type t
// in declaration order, when t is an integer or string type. A constant's
// Number is its value for integers and its index for strings.
// time.Duration's constants are units, not an enumeration, and are left out.
func enumValues(t *types.Named) []model.EnumValue {
	b, ok := t.Underlying().(*types.Basic)
	obj := t.Obj()
	if !ok || b.Info()&(types.IsInteger|types.IsString) == 0 || obj.Pkg().Path() == "time" && obj.Name() == "Duration" {
		return nil
	}
	scope := obj.Pkg().Scope()
	var consts []*types.Const
	for _, name := range scope.Names() {
		if c, ok := scope.Lookup(name).(*types.Const); ok && c.Exported() && types.Identical(c.Type(), t) {
			consts = append(consts, c)
		}
	}
	sort.SliceStable(consts, func(i, j int) bool { return consts[i].Pos() < consts[j].Pos() })
	var vals []model.EnumValue
	for i, c := range consts {
		n := int64(i)
		if v, exact := constant.Int64Val(constant.ToInt(c.Val())); exact && c.Val().Kind() == constant.Int {
			n = v
		}
		vals = append(vals, model.EnumValue{Name: c.Name(), Number: n})
	}
	return vals
}
