package testinfra

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// rabbitmqServer is Debian's start script of the broker itself; the
// /usr/sbin/rabbitmq-server on PATH is a wrapper that switches to the
// rabbitmq user and writes to /var/log.
const rabbitmqServer = "/usr/lib/rabbitmq/bin/rabbitmq-server"

// rabbitmqScript starts the node's own epmd, waits until it answers, then
// becomes the broker. epmd runs in the foreground, so that it stays in the
// server's process group and Stop ends it (Erlang would otherwise start a
// daemonized epmd that outlives the test), and dies with the broker
// (setpriv --pdeathsig) if the test binary is killed. RUNNING_UNDER_SYSTEMD
// makes rabbitmq-server exec the Erlang VM instead of running it as a child,
// so that the VM itself gets Pdeathsig and handles SIGTERM (a clean stop).
const rabbitmqScript = `if command -v setpriv >/dev/null 2>&1; then
	setpriv --pdeathsig KILL "$EPMD" -port "$ERL_EPMD_PORT" -address 127.0.0.1 &
else
	"$EPMD" -port "$ERL_EPMD_PORT" -address 127.0.0.1 &
fi
i=0
until "$EPMD" -port "$ERL_EPMD_PORT" -names >/dev/null 2>&1; do
	i=$((i + 1))
	if [ "$i" -gt 200 ]; then echo "epmd did not start on port $ERL_EPMD_PORT" >&2; exit 1; fi
	sleep 0.05
done
RUNNING_UNDER_SYSTEMD=true exec "$RABBITMQ_SERVER"
`

// RabbitMQ starts a RabbitMQ broker (Debian rabbitmq-server) as its own
// Erlang node: node name kitforge<port>@localhost, its Mnesia and logs in the
// temp dir, the AMQP listener, the distribution port and a private epmd all
// on free 127.0.0.1 ports, so that concurrent test runs never meet. No
// system configuration is read. Addr is the AMQP address and URL
// "amqp://guest:guest@"+Addr+"/" (guest may log in from loopback only),
// what amqp.Dial takes. Ready when an AMQP client can log in and open a
// channel. Stop is a clean shutdown (SIGTERM); durable queues survive a
// Stop and Start.
func RabbitMQ(t testing.TB) *Server {
	t.Helper()
	server := lookPath(rabbitmqServer)
	epmd := lookPath("epmd", "/usr/bin/epmd")
	if server == "" || epmd == "" {
		missing(t, "rabbitmq-server ("+rabbitmqServer+" and epmd)")
	}
	return launch(t, spec{
		name:  "rabbitmq",
		roles: []string{"amqp", "dist", "epmd"},
		setup: func(s *Server) error {
			s.Addr = hostPort(s.Ports["amqp"])
			s.URL = "amqp://guest:guest@" + s.Addr + "/"
			files := map[string]string{
				"rabbitmq.conf":     "log.console = true\nlog.console.level = info\nlog.file = false\n",
				"enabled_plugins":   "[].\n",
				"rabbitmq-env.conf": "", // instead of /etc/rabbitmq/rabbitmq-env.conf
			}
			for name, content := range files {
				if err := os.WriteFile(filepath.Join(s.Dir, name), []byte(content), 0o644); err != nil {
					return err
				}
			}
			return nil
		},
		command: func(s *Server) *exec.Cmd {
			cmd := exec.Command("/bin/sh", "-c", rabbitmqScript)
			cmd.Env = append(withoutErlangEnv(os.Environ()),
				"EPMD="+epmd,
				"RABBITMQ_SERVER="+server,
				"HOME="+s.Dir, // the Erlang cookie goes here
				"RABBITMQ_NODENAME="+RabbitMQNode(s),
				"RABBITMQ_NODE_IP_ADDRESS=127.0.0.1",
				"RABBITMQ_NODE_PORT="+strconv.Itoa(s.Ports["amqp"]),
				"RABBITMQ_DIST_PORT="+strconv.Itoa(s.Ports["dist"]),
				"ERL_EPMD_PORT="+strconv.Itoa(s.Ports["epmd"]),
				"ERL_EPMD_ADDRESS=127.0.0.1",
				"RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}",
				"RABBITMQ_MNESIA_BASE="+filepath.Join(s.Dir, "mnesia"),
				"RABBITMQ_LOG_BASE="+filepath.Join(s.Dir, "log"),
				"RABBITMQ_CONFIG_FILE="+filepath.Join(s.Dir, "rabbitmq.conf"),
				"RABBITMQ_ADVANCED_CONFIG_FILE="+filepath.Join(s.Dir, "advanced.config"),
				"RABBITMQ_CONF_ENV_FILE="+filepath.Join(s.Dir, "rabbitmq-env.conf"),
				"RABBITMQ_ENABLED_PLUGINS_FILE="+filepath.Join(s.Dir, "enabled_plugins"),
				"RABBITMQ_PID_FILE="+filepath.Join(s.Dir, "rabbitmq.pid"),
			)
			return cmd
		},
		ready: func(ctx context.Context, s *Server) error {
			return amqpLogin(ctx, s.URL)
		},
	})
}

// RabbitMQNode is the Erlang node name of a broker started by RabbitMQ, for
// rabbitmqctl and rabbitmq-diagnostics -n (run them with HOME=s.Dir, for the
// cookie, and ERL_EPMD_PORT=s.Ports["epmd"]).
func RabbitMQNode(s *Server) string {
	return fmt.Sprintf("kitforge%d@localhost", s.Ports["amqp"])
}

// withoutErlangEnv drops the RABBITMQ_* and ERL_* variables of the test's
// environment, so that nothing but RabbitMQ's arguments configures the node.
func withoutErlangEnv(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if strings.HasPrefix(kv, "RABBITMQ_") || strings.HasPrefix(kv, "ERL_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// amqpLogin logs in to the broker at url and opens a channel: the broker is
// serving, not merely listening.
func amqpLogin(ctx context.Context, url string) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		return fmt.Errorf("amqp login: no deadline")
	}
	conn, err := amqp.DialConfig(url, amqp.Config{
		Dial:      amqp.DefaultDial(max(time.Until(deadline), 0)),
		Heartbeat: 10 * time.Second,
	})
	if err != nil {
		return err
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return err
	}
	return ch.Close()
}
