package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
	"github.com/kitforge/kitforge/generator/protoparse"
)

// protoDir is where `kitforge new --proto` copies the .proto files.
const protoDir = "proto"

// protoFlags are the flags for .proto input, on new and generate.
type protoFlags struct {
	files, paths, goPackages []string
}

func (f *protoFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.files, "proto", nil, "generate the services of this .proto `FILE` instead of a Go interface (repeatable)")
	cmd.Flags().StringArrayVarP(&f.paths, "proto-path", "I", nil, "`DIR` that .proto imports are relative to, as protoc's -I (repeatable; default: the current directory)")
	cmd.Flags().StringArrayVar(&f.goPackages, "go-package", nil, "Go package `IMPORT_PATH[;NAME]` of the .proto files' messages, or FILE=IMPORT_PATH[;NAME] for one imported file (repeatable)")
}

// set reports whether any proto flag was given.
func (f *protoFlags) set(cmd *cobra.Command) bool {
	return cmd.Flags().Changed("proto") || cmd.Flags().Changed("proto-path") || cmd.Flags().Changed("go-package")
}

// apply copies the proto flags onto the options of `generate`: paths given
// relative to dir (where kitforge runs) become relative to base (the
// directory of kitforge.yaml), as kitforge.yaml records them.
func (f *protoFlags) apply(cmd *cobra.Command, opts *config.Options, base, dir string) error {
	if cmd.Flags().Changed("proto") {
		opts.Proto = rebaseAll(base, dir, f.files)
		opts.Package, opts.Interface = "", ""
	}
	if cmd.Flags().Changed("proto-path") {
		opts.ProtoPaths = rebaseAll(base, dir, f.paths)
	}
	if cmd.Flags().Changed("go-package") {
		opts.GoPackage = f.goPackages
	}
	if f.set(cmd) && len(opts.Proto) == 0 {
		return usageError{fmt.Errorf("-I and --go-package go with --proto FILE")}
	}
	return nil
}

// rebaseAll rewrites paths relative to dir as paths relative to base,
// slash-separated; paths outside base stay absolute.
func rebaseAll(base, dir string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(dir, p)
		}
		rel, err := filepath.Rel(base, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			out[i] = filepath.Clean(abs)
			continue
		}
		out[i] = filepath.ToSlash(rel)
	}
	return out
}

// protoCopies are the .proto files `kitforge new --proto` copies into the
// new module.
type protoCopies struct {
	// files are the contents by path in the module (proto/<import path>).
	files map[string][]byte
	// origin is the user's file each copy was read from, by the same path.
	origin map[string]string
}

// copyForNew reads the .proto files named by the flags (relative to dir)
// and the local files they import, and returns them keyed by their path in
// the new module, proto/<import path>, with opts set to generate from the
// copies: the module is then self-contained, and `generate` re-reads them
// from there.
func (f *protoFlags) copyForNew(cmd *cobra.Command, dir string, opts *config.Options) (*protoCopies, error) {
	files, err := protoparse.Discover(protoparse.Config{Dir: dir, Files: f.files, ImportPaths: f.paths})
	if err != nil {
		return nil, err
	}
	out := &protoCopies{files: map[string][]byte{}, origin: map[string]string{}}
	opts.Proto, opts.ProtoPaths = nil, []string{protoDir}
	for _, file := range files {
		content, err := os.ReadFile(file.Abs)
		if err != nil {
			return nil, err
		}
		rel := filepath.FromSlash(path.Join(protoDir, file.ImportPath))
		out.files[rel] = content
		out.origin[rel] = file.Abs
		if file.Root {
			opts.Proto = append(opts.Proto, filepath.ToSlash(rel))
		}
	}
	if cmd.Flags().Changed("go-package") {
		opts.GoPackage = f.goPackages
	}
	opts.Package, opts.Interface = "", ""
	opts.Transports = []string{"http", "grpc"}
	return out, nil
}

// userFiles makes an error about a copy, generated in the module being
// built in tmp, name the user's file it was copied from, which is the one
// to fix: the copy never exists when `new` fails.
func (c *protoCopies) userFiles(err error, tmp string) error {
	var me *model.Error
	if c == nil || !errors.As(err, &me) || me.Pos.File == "" {
		return err
	}
	rel := me.Pos.File
	if filepath.IsAbs(rel) {
		r, err := filepath.Rel(tmp, rel)
		if err != nil {
			return err
		}
		rel = r
	}
	origin, ok := c.origin[filepath.Clean(rel)]
	if !ok {
		return err
	}
	cp := *me
	cp.Pos.File = origin
	return &cp
}

// newsOnly drops the notes about a derived Go package of .proto messages
// unless this run creates a file in that package: the note is news when the
// package first appears, noise on every later run and under --check (check),
// which creates nothing.
func newsOnly(notes []string, changes []*plan.Change, check bool) []string {
	var out []string
	for _, n := range notes {
		if pkg, ok := protoparse.DerivedNotePackage(n); !ok || !check && createsIn(changes, pkg) {
			out = append(out, n)
		}
	}
	return out
}

// createsIn reports whether changes create a file in the directory of the
// Go package importPath (paths are relative to the module, or to a
// directory inside it, so the import path ends with the directory).
func createsIn(changes []*plan.Change, importPath string) bool {
	for _, c := range changes {
		if c.Action == plan.Create && strings.HasSuffix(importPath, "/"+path.Dir(c.Path)) {
			return true
		}
	}
	return false
}

// printNotes shows the generator's notes on stderr.
func printNotes(w io.Writer, notes []string) {
	for _, n := range notes {
		fmt.Fprintln(w, "kitforge: note: "+n)
	}
}
