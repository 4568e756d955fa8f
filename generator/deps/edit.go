package deps

import (
	_ "embed"
	"fmt"
	"go/version"
	"maps"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/kitforge/kitforge/generator/model"
)

// What the tidied reference module says about every package generated code
// may import (refreshed with `go test ./generator/deps -run TestReference
// -update`, see deps_test.go).
var (
	// ref.pkgs: "PACKAGE MODULE...", the modules that provide the package
	// and every package it imports.
	//go:embed ref.pkgs
	refPkgs string
	// ref.graph: `go mod graph` of the reference module.
	//go:embed ref.graph
	refGraph string
	// ref.golines: "MODULE VERSION GO", the go line of every module.
	//go:embed ref.golines
	refGoLines string
)

// refData is the reference module, parsed.
type refData struct {
	version  map[string]string   // module path → pinned version (ref.mod)
	modules  []string            // module paths of ref.mod, longest first
	closure  map[string][]string // package → modules of its build
	goLine   map[string]string   // "module@version" → go line
	requires map[string][]string // "module@version" → "module@version" it requires
}

var loadRef = sync.OnceValue(func() *refData {
	r := &refData{version: map[string]string{}, closure: map[string][]string{}, goLine: map[string]string{}, requires: map[string][]string{}}
	for _, req := range reference().Require {
		r.version[req.Mod.Path] = req.Mod.Version
		r.modules = append(r.modules, req.Mod.Path)
	}
	slices.SortFunc(r.modules, func(a, b string) int { return len(b) - len(a) })
	for _, l := range lines(refPkgs) {
		f := strings.Fields(l)
		r.closure[f[0]] = f[1:]
	}
	for _, l := range lines(refGoLines) {
		if f := strings.Fields(l); len(f) == 3 {
			r.goLine[f[0]+"@"+f[1]] = f[2]
		}
	}
	for _, l := range lines(refGraph) {
		if from, to, ok := strings.Cut(l, " "); ok {
			r.requires[from] = append(r.requires[from], to)
		}
	}
	return r
})

func lines(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") }

// moduleOf returns the pinned module that provides the package path, or "".
func (r *refData) moduleOf(pkg string) string {
	for _, m := range r.modules {
		if pkg == m || strings.HasPrefix(pkg, m+"/") {
			return m
		}
	}
	return ""
}

// Needs is what the imports of generated code need from the module graph.
type Needs struct {
	// Imports are the generated code's imports of pinned modules' packages.
	Imports []string
	// Direct are the modules that provide the imported packages.
	Direct []string
	// Modules are the modules that provide a package of their build, Direct
	// included: a module at go ≥ 1.17 lists every one of them in go.mod.
	Modules []string
}

// NeedsOf maps the import paths of the generated Go files to the pinned
// modules that provide them and every package they import. Standard library
// and unknown imports (the user's own modules) need nothing.
func NeedsOf(imports []string) Needs {
	r := loadRef()
	direct, all, imps := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, imp := range imports {
		m := r.moduleOf(imp)
		if m == "" {
			continue
		}
		direct[m] = true
		imps[imp] = true
		closure, ok := r.closure[imp]
		if !ok {
			// Not in the probe: everything the probe uses of its module.
			closure = []string{m}
			for pkg, mods := range r.closure {
				if r.moduleOf(pkg) == m {
					closure = append(closure, mods...)
				}
			}
		}
		for _, c := range closure {
			all[c] = true
		}
	}
	return Needs{Imports: sortedKeys(imps), Direct: sortedKeys(direct), Modules: sortedKeys(all)}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// minimum is the oldest version of a module that the generated code is
// known to build with, and why. A user's older pin is raised to the
// reference; one at or above the minimum is kept.
type minimum struct {
	module, version string
	// unless lists packages that need the reference version itself.
	unless []string
}

// minimums: go-kit's transports, endpoints, circuit breaker and load
// balancer have kept their API since v0.12.0 (the first release whose
// loggers are github.com/go-kit/log's); the AMQP transport moved to
// amqp091-go in v0.13.0. Every other module is raised to its reference pin
// when older: kitforge carries the checksums and module graph of those
// versions only, and `go build` must work right after generating.
var minimums = []minimum{
	{"github.com/go-kit/kit", "v0.12.0", []string{"github.com/go-kit/kit/transport/amqp"}},
}

// keeps reports whether a user's pin of module at have (older than the
// reference) builds the generated code that imports imports.
func keeps(mod, have string, imports []string) bool {
	for _, m := range minimums {
		if m.module == mod && semver.Compare(have, m.version) >= 0 {
			return m.needingPin(imports) == ""
		}
	}
	return false
}

// needingPin returns the first import that needs the reference pin itself.
func (m minimum) needingPin(imports []string) string {
	for _, imp := range imports {
		if slices.Contains(m.unless, imp) {
			return imp
		}
	}
	return ""
}

// Change is one edit of a go.mod, as told to the user.
type Change struct {
	Module   string // "" for the go line
	Old, New string // Old is "" for an added requirement
	Reason   string
}

// String reads "go 1.22 → 1.26.0: needed by X v1", "added X v1",
// "X v1 → v2: needed by Y v3".
func (c Change) String() string {
	name := c.Module
	if name == "" {
		name = "go"
	}
	if c.Old == "" {
		return "added " + name + " " + c.New
	}
	return fmt.Sprintf("%s %s → %s: %s", name, c.Old, c.New, c.Reason)
}

// Result is an edited go.mod.
type Result struct {
	GoMod   []byte
	Changes []Change
	// OldGo and NewGo are the go lines before and after ("1.16" when absent).
	OldGo, NewGo string
}

// Edit adds to an existing go.mod the requirements the generated code needs
// (Needs) and nothing else: a missing module is added at its pin; an older
// pin is raised to it unless the generated code builds with that version
// (see minimums); a newer one is kept. The go line rises only to the
// highest go line of the modules added or raised. Comments and formatting
// are kept, and the input is returned unchanged when nothing is missing.
func Edit(gomod []byte, filename string, needs Needs) (*Result, error) {
	f, err := modfile.Parse(filename, gomod, nil)
	if err != nil {
		return nil, err
	}
	r := loadRef()
	res := &Result{GoMod: gomod, OldGo: "1.16"}
	if f.Go != nil {
		res.OldGo = f.Go.Version
	}
	res.NewGo = res.OldGo
	have := map[string]*modfile.Require{}
	for _, req := range f.Require {
		have[req.Mod.Path] = req
	}
	chosen := map[string]string{} // module → version the build selects
	var added []*modfile.Require
	for _, m := range needs.Modules {
		pin := r.version[m]
		req, ok := have[m]
		switch {
		case !ok:
			added = append(added, &modfile.Require{Mod: module.Version{Path: m, Version: pin}, Indirect: !slices.Contains(needs.Direct, m)})
			res.Changes = append(res.Changes, Change{Module: m, New: pin})
		case semver.Compare(req.Mod.Version, pin) >= 0 || keeps(m, req.Mod.Version, needs.Imports):
			chosen[m] = req.Mod.Version
			continue
		default:
			res.Changes = append(res.Changes, Change{Module: m, Old: req.Mod.Version, New: pin, Reason: r.raiseReason(m, req.Mod.Version, needs)})
			if err := f.AddRequire(m, pin); err != nil {
				return nil, err
			}
		}
		chosen[m] = pin
	}
	if err := r.raiseSelected(f, chosen, needs, res); err != nil {
		return nil, err
	}
	if len(res.Changes) == 0 {
		return res, nil
	}
	if goLine, by := r.goLineOf(chosen); version.Compare("go"+res.OldGo, "go"+goLine) < 0 {
		res.NewGo = goLine
		res.Changes = append(res.Changes, Change{Old: res.OldGo, New: goLine, Reason: "needed by " + by})
		if err := checkPruning(f, filename, res.OldGo, goLine, by); err != nil {
			return nil, err
		}
		if err := f.AddGoStmt(goLine); err != nil {
			return nil, err
		}
	}
	if len(added) > 0 {
		reqs := make([]*modfile.Require, 0, len(f.Require)+len(added))
		for _, req := range f.Require {
			reqs = append(reqs, &modfile.Require{Mod: req.Mod, Indirect: req.Indirect})
		}
		// As the go command lays them out: direct requirements in one
		// block, indirect ones in the next.
		f.SetRequireSeparateIndirect(append(reqs, added...))
	}
	f.SortBlocks()
	f.Cleanup()
	if res.GoMod, err = f.Format(); err != nil {
		return nil, err
	}
	return res, nil
}

// raiseSelected raises the user's other requirements that the new module
// graph selects at a higher version (a pin of golang.org/x/net that gRPC's
// go.mod asks more of): go.mod must list what the build selects.
func (r *refData) raiseSelected(f *modfile.File, chosen map[string]string, needs Needs, res *Result) error {
	var roots []string
	for _, m := range needs.Modules {
		roots = append(roots, m+"@"+chosen[m])
	}
	reach := slices.Sorted(maps.Keys(r.reachable(roots)))
	for _, req := range slices.Clone(f.Require) {
		m, have := req.Mod.Path, req.Mod.Version
		if slices.Contains(needs.Modules, m) {
			continue
		}
		best, by := have, ""
		for _, from := range reach {
			for _, to := range r.requires[from] {
				if path, v, _ := strings.Cut(to, "@"); path == m && semver.Compare(v, best) > 0 {
					best, by = v, strings.Replace(from, "@", " ", 1)
				}
			}
		}
		if by == "" {
			continue
		}
		res.Changes = append(res.Changes, Change{Module: m, Old: have, New: best, Reason: fmt.Sprintf("needed by %s (requires %s)", by, best)})
		if err := f.AddRequire(m, best); err != nil {
			return err
		}
		chosen[m] = best
	}
	return nil
}

// reachable returns the module versions reachable from roots in the
// reference module graph, roots included.
func (r *refData) reachable(roots []string) map[string]bool {
	reach := map[string]bool{}
	var walk func(string)
	walk = func(mv string) {
		if reach[mv] {
			return
		}
		reach[mv] = true
		for _, to := range r.requires[mv] {
			walk(to)
		}
	}
	for _, mv := range roots {
		walk(mv)
	}
	return reach
}

// raiseReason says why a user's pin of m at have is raised to the reference.
func (r *refData) raiseReason(m, have string, needs Needs) string {
	pin := r.version[m]
	if slices.Contains(needs.Direct, m) {
		for _, min := range minimums {
			switch {
			case min.module != m:
			case semver.Compare(have, min.version) < 0:
				return fmt.Sprintf("the generated code is verified with %s and newer", min.version)
			default:
				return fmt.Sprintf("the generated code imports %s, which needs %s", min.needingPin(needs.Imports), pin)
			}
		}
		return "the generated code is verified with " + pin
	}
	// An indirect requirement: name the module whose go.mod asks for more.
	best, by := "", ""
	for _, n := range needs.Modules {
		from := n + "@" + r.version[n]
		for _, to := range r.requires[from] {
			path, v, _ := strings.Cut(to, "@")
			if path == m && semver.Compare(v, have) > 0 && semver.Compare(v, best) > 0 {
				best, by = v, fmt.Sprintf("needed by %s %s (requires %s)", n, r.version[n], v)
			}
		}
	}
	if by == "" {
		return "the generated code's dependencies are verified with " + pin
	}
	return by
}

// goLineOf returns the highest go line of the chosen module versions that
// kitforge knows, and which modules ask for it ("X v1" or "X v1 and 3 more").
func (r *refData) goLineOf(chosen map[string]string) (goLine, by string) {
	var who []string
	for _, m := range sortedKeys(boolKeys(chosen)) {
		g := r.goLine[m+"@"+chosen[m]]
		if g == "" {
			continue
		}
		switch c := version.Compare("go"+g, "go"+goLine); {
		case goLine == "" || c > 0:
			goLine, who = g, []string{m + " " + chosen[m]}
		case c == 0:
			who = append(who, m+" "+chosen[m])
		}
	}
	if goLine == "" {
		return "1.16", ""
	}
	by = who[0]
	if len(who) > 1 {
		by += fmt.Sprintf(" and %d more", len(who)-1)
	}
	return goLine, by
}

func boolKeys(m map[string]string) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// SumLines returns the reference checksums the needed modules' builds and
// module graphs use: every go.sum line of a module version reachable from
// them in the reference graph.
func SumLines(needs Needs) []string {
	r := loadRef()
	var roots []string
	for _, m := range needs.Modules {
		roots = append(roots, m+"@"+r.version[m])
	}
	reach := r.reachable(roots)
	var out []string
	for _, l := range lines(string(refSum)) {
		f := strings.Fields(l)
		if len(f) == 3 && reach[f[0]+"@"+strings.TrimSuffix(f[1], "/go.mod")] {
			out = append(out, l)
		}
	}
	return out
}

// EditSum adds lines to an existing go.sum, keeping it sorted as the go
// command writes it; it returns gosum itself when nothing is missing.
func EditSum(gosum []byte, add []string) []byte {
	have := lines(string(gosum))
	if len(have) == 1 && have[0] == "" {
		have = nil
	}
	n := len(have)
	known := map[string]bool{}
	for _, l := range have {
		known[l] = true
	}
	for _, l := range add {
		if !known[l] {
			known[l] = true
			have = append(have, l)
		}
	}
	if len(have) == n {
		return gosum
	}
	slices.Sort(have)
	return []byte(strings.Join(have, "\n") + "\n")
}

// checkPruning refuses to raise a go line older than 1.17 when the module
// has requirements: from go 1.17 on, go.mod must list every module that
// provides a package of the build, and only the go command knows the ones
// the user's code brings.
func checkPruning(f *modfile.File, filename, oldGo, newGo, by string) error {
	if version.Compare("go"+oldGo, "go1.17") >= 0 || len(f.Require) == 0 {
		return nil
	}
	pos := model.Pos{File: filename, Line: 1, Col: 1}
	if f.Go != nil {
		pos.Line, pos.Col = f.Go.Syntax.Start.Line, f.Go.Syntax.Start.LineRune
	}
	return model.Errorf(pos, fmt.Sprintf("run `go mod tidy -go=%s`, then generate again", newGo),
		"the generated code needs go %s (needed by %s), and from go 1.17 on go.mod lists every module the build uses: "+
			"the modules %s needs are not listed yet", newGo, by, f.Require[0].Mod.Path)
}
