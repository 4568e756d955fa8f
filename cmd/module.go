package cmd

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kitforge/kitforge/generator"
	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/model"
)

// loadModule finds kitforge.yaml from dir upwards and says which of its
// services to generate: those named by --service (names), or the one whose
// package the pattern (args) names, or all. Without kitforge.yaml, the
// module root becomes its home and the package pattern is made relative
// to it: a first run.
func loadModule(dir string, args, names []string) (generator.ModuleConfig, error) {
	p := config.Find(dir)
	if p == "" {
		root := moduleRoot(dir)
		if root == "" {
			return generator.ModuleConfig{}, model.Errorf(model.Pos{File: dir}, "run 'go mod init MODULE' first, or 'kitforge new NAME' to start a service",
				"not inside a Go module: no go.mod here or in a parent directory")
		}
		if len(names) > 0 {
			return generator.ModuleConfig{}, usageError{fmt.Errorf("--service: there is no kitforge.yaml yet; run 'kitforge generate ./PACKAGE' first")}
		}
		pattern := "."
		if len(args) == 1 {
			pattern = args[0]
		}
		return generator.ModuleConfig{
			Dir:      root,
			Module:   config.Module{Services: []config.Options{{Package: relPattern(root, dir, pattern)}}},
			FirstRun: true,
		}, nil
	}
	display := displayPath(dir, p)
	m, err := config.LoadModule(p, display)
	if err != nil {
		return generator.ModuleConfig{}, err
	}
	mc := generator.ModuleConfig{Dir: filepath.Dir(p), Module: m}
	for _, n := range names {
		if _, ok := m.Service(n); !ok && !(!m.List && m.Services[0].Name == "") {
			return mc, model.Errorf(model.Pos{File: display}, "known services: "+strings.Join(serviceNames(m), ", ")+"; a service removed from the file loses its //go:generate line with its generated files",
				"%s has no service %q", display, n)
		}
	}
	mc.Only = names
	if len(args) == 0 {
		return mc, nil
	}
	pattern := relPattern(mc.Dir, dir, args[0])
	if !m.List {
		if err := sameService(m.Services[0], pattern, display); err != nil {
			return mc, err
		}
		mc.Module.Services[0].Package = pattern
		return mc, nil
	}
	for _, o := range m.Services {
		if inPattern(o, pattern) {
			mc.Only = append(mc.Only, o.Name)
		}
	}
	if len(mc.Only) == 0 {
		return mc, model.Errorf(model.Pos{File: display}, "run 'kitforge add NAME' to add a service, or name one of "+strings.Join(serviceNames(m), ", ")+" with --service",
			"no service of %s is in %s", display, args[0])
	}
	return mc, nil
}

// existingModule finds and loads the kitforge.yaml that dir is under, for a
// command that changes a module kitforge already generates (add, remove);
// hint says what to do without one.
func existingModule(dir, hint string) (path, display string, m config.Module, err error) {
	path = config.Find(dir)
	if path == "" {
		return "", "", m, model.Errorf(model.Pos{File: dir}, hint, "no %s here or in a parent directory inside the module", config.FileName)
	}
	display = displayPath(dir, path)
	m, err = config.LoadModule(path, display)
	return path, display, m, err
}

// inPattern reports whether the service o is declared in the packages the
// pattern names ("./pkg/orders", "./pkg/...", an import path is compared
// as given): its Go package, or one of its .proto files.
func inPattern(o config.Options, pattern string) bool {
	dir, all := strings.CutSuffix(pattern, "/...")
	dir = path.Clean(dir)
	in := func(p string) bool {
		p = path.Clean(p)
		return p == dir || all && (dir == "." || strings.HasPrefix(p, dir+"/"))
	}
	if o.Package != "" && in(o.Package) {
		return true
	}
	for _, f := range o.Proto {
		if in("./"+path.Dir(f)) || in(path.Dir(f)) {
			return true
		}
	}
	return false
}

// serviceNames lists the names of m's services.
func serviceNames(m config.Module) []string {
	var out []string
	for _, o := range m.Services {
		out = append(out, o.Name)
	}
	return out
}

// applyFlags copies the option flags the user set onto the one service
// they are for: the module's only service, or the one selected.
func applyFlags(cmd *cobra.Command, mc *generator.ModuleConfig, flags *optionFlags, pflags *protoFlags, dir string) error {
	set := false
	cmd.Flags().Visit(func(f *pflag.Flag) {
		set = set || slices.Contains(optionFlagNames, f.Name)
	})
	i := 0
	if mc.Module.List {
		if !set {
			return nil
		}
		if len(mc.Only) != 1 {
			return usageError{fmt.Errorf("this module has several services: name the one the option flags are for with --service NAME")}
		}
		i = slices.IndexFunc(mc.Module.Services, func(o config.Options) bool { return o.Name == mc.Only[0] })
	}
	opts := &mc.Module.Services[i]
	if err := flags.apply(cmd, opts); err != nil {
		return err
	}
	return pflags.apply(cmd, opts, mc.Dir, dir)
}

// optionFlagNames are the flags that change a service's options.
var optionFlagNames = []string{"name", "interface", "out", "transport", "middleware", "discovery", "istio", "proto", "proto-path", "go-package"}
