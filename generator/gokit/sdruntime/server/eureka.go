package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hudl/fargo"
	logging "github.com/op/go-logging"
)

// eurekaRegistry registers the instance with Eureka through fargo (XML,
// fargo's default) as application <NAME> (upper case), VIP address <name>,
// UP, with its weight and gRPC port as metadata ("weight", "grpcPort"), and
// heartbeats every interval with a lease of three intervals. A killed
// instance is expired by Eureka once its lease runs out without heartbeats.
type eurekaRegistry struct {
	conn     *fargo.EurekaConnection
	instance *fargo.Instance
	interval time.Duration
}

// newEurekaRegistry returns the registry of the Eureka server(s) at urls
// (base URLs, e.g. "http://127.0.0.1:8761/eureka").
func newEurekaRegistry(urls []string, reg registration, interval time.Duration) (*eurekaRegistry, error) {
	if len(urls) == 0 {
		return nil, errors.New("eureka: no server URL")
	}
	quietFargo()
	if interval < time.Second {
		interval = time.Second
	}
	conn := fargo.NewConn(urls...)
	secs := int32(interval / time.Second)
	base := "http://" + reg.Host + ":" + strconv.Itoa(reg.Port)
	in := &fargo.Instance{
		InstanceId:       reg.ID,
		HostName:         reg.Host,
		App:              strings.ToUpper(reg.Service),
		IPAddr:           reg.Host,
		VipAddress:       reg.Service,
		SecureVipAddress: reg.Service,
		Port:             reg.Port,
		PortEnabled:      true,
		Status:           fargo.UP,
		DataCenterInfo:   fargo.DataCenterInfo{Name: fargo.MyOwn},
		LeaseInfo:        fargo.LeaseInfo{RenewalIntervalInSecs: secs, DurationInSecs: 3 * secs},
		HomePageUrl:      base + "/",
		StatusPageUrl:    base + "/healthz",
		HealthCheckUrl:   base + "/healthz",
	}
	in.SetMetadataString("weight", strconv.Itoa(reg.Weight))
	if reg.GRPCPort > 0 {
		in.SetMetadataString("grpcPort", strconv.Itoa(reg.GRPCPort))
	}
	return &eurekaRegistry{conn: &conn, instance: in, interval: interval}, nil
}

// register registers the instance (fargo's requests take no context, so
// the wait is bounded here; fargo's own time-out is 30 s).
func (e *eurekaRegistry) register(ctx context.Context) error {
	return withContext(ctx, func() error { return e.conn.ReregisterInstance(e.instance) })
}

// maintain heartbeats every interval; Eureka's 404 means it dropped the
// instance (expired, or a restarted server).
func (e *eurekaRegistry) maintain(ctx context.Context) error {
	for {
		sleep(ctx, e.interval)
		if ctx.Err() != nil {
			return nil
		}
		hctx, cancel := context.WithTimeout(ctx, registryTimeout)
		err := withContext(hctx, func() error { return e.conn.HeartBeatInstance(e.instance) })
		cancel()
		if code, ok := fargo.HTTPResponseStatusCode(err); ok && code == http.StatusNotFound {
			return errRegistrationLost
		}
	}
}

// deregister removes the instance.
func (e *eurekaRegistry) deregister(ctx context.Context) error {
	return withContext(ctx, func() error { return e.conn.DeregisterInstance(e.instance) })
}

// close does nothing: fargo holds no connection that needs closing.
func (e *eurekaRegistry) close() {}

// quietFargo turns fargo's own logging (github.com/op/go-logging, which
// writes every request and failure to stderr) down to critical messages:
// the registrar logs what matters through the service's logger.
func quietFargo() {
	logging.SetLevel(logging.CRITICAL, "fargo")
}
