package gate

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/gcexportdata"
)

// exportErrPrefix marks an entry of the exports map that holds go list's
// error for the package instead of a file name.
const exportErrPrefix = "error: "

// fromExportData loads a package from outside the module from its export
// data file, into the checker's one map of packages.
func (c *checker) fromExportData(ip string) (*types.Package, error) {
	if p := c.imported[ip]; p != nil && p.Complete() {
		return p, nil
	}
	file := c.exports[ip]
	if msg, ok := strings.CutPrefix(file, exportErrPrefix); ok {
		return nil, errors.New(msg)
	}
	if file == "" {
		return nil, fmt.Errorf("go list found no package %s", ip)
	}
	return ReadExportData(c.importFset, c.imported, file, ip)
}

// ReadExportData reads package ip from its export data file into
// imported, the one map of packages a type check shares (a type seen twice
// is one type). Callers serialize calls that share imported.
func ReadExportData(fset *token.FileSet, imported map[string]*types.Package, file, ip string) (*types.Package, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("reading export data of %s: %w", ip, err)
	}
	return gcexportdata.Read(r, fset, imported, ip)
}

// ExportFiles returns the export data file of every listed import path and
// of their dependencies, in the module at root with its go.mod and go.sum
// as they are on disk, as Check finds them (from the cache when it can,
// else from go list), or an error when go list has one for any of them.
func ExportFiles(ctx context.Context, root string, paths []string) (map[string]string, error) {
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	goSum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
	out, err := listExports(ctx, root, paths, goMod, goSum)
	if err != nil {
		return nil, err
	}
	for ip, file := range out {
		if msg, failed := strings.CutPrefix(file, exportErrPrefix); failed {
			return nil, fmt.Errorf("%s: %s", ip, msg)
		}
	}
	return out, nil
}

// listExports runs `go list -export -deps` on paths in the module at root,
// with goMod and goSum (the planned contents) standing in for the files on
// disk, and returns each package's export data file, or exportErrPrefix
// and go list's error for the package. Answers without an error are cached
// when the module graph cannot change under them (see cacheKey).
func listExports(ctx context.Context, root string, paths []string, goMod, goSum []byte) (map[string]string, error) {
	out := map[string]string{}
	if len(paths) == 0 {
		return out, nil
	}
	key := cacheKey(root, paths, goMod, goSum)
	if key != "" {
		if cached := readCache(key); cached != nil {
			return cached, nil
		}
	}
	args := []string{"list", "-e", "-export", "-deps", "-json=ImportPath,Export,Error"}
	overlay, cleanup, err := writeOverlay(root, goMod, goSum)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	args = append(args, "--")
	args = append(args, paths...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list -export: %v\n%s", err, strings.TrimSpace(stderr.String()))
	}
	clean := true
	dec := json.NewDecoder(&stdout)
	for {
		var p struct {
			ImportPath, Export string
			Error              *struct{ Err string }
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list -export: %w", err)
		}
		switch {
		case p.ImportPath == "unsafe": // types.Unsafe, no export data
		case p.Error != nil:
			out[p.ImportPath] = exportErrPrefix + p.Error.Err
			clean = false
		case p.Export == "":
			out[p.ImportPath] = exportErrPrefix + "no export data"
			clean = false
		default:
			out[p.ImportPath] = p.Export
		}
	}
	if key != "" && clean {
		writeCache(key, out)
	}
	return out, nil
}

// writeOverlay writes go list's -overlay file for the planned go.mod and
// go.sum where they differ from the disk, and returns its name ("" when
// nothing differs) and a function that removes it.
func writeOverlay(root string, goMod, goSum []byte) (string, func(), error) {
	replace := map[string]string{}
	tmp := ""
	cleanup := func() {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
	}
	for name, content := range map[string][]byte{"go.mod": goMod, "go.sum": goSum} {
		full := filepath.Join(root, name)
		if disk, err := os.ReadFile(full); (err == nil && bytes.Equal(disk, content)) || (err != nil && content == nil) {
			continue
		}
		if tmp == "" {
			var err error
			if tmp, err = os.MkdirTemp("", "kitforge-gate-"); err != nil {
				return "", cleanup, err
			}
		}
		staged := filepath.Join(tmp, name)
		if err := os.WriteFile(staged, content, 0o644); err != nil {
			return "", cleanup, err
		}
		replace[full] = staged
	}
	if len(replace) == 0 {
		return "", cleanup, nil
	}
	data, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return "", cleanup, err
	}
	file := filepath.Join(tmp, "overlay.json")
	return file, cleanup, os.WriteFile(file, data, 0o644)
}

// cacheKey names the answer of go list for paths, or returns "" when the
// answer may change while the key stays: a go.work workspace, a replace
// by a local directory or a vendor directory (code the user edits), or a
// go command that cannot be identified. Module versions are immutable, so
// the toolchain, the build environment, go.mod and go.sum fix the answer.
func cacheKey(root string, paths []string, goMod, goSum []byte) string {
	if os.Getenv("KITFORGE_GATE_CACHE") == "off" || goMod == nil {
		return ""
	}
	if f, err := modfile.ParseLax("go.mod", goMod, nil); err != nil {
		return ""
	} else {
		for _, r := range f.Replace {
			if r.New.Version == "" {
				return ""
			}
		}
	}
	if _, err := os.Stat(filepath.Join(root, "vendor")); err == nil {
		return ""
	}
	if flags := os.Getenv("GOFLAGS"); strings.Contains(flags, "-overlay") || strings.Contains(flags, "-modfile") {
		return ""
	}
	if w := os.Getenv("GOWORK"); w != "off" {
		if w != "" {
			return ""
		}
		for d := root; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
				return ""
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	toolchain := goToolchainID()
	if toolchain == "" {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "kitforge gate exports v1\n%s\n", toolchain)
	for _, v := range []string{"GOFLAGS", "GOOS", "GOARCH", "GOAMD64", "GOARM64", "CGO_ENABLED", "GOEXPERIMENT", "GOTOOLCHAIN", "GOROOT", "GOCACHE", "GOMODCACHE", "GOPATH", "HOME", "XDG_CACHE_HOME"} {
		fmt.Fprintf(h, "%s=%s\n", v, os.Getenv(v))
	}
	// The module's own path changes nothing outside it: `kitforge new`
	// of two services shares one answer.
	mod := withoutModuleLine(goMod)
	fmt.Fprintf(h, "go.mod %d\n%s\ngo.sum %d\n%s\n", len(mod), mod, len(goSum), goSum)
	fmt.Fprintf(h, "%s\n", strings.Join(paths, "\n"))
	return hex.EncodeToString(h.Sum(nil))
}

// withoutModuleLine is go.mod without its module directive.
func withoutModuleLine(goMod []byte) []byte {
	var out []byte
	for line := range bytes.Lines(goMod) {
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("module ")) {
			out = append(out, line...)
		}
	}
	return out
}

// goToolchainID identifies the go command on PATH by its resolved file
// and its GOROOT's VERSION file, without running it.
func goToolchainID() string {
	bin, err := exec.LookPath("go")
	if err != nil {
		return ""
	}
	if bin, err = filepath.EvalSymlinks(bin); err != nil {
		return ""
	}
	fi, err := os.Stat(bin)
	if err != nil {
		return ""
	}
	version, err := os.ReadFile(filepath.Join(filepath.Dir(filepath.Dir(bin)), "VERSION"))
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s %d %d\n%s", bin, fi.Size(), fi.ModTime().UnixNano(), version)
}

// cacheDir is where answers are kept: the user's cache directory.
func cacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "kitforge", "gate")
}

// readCache returns the answer stored under key, if every export file it
// names is still in the build cache.
func readCache(key string) map[string]string {
	dir := cacheDir()
	if dir == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, key+".json"))
	if err != nil {
		return nil
	}
	var m map[string]string
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	for _, file := range m {
		if _, err := os.Stat(file); err != nil {
			return nil // trimmed by the go command's cache: ask again
		}
	}
	return m
}

// writeCache stores an answer; failing to is harmless (the next run asks
// go list again).
func writeCache(key string, m map[string]string) {
	dir := cacheDir()
	if dir == "" || os.MkdirAll(dir, 0o755) != nil {
		return
	}
	data, err := json.Marshal(m)
	if err != nil {
		return
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), filepath.Join(dir, key+".json")) != nil {
		os.Remove(f.Name())
	}
}
