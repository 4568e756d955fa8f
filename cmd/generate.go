package cmd

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kitforge/kitforge/generator"
	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
)

// optionFlags are the flags that override kitforge.yaml.
type optionFlags struct {
	name, iface, out string
	transports       []string
	middleware       []string
	discovery        string
	istio            string
}

func (f *optionFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.name, "name", "", "service `NAME` (package prefix, binary, metrics namespace)")
	cmd.Flags().StringVar(&f.iface, "interface", "", "service interface `NAME` (default: the one marked //kitforge:service, or the only exported one)")
	cmd.Flags().StringVar(&f.out, "out", "", "`DIR` for the generated <name>endpoint, <name>transport and <name>server packages (default: beside the interface's package)")
	cmd.Flags().StringSliceVar(&f.transports, "transport", nil, "transports to generate: "+strings.Join(config.Transports, ", ")+" (default http; .proto services: any of "+strings.Join(config.ProtoTransports, ", ")+", default http,grpc)")
	cmd.Flags().StringSliceVar(&f.middleware, "middleware", nil, "endpoint middlewares to generate, for Go-interface and .proto services (their unary rpcs): "+strings.Join(config.Middlewares, ", ")+` (default none; "" for none)`)
	cmd.Flags().StringVar(&f.istio, "istio", "", "Istio resources beside the Kubernetes manifests: "+strings.Join(config.IstioModes, ", ")+" (the mTLS mode; default none)")
	cmd.Flags().StringVar(&f.discovery, "discovery", "", "service registry the server registers with and the <name>client packages discover from (Go-interface and .proto services): "+strings.Join(config.Discoveries, ", ")+" (default none)")
}

// apply copies the flags the user set onto opts.
func (f *optionFlags) apply(cmd *cobra.Command, opts *config.Options) error {
	if cmd.Flags().Changed("name") {
		opts.Name = f.name
	}
	if cmd.Flags().Changed("interface") {
		opts.Interface = f.iface
	}
	if cmd.Flags().Changed("out") {
		opts.Out = f.out
	}
	if cmd.Flags().Changed("transport") {
		for _, t := range f.transports {
			known := false
			for _, k := range config.Transports {
				known = known || k == t
			}
			if !known {
				return usageError{fmt.Errorf("--transport: unknown transport %q (known: %s)", t, strings.Join(config.Transports, ", "))}
			}
		}
		opts.Transports = f.transports
	}
	if cmd.Flags().Changed("middleware") {
		opts.Middleware = nil
		for _, m := range f.middleware {
			if m == "" {
				continue
			}
			if !slices.Contains(config.Middlewares, m) {
				return usageError{fmt.Errorf("--middleware: unknown middleware %q (known: %s)", m, strings.Join(config.Middlewares, ", "))}
			}
			opts.Middleware = append(opts.Middleware, m)
		}
	}
	if cmd.Flags().Changed("istio") {
		if !slices.Contains(config.IstioModes, f.istio) {
			return usageError{fmt.Errorf("--istio: unknown mode %q (known: %s)", f.istio, strings.Join(config.IstioModes, ", "))}
		}
		opts.Istio = f.istio
	}
	if cmd.Flags().Changed("discovery") {
		d, ok := config.ParseDiscovery(f.discovery)
		if !ok {
			return usageError{fmt.Errorf("--discovery: unknown registry %q (known: %s)", f.discovery, strings.Join(config.Discoveries, ", "))}
		}
		opts.Discovery = d
	}
	return opts.Validate("--flags", nil)
}

func newGenerateCmd(e *env) *cobra.Command {
	var (
		flags                 optionFlags
		pflags                protoFlags
		check, dryRun, asJSON bool
		services              []string
	)
	cmd := &cobra.Command{
		Use:   "generate [PACKAGE_PATTERN]",
		Short: "Generate or regenerate the services of kitforge.yaml (all, or --service NAME)",
		Long: `generate loads the package that declares the service interface (with full
type information), then writes every generated file and merges new method
stubs into your implementation. Options come from kitforge.yaml (found in
this directory or a parent inside the module); flags override them and are
recorded there, so 'go generate ./...' needs no flags. With a services list
in kitforge.yaml (kitforge add), it generates every service, or the ones
--service or a package pattern name.

It prints one line per file: created, updated, unchanged, merged, deleted
(a stale generated file) or kept (a file you own). A rerun with nothing
changed writes no file. On any error nothing is written.

  kitforge generate                     use kitforge.yaml (every service it lists)
  kitforge generate --service orders    one service of a module with several
  kitforge generate ./pkg/calcservice   first run in an existing module
  kitforge generate --check             exit 1 with a diff if anything is stale (CI)
  kitforge generate --dry-run           print what would change, write nothing
  kitforge generate --proto api/v1/x.proto -I api
                                        generate the services of a .proto file`,
		Args: rangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if check && dryRun {
				return usageError{fmt.Errorf("--check and --dry-run exclude each other")}
			}
			if err := recoverInterrupted(e, check || dryRun); err != nil {
				return err
			}
			mc, err := loadModule(e.dir, args, services)
			if err != nil {
				return err
			}
			if err := applyFlags(cmd, &mc, &flags, &pflags, e.dir); err != nil {
				return err
			}
			res, err := generator.GenerateModule(cmd.Context(), mc)
			if err != nil {
				return err
			}
			return applyPlan(cmd, e, res, planMode{check: check, dryRun: dryRun, asJSON: asJSON})
		},
	}
	flags.register(cmd)
	pflags.register(cmd)
	cmd.Flags().StringSliceVar(&services, "service", nil, "regenerate only the service `NAME` of kitforge.yaml (repeatable; default: every service)")
	cmd.Flags().BoolVar(&check, "check", false, "write nothing; exit 1 and print a unified diff if any file would change")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "write nothing; print the diff and what would happen to each file")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the per-file plan as JSON")
	return cmd
}

// planMode says what applyPlan does with a plan besides printing it.
type planMode struct {
	// check writes nothing and fails when a file would change; dryRun
	// writes nothing; asJSON prints the plan as JSON.
	check, dryRun, asJSON bool
}

// applyPlan resolves res's plan against the disk, passes it through the
// gate when it writes anything, and applies it (or, for --check and
// --dry-run, prints what would change).
func applyPlan(cmd *cobra.Command, e *env, res *generator.Result, m planMode) error {
	changes, err := res.Plan.Resolve()
	if err != nil {
		return err
	}
	printNotes(e.stderr, newsOnly(res.Notes, changes, m.check))
	pending := plan.Pending(changes)
	if !m.check && len(pending) > 0 {
		// The gate: a plan that would not build is refused, and a
		// dry run says so as generate would.
		if err := generator.CheckBuilds(cmd.Context(), res, changes); err != nil {
			return err
		}
	}
	switch {
	case m.asJSON:
		out, err := plan.SummaryJSON(changes)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, string(out))
	case m.check || m.dryRun:
		fmt.Fprint(e.stdout, plan.Diff(changes))
	}
	if m.check {
		if len(pending) > 0 {
			fmt.Fprintf(e.stderr, "kitforge: %d file(s) out of date; run 'kitforge generate'\n", len(pending))
			return silentError{exitUser}
		}
		if !m.asJSON {
			fmt.Fprintln(e.stderr, "kitforge: up to date")
		}
		return nil
	}
	if m.dryRun {
		if !m.asJSON {
			fmt.Fprint(e.stdout, plan.Summary(changes))
		}
		return nil
	}
	if err := plan.Apply(res.Plan.Root, changes); err != nil {
		return err
	}
	if !m.asJSON {
		fmt.Fprint(e.stdout, plan.Summary(changes))
		if len(pending) == 0 {
			fmt.Fprintln(e.stdout, "nothing to do: every file is up to date")
		}
	}
	return nil
}

// sameService refuses a package pattern that names another package than
// the service kitforge.yaml records: generating it would rewrite that
// service's generated packages for another interface (and orphan the
// first), which is how a second service in a module used to break the
// first one's build.
func sameService(opts config.Options, pattern, cfgPath string) error {
	if opts.Package == "" || len(opts.Proto) > 0 || path.Clean(pattern) == path.Clean(opts.Package) {
		return nil
	}
	return model.Errorf(model.Pos{File: cfgPath},
		fmt.Sprintf("run 'kitforge generate' with no package to regenerate %s; if the service's interface moved to %s, change package: in %s first; to add it as a second service of the module, run 'kitforge add NAME --package %s'", opts.Package, pattern, cfgPath, pattern),
		"%s describes the service of package %s, not %s: generating %s here would take over that service's generated files", cfgPath, opts.Package, pattern, pattern)
}

// relPattern rewrites a relative package pattern given in dir so that it is
// relative to base instead; import paths are returned as they are.
func relPattern(base, dir, pattern string) string {
	if pattern != "." && !strings.HasPrefix(pattern, "./") && !strings.HasPrefix(pattern, "../") {
		return pattern
	}
	rel, err := filepath.Rel(base, filepath.Join(dir, pattern))
	if err != nil {
		return pattern
	}
	rel = filepath.ToSlash(rel)
	if rel == "." {
		return "."
	}
	return "./" + rel
}

// displayPath shows p relative to dir when that is shorter.
func displayPath(dir, p string) string {
	if rel, err := filepath.Rel(dir, p); err == nil && len(rel) < len(p) {
		return rel
	}
	return p
}
