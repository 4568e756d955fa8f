package client

import (
	"errors"
	"time"

	"github.com/go-kit/kit/sd"
	kitzk "github.com/go-kit/kit/sd/zk"
	"github.com/go-kit/log"
	"github.com/go-zookeeper/zk"
)

// zkSessionTimeout is the ZooKeeper session timeout of the instancer.
const zkSessionTimeout = 5 * time.Second

// zkPath is the node whose children are the instances of service: one
// ephemeral node per instance, its data the instance string.
func zkPath(service string) string { return "/services/" + service }

// zkInstancer is Go kit's sd/zk Instancer over the children of
// /services/<name> (Go kit's Instancer watches the path it is given, so it
// is given Path+"/"+Name, the parent of the instance nodes). Their data are
// the instance strings the servers register, weight included. Its client
// re-arms the watch after a failed read: Go kit's Instancer would otherwise
// wait forever on the nil channel a failed read returns, and never see
// ZooKeeper again after an outage.
type zkInstancer struct {
	*kitzk.Instancer
	client kitzk.Client
}

var _ sd.Instancer = (*zkInstancer)(nil)

// newZKInstancer watches the instances of service in the ZooKeeper
// ensemble at servers (comma-separated host:port).
func newZKInstancer(servers, service string, logger log.Logger, opts ...InstancerOption) (*zkInstancer, error) {
	list := splitList(servers)
	if len(list) == 0 {
		return nil, errors.New("zookeeper: no servers")
	}
	logger = log.With(logger, "registry", "zookeeper", "service", service)
	client, err := kitzk.NewClient(list, logger,
		kitzk.SessionTimeout(zkSessionTimeout),
		kitzk.EventHandler(func(zk.Event) {}),
	)
	if err != nil {
		return nil, err
	}
	c := &zkRetryClient{Client: client, retry: newInstancerOptions(opts).refresh}
	inst, err := kitzk.NewInstancer(c, zkPath(service), logger)
	if err != nil {
		client.Stop()
		return nil, err
	}
	return &zkInstancer{Instancer: inst, client: client}, nil
}

// Stop stops watching and closes the session; it implements sd.Instancer.
func (z *zkInstancer) Stop() {
	z.Instancer.Stop()
	z.client.Stop()
}

// zkRetryClient is a Go kit zk.Client whose failed GetEntries returns a
// channel that fires after the retry interval, so that the Instancer asks
// again.
type zkRetryClient struct {
	kitzk.Client
	retry time.Duration
}

// GetEntries returns the data of path's children and a channel that fires
// when they change (or, after a failure, when it is time to ask again).
func (c *zkRetryClient) GetEntries(path string) ([]string, <-chan zk.Event, error) {
	entries, events, err := c.Client.GetEntries(path)
	if err != nil || events == nil {
		retry := make(chan zk.Event, 1)
		time.AfterFunc(c.retry, func() { retry <- zk.Event{Type: zk.EventNotWatching, Path: path} })
		return entries, retry, err
	}
	return entries, events, nil
}
