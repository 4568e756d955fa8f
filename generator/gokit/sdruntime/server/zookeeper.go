package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-kit/log"
	"github.com/go-zookeeper/zk"
)

// zkRegistry registers the instance as the ephemeral node
// /services/<name>/<id>, its data the instance string (weight and gRPC
// port included). The node lives as long as the ZooKeeper session: a
// killed instance's node goes when its session expires, within the session
// timeout. An expired session (a long outage) is noticed and the node made
// again.
type zkRegistry struct {
	conn   *zk.Conn
	events <-chan zk.Event
	reg    registration
}

// newZKRegistry returns the registry of the ZooKeeper ensemble at servers.
// Connecting does not wait for ZooKeeper: requests do, each bounded.
func newZKRegistry(servers []string, reg registration, sessionTimeout time.Duration, logger log.Logger) (*zkRegistry, error) {
	if len(servers) == 0 {
		return nil, errors.New("zookeeper: no servers")
	}
	if sessionTimeout < time.Second {
		sessionTimeout = time.Second
	}
	conn, events, err := zk.Connect(servers, sessionTimeout, zk.WithLogger(zkLogger{logger}), zk.WithLogInfo(false))
	if err != nil {
		return nil, err
	}
	return &zkRegistry{conn: conn, events: events, reg: reg}, nil
}

// parent and node are the service's node and this instance's.
func (z *zkRegistry) parent() string { return "/services/" + z.reg.Service }
func (z *zkRegistry) node() string   { return z.parent() + "/" + z.reg.ID }

// register makes the parent nodes and this instance's ephemeral node,
// replacing one left by an earlier session of the same instance.
func (z *zkRegistry) register(ctx context.Context) error {
	return withContext(ctx, func() error {
		path := ""
		for _, p := range strings.Split(strings.TrimPrefix(z.parent(), "/"), "/") {
			path += "/" + p
			if _, err := z.conn.Create(path, nil, 0, zk.WorldACL(zk.PermAll)); err != nil && !errors.Is(err, zk.ErrNodeExists) {
				return err
			}
		}
		_, err := z.conn.Create(z.node(), []byte(z.reg.value()), zk.FlagEphemeral, zk.WorldACL(zk.PermAll))
		if errors.Is(err, zk.ErrNodeExists) {
			if err = z.conn.Delete(z.node(), -1); err == nil || errors.Is(err, zk.ErrNoNode) {
				_, err = z.conn.Create(z.node(), []byte(z.reg.value()), zk.FlagEphemeral, zk.WorldACL(zk.PermAll))
			}
		}
		return err
	})
}

// maintain watches the session: an expired session took the node with it;
// a new session (after a disconnection) is checked for the node.
func (z *zkRegistry) maintain(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-z.events:
			if !ok {
				return errRegistrationLost
			}
			switch ev.State {
			case zk.StateExpired:
				return errRegistrationLost
			case zk.StateHasSession:
				var found bool
				err := withContext(ctx, func() (err error) {
					found, _, err = z.conn.Exists(z.node())
					return err
				})
				if err == nil && !found {
					return errRegistrationLost
				}
			}
		}
	}
}

// deregister deletes the node; closing the session would remove it too.
func (z *zkRegistry) deregister(ctx context.Context) error {
	return withContext(ctx, func() error {
		if err := z.conn.Delete(z.node(), -1); err != nil && !errors.Is(err, zk.ErrNoNode) {
			return err
		}
		return nil
	})
}

// close ends the session.
func (z *zkRegistry) close() { z.conn.Close() }

// zkLogger sends the ZooKeeper client's messages to the service's logger.
type zkLogger struct{ logger log.Logger }

// Printf logs one message of the ZooKeeper client.
func (l zkLogger) Printf(format string, args ...any) {
	_ = l.logger.Log("msg", strings.TrimSpace(fmt.Sprintf(format, args...)))
}
