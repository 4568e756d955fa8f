package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/kitforge/kitforge/generator"
	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/gokit"
	genservice "github.com/kitforge/kitforge/generator/gokit/service"
	"github.com/kitforge/kitforge/generator/model"
)

func newAddCmd(e *env) *cobra.Command {
	var (
		flags  optionFlags
		pflags protoFlags
		pkg    string
		calls  []string
		dryRun bool
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a service to the module: from a Go interface or .proto files",
		Long: `add adds the service NAME to the module of kitforge.yaml and generates it:
its packages, cmd/NAME, deploy/NAME (Dockerfile, Kubernetes manifests), and
the system files every service shares (docker-compose.yaml, the Kubernetes
kustomization, the README's table of services). kitforge.yaml becomes a list
of services (the first one's options unchanged); 'kitforge generate' then
regenerates them all, 'kitforge generate --service NAME' one.

Without --package or --proto, add writes an example interface into
pkg/NAMEservice/service.go. --calls names services this one calls: its New
takes their generated clients, main.go dials them (by static address or the
callee's registry), and the system files wire the addresses.

  kitforge add orders --calls users
  kitforge add billing --package ./internal/billing
  kitforge add catalog --proto api/catalog/v1/catalog.proto --calls users`,
		Args: rangeArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("name") {
				return usageError{errors.New("add takes the service's name as its argument, not --name")}
			}
			if err := recoverInterrupted(e, dryRun); err != nil {
				return err
			}
			name := args[0]
			if err := (config.Options{Name: name}).Validate("NAME", nil); err != nil {
				return err
			}
			p, display, m, err := existingModule(e.dir, "add extends a module kitforge generates: start one with 'kitforge new NAME', or generate its first service with 'kitforge generate ./PACKAGE'")
			if err != nil {
				return err
			}
			if _, ok := m.Service(name); ok {
				return model.Errorf(model.Pos{File: display}, "pick another name, or regenerate it with 'kitforge generate --service "+name+"'",
					"%s already has a service %q", display, name)
			}
			base := filepath.Dir(p)
			o := config.Options{Name: name, Calls: calls}
			if err := pflags.apply(cmd, &o, base, e.dir); err != nil {
				return err
			}
			if err := flags.apply(cmd, &o); err != nil {
				return err
			}
			var created []string
			defer func() {
				// A failed add leaves nothing behind: only what it wrote goes.
				for _, c := range slices.Backward(created) {
					_ = os.Remove(c)
				}
			}()
			if len(o.Proto) == 0 {
				if pkg != "" {
					o.Package = relPattern(base, e.dir, pkg)
				} else {
					o.Package = "./pkg/" + name + "service"
					files, err := writeExample(filepath.Join(base, "pkg", name+"service"), name)
					created = files
					if err != nil {
						return err
					}
				}
			}
			m.List = true
			m.Services = append(m.Services, o)
			// The file as it will be written must read back: names, calls.
			if m, err = config.ParseModule(m.Marshal(), display); err != nil {
				return err
			}
			res, err := generator.GenerateModule(cmd.Context(), generator.ModuleConfig{Dir: base, Module: m, New: []string{name}})
			if err != nil {
				return err
			}
			if err := applyPlan(cmd, e, res, planMode{dryRun: dryRun, asJSON: asJSON}); err != nil {
				return err
			}
			if !dryRun && !asJSON {
				for _, c := range created {
					if rel, err := filepath.Rel(base, c); err == nil && filepath.Ext(c) == ".go" {
						fmt.Fprintf(e.stdout, "created    %s (the example interface: make it yours)\n", filepath.ToSlash(rel))
					}
				}
			}
			if !dryRun {
				created = nil
			}
			noteUnmarkedCompose(e, base)
			return nil
		},
	}
	flags.register(cmd)
	pflags.register(cmd)
	cmd.Flags().StringVar(&pkg, "package", "", "add the existing Go `PACKAGE` that declares the service interface, instead of writing an example one")
	cmd.Flags().StringSliceVar(&calls, "calls", nil, "services of the module this one calls through their generated clients (`NAME`s)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "write nothing; print the diff and what would happen to each file")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the per-file plan as JSON")
	return cmd
}

// writeExample writes the example interface of a new service into dir,
// without a //go:generate line (generate_gen.go carries the service's
// own). It refuses a dir that already has Go files, and returns what it
// created, the directory last, for a failed add to remove.
func writeExample(dir, name string) ([]string, error) {
	var created []string
	if matches, _ := filepath.Glob(filepath.Join(dir, "*.go")); len(matches) > 0 {
		return nil, model.Errorf(model.Pos{File: matches[0]}, "add it as it is with --package ./"+filepath.ToSlash(filepath.Join("pkg", name+"service")),
			"%s already has Go files: add writes its example interface only into a new package", dir)
	}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		created = append(created, dir)
	}
	src := genservice.ExampleInterface(name, gokit.Pkg{Name: name + "service"})
	src = bytes.Replace(src, []byte(genservice.GoGenerateDirective+"\n\n"), nil, 1)
	file := filepath.Join(dir, "service.go")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		return created, err
	}
	return append(created, file), nil
}

// noteUnmarkedCompose says when the module's docker-compose.yaml predates
// the markers kitforge keeps the system's services between: the new
// service is not in it.
func noteUnmarkedCompose(e *env, base string) {
	src, err := os.ReadFile(filepath.Join(base, "docker-compose.yaml"))
	if err != nil || bytes.Contains(src, []byte("# kitforge:services:start")) {
		return
	}
	fmt.Fprintln(e.stderr, "kitforge: docker-compose.yaml has no kitforge:services markers, so kitforge leaves it as it is: add the new service by hand, or delete the file to have kitforge write the system's")
}
