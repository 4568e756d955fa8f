package testinfra

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// CacheDir is where scripts/services keeps the servers it builds from the Go
// module proxy: $KITFORGE_SERVICES_CACHE, else the user cache dir
// ($XDG_CACHE_HOME or ~/.cache) + "/kitforge".
func CacheDir() string {
	if d := os.Getenv("KITFORGE_SERVICES_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "kitforge")
}

// InCI reports whether CI is set to a true value; then a missing server
// fails a test instead of skipping it.
func InCI() bool {
	ok, _ := strconv.ParseBool(os.Getenv("CI"))
	return ok
}

// lookPath returns the first of candidates that is an executable file, each
// either a path or a command name searched in $PATH and the sbin dirs.
func lookPath(candidates ...string) string {
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if filepath.IsAbs(c) {
			if fi, err := os.Stat(c); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
				return c
			}
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
		for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
			p := filepath.Join(dir, c)
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
				return p
			}
		}
	}
	return ""
}

// fileExists reports whether path is an existing regular file.
func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// missing ends the test because a server binary is absent: a skip with the
// reason, or a failure under CI=true.
func missing(t testing.TB, what string) {
	t.Helper()
	msg := what + " not found: run scripts/services install"
	if InCI() {
		t.Fatal(msg + " (CI=true: a missing server is a failure)")
	}
	t.Skip(msg)
}
