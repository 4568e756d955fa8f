// Tests load the packages of testdata/*.txtar archives. Each archive is a
// module extracted into a temporary directory; its comment lists cases, one
// a line ("NAME key=value..." with keys dir, pattern, interface, name and
// generated (comma-separated GeneratedNames), all optional), and the file
// want/NAME holds what loading must give: the service dumped as text, or
// the error. Refresh the want files with
//
//	go test ./generator/goparse/ -update
//
// and review the diff.
package goparse

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/kitforge/kitforge/generator/gate"
	"github.com/kitforge/kitforge/generator/model"
)

var update = flag.Bool("update", false, "rewrite the want/ files of testdata archives")

// testCase is one line of an archive's comment.
type testCase struct {
	name string
	cfg  Config
}

// directCases counts the cases that loadDirect loaded; TestLoad fails
// when none did, for then the comparison with go/packages proves nothing.
var directCases int

func TestLoad(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the export data cache
	t.Cleanup(func() {
		t.Logf("%d cases loaded without go/packages", directCases)
		if directCases == 0 && !t.Failed() {
			t.Error("no case was loaded without go/packages")
		}
	})
	archives, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(archives) == 0 {
		t.Fatalf("no archives: %v", err)
	}
	for _, path := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runArchive(t, path)
		})
	}
}

func runArchive(t *testing.T, path string) {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	root := extract(t, ar)
	cases := parseCases(t, ar.Comment)
	want := map[string]string{}
	for _, f := range ar.Files {
		if name, ok := strings.CutPrefix(f.Name, "want/"); ok {
			want[name] = string(f.Data)
		}
	}
	var mu sync.Mutex
	got := map[string]string{}
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				cfg := c.cfg
				cfg.Dir = filepath.Join(root, cfg.Dir)
				svc, _, err := loadVia(cfg)
				out := dump(svc, err, root)
				mu.Lock()
				got[c.name] = out
				mu.Unlock()
				if !*update && out != want[c.name] {
					t.Errorf("Load(%+v):\n--- got\n%s--- want\n%s", c.cfg, out, want[c.name])
				}
				// The same with export data files at hand: loaded without
				// go/packages where that is sure to give the same.
				cfg.Exports = gate.ExportFiles
				svc, direct, err := loadVia(cfg)
				if out := dump(svc, err, root); !*update && out != want[c.name] {
					t.Errorf("Load(%+v) with Exports (direct: %v):\n--- got\n%s--- want\n%s", c.cfg, direct, out, want[c.name])
				}
				if direct {
					mu.Lock()
					directCases++
					mu.Unlock()
				}
			})
		}
	})
	if *update {
		writeWants(t, path, ar, cases, got)
	}
}

// loadVia is Load that also says whether it went without go/packages.
func loadVia(cfg Config) (svc *model.Service, direct bool, err error) {
	l, err := newLoader(cfg)
	if err != nil {
		return nil, false, err
	}
	if err := l.load(context.Background()); err != nil {
		return nil, l.direct, err
	}
	svc, err = l.service()
	return svc, l.direct, err
}

// extract writes the archive's files, except want/, into a temporary
// directory and returns it.
func extract(t *testing.T, ar *txtar.Archive) string {
	root := t.TempDir()
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "want/") {
			continue
		}
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// parseCases reads "NAME key=value..." lines; blank lines and lines
// starting with "#" are comments.
func parseCases(t *testing.T, comment []byte) []testCase {
	var cases []testCase
	for _, line := range strings.Split(string(comment), "\n") {
		words := strings.Fields(line)
		if len(words) == 0 || strings.HasPrefix(words[0], "#") {
			continue
		}
		c := testCase{name: words[0]}
		for _, w := range words[1:] {
			k, v, _ := strings.Cut(w, "=")
			switch k {
			case "dir":
				c.cfg.Dir = v
			case "pattern":
				c.cfg.Pattern = v
			case "interface":
				c.cfg.Interface = v
			case "name":
				c.cfg.Name = v
			case "generated":
				c.cfg.GeneratedNames = strings.Split(v, ",")
			default:
				t.Fatalf("case %s: unknown key %q", c.name, k)
			}
		}
		cases = append(cases, c)
	}
	return cases
}

// writeWants replaces the archive's want/ files with what the cases gave.
func writeWants(t *testing.T, path string, ar *txtar.Archive, cases []testCase, got map[string]string) {
	var files []txtar.File
	for _, f := range ar.Files {
		if !strings.HasPrefix(f.Name, "want/") {
			files = append(files, f)
		}
	}
	for _, c := range cases {
		files = append(files, txtar.File{Name: "want/" + c.name, Data: []byte(got[c.name])})
	}
	ar.Files = files
	if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}
