package testinfra

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is a real server process started for one test.
type Server struct {
	// Name says which server it is: "consul", "etcd", "eureka", "zookeeper",
	// "dnssrv", "nats", "rabbitmq" or "kube-apiserver".
	Name string
	// Addr is the host:port its clients dial: Consul's HTTP API, etcd's
	// client port, Polaris' Eureka port, ZooKeeper's client port, the DNS
	// port (UDP and TCP), the NATS port, RabbitMQ's AMQP port.
	Addr string
	// HTTPAddr is the host:port of its HTTP API (Consul, etcd, Eureka), or "".
	HTTPAddr string
	// URL is what a client library is usually given: "http://"+Addr for
	// Consul and etcd, the Eureka base URL ("http://127.0.0.1:P/eureka") for
	// Polaris, "nats://"+Addr for NATS, "amqp://guest:guest@"+Addr+"/" for
	// RabbitMQ, Addr for ZooKeeper and DNS, "https://"+Addr for kube-apiserver.
	URL string
	// Ports holds every port the server listens on, by role
	// ("http", "dns", "grpc", "client", "peer", ...).
	Ports map[string]int
	// Dir is its temp dir: config, data and its log (Dir/<Name>.log).
	Dir string
	// ReadyIn is how long the last start took, from exec to ready.
	ReadyIn time.Duration

	t    testing.TB
	spec spec

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when the running process has exited
}

// spec describes how to run one kind of server.
type spec struct {
	name  string
	roles []string // port roles to allocate, in order
	// setup fills in the Server's addresses from s.Ports and writes any
	// config into s.Dir. It runs before the first start and again whenever
	// launch draws new ports.
	setup func(s *Server) error
	// command builds the command for one start; Dir, output and process
	// group are set by the caller.
	command func(s *Server) *exec.Cmd
	// ready returns nil once the server answers.
	ready func(ctx context.Context, s *Server) error
	// timeout bounds one start (default 60 s: the machine is shared).
	timeout time.Duration
}

// errExited says the process ended before it was ready (often: a port was
// taken between freePorts and the bind).
var errExited = errors.New("exited before it was ready")

// launch starts a server as spec says, retrying on fresh ports if it exits
// during start-up, and registers a cleanup that stops it.
func launch(t testing.TB, sp spec) *Server {
	t.Helper()
	s := &Server{Name: sp.name, t: t, spec: sp, Dir: t.TempDir()}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("%s log (%s), last lines:\n%s", s.Name, s.logPath(), s.logTail(40))
		}
	})
	const attempts = 3
	for i := 1; ; i++ {
		ports, err := freePorts(len(sp.roles))
		if err != nil {
			t.Fatalf("%s: %v", sp.name, err)
		}
		s.Ports = make(map[string]int, len(ports))
		for j, r := range sp.roles {
			s.Ports[r] = ports[j]
		}
		if err := sp.setup(s); err != nil {
			t.Fatalf("%s: set up: %v", sp.name, err)
		}
		// Once, not Start: a port taken here is retried on new ports.
		err = s.startOnce()
		if err == nil {
			t.Logf("%s ready at %s in %v", s.Name, s.Addr, s.ReadyIn.Round(time.Millisecond))
			return s
		}
		if !errors.Is(err, errExited) || i == attempts {
			t.Fatalf("%v\n%s log, last lines:\n%s", err, s.Name, s.logTail(40))
		}
		t.Logf("%v; retrying on new ports", err)
	}
}

// Start starts the server again after Stop or Kill, on the same ports and
// data dir, and waits until it is ready. It does nothing if it is running.
// A restart whose port another socket holds for a moment (a client's
// outgoing connection can be given the stopped server's port as its own)
// is tried again for a few seconds.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tries := 1; ; tries++ {
		logStart := s.logSize()
		err := s.startLocked()
		if !errors.Is(err, errExited) || tries == 10 || !s.logSince(logStart, "address already in use") {
			return err
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// logSize is the length of the server's log so far.
func (s *Server) logSize() int64 {
	st, err := os.Stat(s.logPath())
	if err != nil {
		return 0
	}
	return st.Size()
}

// logSince reports whether the log, from offset on, contains text.
func (s *Server) logSince(offset int64, text string) bool {
	b, err := os.ReadFile(s.logPath())
	if err != nil || int64(len(b)) < offset {
		return false
	}
	return strings.Contains(string(b[offset:]), text)
}

// startOnce is startLocked under the lock, released even if a ready check
// panics (the cleanup's Stop takes it too).
func (s *Server) startOnce() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.startLocked()
}

// startLocked starts the process once and waits until it is ready.
func (s *Server) startLocked() error {
	if s.cmd != nil {
		return nil
	}
	logf, err := os.OpenFile(s.logPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close() // the child keeps its own copy
	cmd := s.spec.command(s)
	if cmd.Dir == "" {
		cmd.Dir = s.Dir
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	// Own process group, so Stop reaches any children; killed with the
	// test binary, so a crashed test leaves no server behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: %v", s.Name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	s.cmd, s.done = cmd, done

	timeout := s.spec.timeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var last error
	for delay := 20 * time.Millisecond; ; delay = min(2*delay, 250*time.Millisecond) {
		rctx, rcancel := context.WithTimeout(ctx, 2*time.Second)
		last = s.spec.ready(rctx, s)
		rcancel()
		if last == nil {
			s.ReadyIn = time.Since(start)
			return nil
		}
		select {
		case <-done:
			s.cmd, s.done = nil, nil
			return fmt.Errorf("%s: %w (%v; last check: %v)", s.Name, errExited, cmd.ProcessState, last)
		case <-ctx.Done():
			s.stopLocked(syscall.SIGKILL)
			return fmt.Errorf("%s: not ready after %v: %v", s.Name, timeout, last)
		case <-time.After(delay):
		}
	}
}

// Stop stops the server gracefully (SIGTERM, then SIGKILL after 10 s) and
// waits for it to exit: a registry outage. Safe to call more than once.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked(syscall.SIGTERM)
}

// Kill kills the server with SIGKILL, as a crash would, and waits for it.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked(syscall.SIGKILL)
}

// Running reports whether the server process is running.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return false
	}
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

func (s *Server) stopLocked(sig syscall.Signal) {
	if s.cmd == nil {
		return
	}
	pgid := -s.cmd.Process.Pid
	syscall.Kill(pgid, sig)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		syscall.Kill(pgid, syscall.SIGKILL)
		<-s.done
	}
	syscall.Kill(pgid, syscall.SIGKILL) // anything left in the group
	s.cmd, s.done = nil, nil
}

// Log returns what the server has written to its stdout and stderr.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.logPath())
	return string(b)
}

func (s *Server) logPath() string { return filepath.Join(s.Dir, s.Name+".log") }

// logTail returns the last n lines of the server's log.
func (s *Server) logTail(n int) string {
	b, _ := os.ReadFile(s.logPath())
	b = bytes.TrimRight(b, "\n")
	lines := bytes.Split(b, []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
