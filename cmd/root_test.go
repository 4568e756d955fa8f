package cmd

import (
	"bytes"
	"context"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersion: the version command prints the module version of the build
// info, "(devel)" without one, and the VCS revision when it is not already
// in a pseudo-version.
func TestVersion(t *testing.T) {
	rev := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	const hash = "0123456789abcdef0123456789abcdef01234567"
	cases := []struct {
		main     string
		settings []debug.BuildSetting
		want     string
	}{
		{"v1.2.0", nil, "v1.2.0"},
		{"", nil, "(devel)"},
		{"(devel)", rev("vcs.revision", hash), "(devel) 0123456789ab"},
		{"(devel)", rev("vcs.revision", hash, "vcs.modified", "true"), "(devel) 0123456789ab-dirty"},
		{"v1.2.0", rev("vcs.revision", hash, "vcs.modified", "false"), "v1.2.0 0123456789ab"},
		{"v0.0.0-20250101000000-0123456789ab+dirty", rev("vcs.revision", hash, "vcs.modified", "true"), "v0.0.0-20250101000000-0123456789ab+dirty"},
	}
	for _, c := range cases {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/kitforge/kitforge", Version: c.main}, Settings: c.settings}
		if got := versionOf(bi); got != c.want {
			t.Errorf("versionOf(%q, %v) = %q, want %q", c.main, c.settings, got, c.want)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := Execute(context.Background(), []string{"version"}, &stdout, &stderr); code != 0 {
		t.Fatalf("kitforge version: exit %d: %s", code, stderr.String())
	}
	if want := "kitforge " + Version() + "\n"; stdout.String() != want {
		t.Errorf("kitforge version printed %q, want %q", stdout.String(), want)
	}
}

// TestArgErrors: a wrong number of arguments is a usage error (exit 2)
// saying what the command takes.
func TestArgErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"new"}, "kitforge: new takes one NAME (got none)"},
		{[]string{"new", "a", "b"}, "kitforge: new takes one NAME (got 2: a b)"},
		{[]string{"generate", "./a", "./b"}, "kitforge: generate takes at most one PACKAGE_PATTERN (got 2: ./a ./b)"},
		{[]string{"version", "x"}, "kitforge: version takes no arguments (got 1: x)"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := Execute(context.Background(), append([]string{"-C", t.TempDir()}, c.args...), &stdout, &stderr)
		if code != exitUsage {
			t.Errorf("kitforge %s: exit %d, want %d", strings.Join(c.args, " "), code, exitUsage)
		}
		if !strings.Contains(stderr.String(), c.want+"\n") {
			t.Errorf("kitforge %s: stderr does not contain %q:\n%s", strings.Join(c.args, " "), c.want, stderr.String())
		}
	}
}

// TestHelp: the root help describes what kitforge generates today, from
// either input.
func TestHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Execute(context.Background(), []string{"--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("kitforge --help: exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"Go service interface", ".proto", "HTTP/JSON", "gRPC", "NATS", "AMQP",
		"middleware", "discovery", "Consul", "Dockerfile", "Kubernetes", "--proto", "kitforge.yaml"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("kitforge --help does not mention %q:\n%s", want, stdout.String())
		}
	}
}
