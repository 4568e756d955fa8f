package testinfra

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// zookeeperJar is where Debian's zookeeper package puts the server; its
// manifest's Class-Path names the jars it needs.
const zookeeperJar = "/usr/share/java/zookeeper.jar"

// ZooKeeperTickMillis is the tickTime of the ZooKeeper that ZooKeeper
// starts: the server accepts session timeouts from 2 to 20 ticks (1 s to
// 10 s), so a test can have an ephemeral node vanish soon after its owner
// dies.
const ZooKeeperTickMillis = 500

// ZooKeeper starts a standalone ZooKeeper (QuorumPeerMain from Debian's
// zookeeperd, in its own JVM) with its data in a temp dir. Addr is the
// client address, what zk.Connect takes in its server list; URL is Addr.
// Ready when the "srvr" command prints "Mode:" ("ruok" answers too early).
func ZooKeeper(t testing.TB) *Server {
	t.Helper()
	java := lookPath("java", "/usr/bin/java")
	if java == "" || !fileExists(zookeeperJar) {
		missing(t, "zookeeper ("+zookeeperJar+" and java)")
	}
	return launch(t, spec{
		name:  "zookeeper",
		roles: []string{"client"},
		setup: func(s *Server) error {
			s.Addr = hostPort(s.Ports["client"])
			s.URL = s.Addr
			data := filepath.Join(s.Dir, "data")
			if err := os.MkdirAll(data, 0o755); err != nil {
				return err
			}
			cfg := fmt.Sprintf(`tickTime=%d
initLimit=10
syncLimit=5
dataDir=%s
clientPort=%d
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=srvr,ruok,stat,mntr,cons
`, ZooKeeperTickMillis, data, s.Ports["client"])
			return os.WriteFile(filepath.Join(s.Dir, "zoo.cfg"), []byte(cfg), 0o644)
		},
		command: func(s *Server) *exec.Cmd {
			return exec.Command(java,
				"-Xmx256m",
				"-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", // starts faster; plenty for a test
				"-Djava.net.preferIPv4Stack=true",
				"-Dzookeeper.jmx.log4j.disable=true",
				"-cp", zookeeperJar,
				"org.apache.zookeeper.server.quorum.QuorumPeerMain",
				filepath.Join(s.Dir, "zoo.cfg"),
			)
		},
		ready: func(ctx context.Context, s *Server) error {
			out, err := tcpExchange(ctx, s.Addr, "srvr")
			if err != nil {
				return err
			}
			if !strings.Contains(out, "Mode:") {
				return fmt.Errorf("srvr: %.200q", out)
			}
			return nil
		},
	})
}
