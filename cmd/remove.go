package cmd

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kitforge/kitforge/generator"
	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/model"
)

func newRemoveCmd(e *env) *cobra.Command {
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a service from the module: its generated files go, yours stay",
		Long: `remove takes the service NAME out of kitforge.yaml's services list and
regenerates the module: the service's generated files are deleted, its
service_impl.go and cmd/NAME/main.go are kept with a //go:build ignore line on
top (they used the deleted packages), and the system files no longer list it.
A service that others call is refused until their calls: no longer name it.

  kitforge remove orders
  kitforge remove orders --dry-run`,
		Args: rangeArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := recoverInterrupted(e, dryRun); err != nil {
				return err
			}
			name := args[0]
			p, display, m, err := existingModule(e.dir, "run it in a module kitforge generates")
			if err != nil {
				return err
			}
			i := slices.IndexFunc(m.Services, func(o config.Options) bool { return o.Name == name })
			switch {
			case i < 0:
				return model.Errorf(model.Pos{File: display}, "known services: "+strings.Join(serviceNames(m), ", "), "%s has no service %q", display, name)
			case len(m.Services) == 1:
				return model.Errorf(model.Pos{File: display}, "a module keeps at least one service; delete kitforge.yaml and the generated packages yourself to stop using kitforge",
					"%s is the module's only service", name)
			}
			for _, o := range m.Services {
				if slices.Contains(o.Calls, name) {
					return model.Errorf(model.Pos{File: display}, "remove "+name+" from "+o.Name+"'s calls: (and its use in "+o.Name+"'s New and main.go) first",
						"service %s calls %s", o.Name, name)
				}
			}
			m.Services = slices.Delete(m.Services, i, i+1)
			res, err := generator.GenerateModule(cmd.Context(), generator.ModuleConfig{Dir: filepath.Dir(p), Module: m})
			if err != nil {
				return err
			}
			return applyPlan(cmd, e, res, planMode{dryRun: dryRun, asJSON: asJSON})
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "write nothing; print the diff and what would happen to each file")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the per-file plan as JSON")
	return cmd
}
