package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/kitforge/kitforge/bench/runtime/variants"
)

// serverPkg is the command that serves one variant.
const serverPkg = "github.com/kitforge/kitforge/bench/runtime/cmd/server"

// server is a running server process serving one variant.
type server struct {
	name      string
	protocol  string // variants.HTTP or variants.GRPC
	addr      string // the service, on 127.0.0.1
	statsAddr string // its procstats side channel
	cmd       *exec.Cmd
	stdin     io.WriteCloser
}

// buildServer builds cmd/server into dir and returns the binary's path.
func buildServer(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "server")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, serverPkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build %s (run the driver from bench/runtime): %w", serverPkg, err)
	}
	return bin, nil
}

// startServer starts bin for the variant v and waits for its ready line.
func startServer(ctx context.Context, bin string, v variants.Variant) (*server, error) {
	name := v.Name
	cmd := exec.CommandContext(ctx, bin, "-variant", name)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{name: name, protocol: v.Protocol, cmd: cmd, stdin: stdin}
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if !sc.Scan() {
			ready <- fmt.Errorf("server %s exited before it was ready", name)
			return
		}
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "ready" {
			ready <- fmt.Errorf("server %s: unexpected line %q", name, sc.Text())
			return
		}
		s.addr, s.statsAddr = f[1], f[2]
		ready <- nil
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case err = <-ready:
	case <-time.After(30 * time.Second):
		err = fmt.Errorf("server %s not ready after 30s", name)
	}
	if err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// stop closes the server's standard input, on which it exits, and kills it
// if it has not exited a few seconds later.
func (s *server) stop() {
	s.stdin.Close()
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}
