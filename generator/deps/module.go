package deps

import (
	"errors"
	"fmt"
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/kitforge/kitforge/generator/model"
)

// CheckWorkspace refuses an edit that raises the go line of the module at
// modRoot above the go line of the go.work that uses it: every go command in
// the workspace would fail ("go.work lists go 1.22"). kitforge writes only
// inside the module, so it names the command that raises the workspace's.
func CheckWorkspace(modRoot string, res *Result) error {
	if res.NewGo == res.OldGo {
		return nil
	}
	path, err := goWork(modRoot)
	if path == "" || err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	wf, err := modfile.ParseWork(path, data, nil)
	if err != nil || !uses(wf, filepath.Dir(path), modRoot) {
		return nil // the go command reports a broken or unrelated go.work itself
	}
	workGo, pos := "1.18", model.Pos{File: path, Line: 1, Col: 1}
	if wf.Go != nil {
		workGo = wf.Go.Version
		pos.Line, pos.Col = wf.Go.Syntax.Start.Line, wf.Go.Syntax.Start.LineRune
	}
	if version.Compare("go"+workGo, "go"+res.NewGo) >= 0 {
		return nil
	}
	return model.Errorf(pos,
		fmt.Sprintf("run `go work edit -go=%s` in %s, then generate again", res.NewGo, filepath.Dir(path)),
		"the workspace lists go %s, and generating raises the module's go line to %s (%s): the go command refuses a module newer than its go.work",
		workGo, res.NewGo, goChange(res))
}

// goChange returns the go line's change, as told to the user.
func goChange(res *Result) string {
	for _, c := range res.Changes {
		if c.Module == "" {
			return c.String()
		}
	}
	return ""
}

// goWork returns the go.work file the go command uses for modRoot, or "".
func goWork(modRoot string) (string, error) {
	switch env := os.Getenv("GOWORK"); env {
	case "off":
		return "", nil
	case "":
	default:
		return env, nil
	}
	for d := modRoot; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "go.work")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if filepath.Dir(d) == d {
			return "", nil
		}
	}
}

// uses reports whether the workspace in dir uses the module at modRoot.
func uses(wf *modfile.WorkFile, dir, modRoot string) bool {
	for _, u := range wf.Use {
		p := u.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		if filepath.Clean(p) == filepath.Clean(modRoot) {
			return true
		}
	}
	return false
}

// CheckVendor refuses an edit that would leave vendor/ inconsistent: the go
// command builds a module with a vendor directory (and go ≥ 1.14) from
// vendor/ alone, so a changed go.mod, or an import vendor/ does not hold,
// breaks every build until `go mod vendor`. kitforge does not write vendor/
// (a copy of the module cache, not code it plans); it names the commands.
func CheckVendor(modRoot string, res *Result, needs Needs) error {
	if !vendoring(modRoot, res.OldGo) {
		return nil
	}
	vendored := vendoredPackages(modRoot)
	var why string
	switch {
	case len(res.Changes) > 0:
		changes := make([]string, len(res.Changes))
		for i, c := range res.Changes {
			changes[i] = c.String()
		}
		why = "go.mod needs " + strings.Join(changes, "; ")
	default:
		for _, imp := range needs.Imports {
			if !vendored[imp] {
				why = "vendor/ does not hold " + imp
				break
			}
		}
	}
	if why == "" {
		return nil
	}
	return model.Errorf(model.Pos{File: filepath.Join(modRoot, "vendor", "modules.txt"), Line: 1, Col: 1},
		"move vendor/ aside, generate, then vendor again: `rm -r vendor`, this kitforge command again, then `go mod vendor`",
		"this module builds from vendor/, which kitforge does not write, and the generated code would leave it inconsistent: %s", why)
}

// vendoring reports whether the go command builds the module from vendor/.
func vendoring(modRoot, goLine string) bool {
	if fi, err := os.Stat(filepath.Join(modRoot, "vendor")); err != nil || !fi.IsDir() {
		return false
	}
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		if strings.HasPrefix(f, "-mod=") {
			return f == "-mod=vendor"
		}
	}
	return version.Compare("go"+goLine, "go1.14") >= 0
}

// vendoredPackages lists the packages of vendor/modules.txt.
func vendoredPackages(modRoot string) map[string]bool {
	data, _ := os.ReadFile(filepath.Join(modRoot, "vendor", "modules.txt"))
	out := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			out[strings.TrimSpace(l)] = true
		}
	}
	return out
}
