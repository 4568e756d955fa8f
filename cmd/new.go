package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/kitforge/kitforge/generator"
	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/deps"
	"github.com/kitforge/kitforge/generator/gokit"
	genservice "github.com/kitforge/kitforge/generator/gokit/service"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
)

var serviceNameRE = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

func newNewCmd(e *env) *cobra.Command {
	var (
		flags   optionFlags
		pflags  protoFlags
		module  string
		dir     string
		example string
	)
	cmd := &cobra.Command{
		Use:   "new NAME",
		Short: "Start a new Go kit service module in ./NAME",
		Long: `new writes a Go module with an example service interface (pkg/NAMEservice),
pins the Go kit dependencies in go.mod and go.sum, records the options in
kitforge.yaml and generates the service. Right after it:

  cd NAME && go build ./... && go run ./cmd/NAME

serves the example on :8080 (-http-addr or HTTP_ADDR to change). Nothing is
written if anything fails, and a target that is a file, a symbolic link or a
non-empty directory is refused.

With --proto FILE (and -I DIR as for protoc) the services of the .proto file
are generated instead: the file and the local files it imports are copied
under proto/, and the service answers gRPC on :8081 and HTTP/JSON as its
google.api.http annotations say; --transport chooses any of http, grpc, nats
and amqp instead (NATS and AMQP: protobuf messages on <package>.<Service>.<Rpc>,
a subject or a queue). With
--discovery REGISTRY the server registers with the registry and each service
of the file gets a load-balancing gRPC client, pkg/SERVICEclient.`,
		Args: rangeArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if !serviceNameRE.MatchString(name) {
				return usageError{fmt.Errorf("service name %q: use lower-case letters and digits, starting with a letter (e.g. calc)", name)}
			}
			if module == "" {
				module = name
			}
			target := dir
			if target == "" {
				target = name
			}
			if !filepath.IsAbs(target) {
				target = filepath.Join(e.dir, target)
			}
			if err := checkNewTarget(target); err != nil {
				return err
			}
			opts := config.Options{
				Name:       name,
				Package:    "./pkg/" + name + "service",
				Interface:  "Service",
				Out:        "pkg",
				Transports: []string{"http"},
			}
			var protos *protoCopies
			if pflags.set(cmd) {
				if !cmd.Flags().Changed("proto") {
					return usageError{fmt.Errorf("-I and --go-package go with --proto FILE")}
				}
				var err error
				if protos, err = pflags.copyForNew(cmd, e.dir, &opts); err != nil {
					return err
				}
			}
			// After copyForNew: --transport overrides the transports of a proto
			// service too, and is checked knowing that it is one.
			if err := flags.apply(cmd, &opts); err != nil {
				return err
			}
			if example != "" && example != "system" {
				return usageError{fmt.Errorf("--example: unknown example %q (known: system)", example)}
			}
			if example != "" && protos != nil {
				return usageError{fmt.Errorf("--example system is two Go-interface services: it does not go with --proto")}
			}
			changes, err := scaffoldModule(cmd, target, module, opts, protos, example)
			if err != nil {
				return err
			}
			fmt.Fprint(e.stdout, plan.Summary(changes))
			rel, _ := filepath.Rel(e.dir, target)
			if protos != nil {
				fmt.Fprintf(e.stdout, "\nNext:\n  cd %s\n  go run ./cmd/%s\n", rel, name)
				if opts.Has("grpc") {
					fmt.Fprintln(e.stdout, "  grpcurl -plaintext localhost:8081 list")
				}
				return nil
			}
			if example == "system" {
				fmt.Fprintf(e.stdout, "\nNext:\n  cd %s\n  go run ./cmd/users &\n  go run ./cmd/%s -http-addr :8090 -users-addr localhost:8080 &\n  curl -s localhost:8090/greet/ada\n", rel, name)
				return nil
			}
			fmt.Fprintf(e.stdout, "\nNext:\n  cd %s\n  go run ./cmd/%s\n  curl -s -X POST localhost:8080/sum -H 'Content-Type: application/json' -d '{\"a\":1,\"b\":2}'\n", rel, name)
			if opts.Has("grpc") {
				fmt.Fprintf(e.stdout, "  grpcurl -plaintext -d '{\"a\":1,\"b\":2}' localhost:8081 %s.%s/Sum\n", name, model.Exported(name))
			}
			return nil
		},
	}
	flags.register(cmd)
	pflags.register(cmd)
	cmd.Flags().StringVar(&module, "module", "", "module `PATH` for go.mod (default: NAME)")
	cmd.Flags().StringVar(&dir, "dir", "", "`DIR` to create the module in (default: ./NAME)")
	cmd.Flags().StringVar(&example, "example", "", "`system`: two services, NAME calling users through its generated client, both implemented (default: NAME alone)")
	return cmd
}

// scaffoldModule builds the whole module in a temporary sibling directory
// and renames it into place only when everything succeeded, so a failed
// `new` leaves nothing behind.
//
// protos, when not nil, are the .proto files of a proto-first service,
// written instead of the example interface.
func scaffoldModule(cmd *cobra.Command, target, module string, opts config.Options, protos *protoCopies, example string) ([]*plan.Change, error) {
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	clearInterruptedNew(cmd.ErrOrStderr(), parent, filepath.Base(target))
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(target)+".kitforge-")
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(tmp)
		}
	}()
	svcPkg := gokit.Pkg{Name: opts.Name + "service"}
	bootstrap := map[string][]byte{
		"go.mod": deps.GoMod(module),
		"go.sum": deps.GoSum(),
		filepath.Join("pkg", svcPkg.Name, "service.go"): genservice.ExampleInterface(opts.Name, svcPkg),
	}
	mc := generator.ModuleConfig{Dir: tmp, Module: config.Module{Services: []config.Options{opts}}, FirstRun: true}
	switch {
	case protos != nil:
		delete(bootstrap, filepath.Join("pkg", svcPkg.Name, "service.go"))
		for p, content := range protos.files {
			bootstrap[p] = content
		}
	case example == "system":
		files, m := systemExample(opts.Name, module)
		for p, content := range files {
			bootstrap[p] = content
		}
		mc.Module, mc.New = m, []string{"users", opts.Name}
	}
	bootstrap[config.FileName] = mc.Module.Marshal()
	for rel, content := range bootstrap {
		p := filepath.Join(tmp, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			return nil, err
		}
	}
	res, err := generator.GenerateModule(cmd.Context(), mc)
	if err != nil {
		return nil, protos.userFiles(err, tmp)
	}
	printNotes(cmd.ErrOrStderr(), res.Notes)
	changes, err := res.Plan.Resolve()
	if err != nil {
		return nil, err
	}
	if err := generator.CheckBuilds(cmd.Context(), res, changes); err != nil {
		return nil, err
	}
	if err := plan.Apply(res.Plan.Root, changes); err != nil {
		return nil, err
	}
	if err := removeEmptyTarget(target); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, target); err != nil {
		return nil, err
	}
	ok = true
	// Report every file of the new module as created.
	var all []*plan.Change
	err = filepath.WalkDir(target, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(target, p)
		all = append(all, &plan.Change{Path: filepath.ToSlash(rel), Action: plan.Create})
		return nil
	})
	return all, err
}

// checkNewTarget refuses a target directory for `new` that is anything but
// missing or an empty directory: new never deletes or overwrites a file.
func checkNewTarget(target string) error {
	st, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	const hint = "choose another NAME, or --dir with a path that does not exist yet or is an empty directory"
	pos := model.Pos{File: target}
	switch {
	case st.Mode()&fs.ModeSymlink != 0:
		return model.Errorf(pos, hint, "is a symbolic link: kitforge new neither follows nor replaces one")
	case !st.IsDir():
		return model.Errorf(pos, hint, "is a file: kitforge new never replaces a file")
	}
	entries, err := os.ReadDir(target)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return model.Errorf(pos, hint+" (to add a service to an existing module, run kitforge generate in it)", "is a directory that is not empty: kitforge new never writes into one")
	}
	return nil
}

// removeEmptyTarget removes the empty directory that stands where the new
// module goes, and refuses anything else that appeared there meanwhile.
func removeEmptyTarget(target string) error {
	if err := checkNewTarget(target); err != nil {
		return err
	}
	if st, err := os.Lstat(target); err == nil && st.IsDir() {
		return os.Remove(target) // fails, and keeps it, unless it is empty
	}
	return nil
}
