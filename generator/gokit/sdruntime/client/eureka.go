package client

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-kit/kit/sd"
	"github.com/go-kit/log"
	"github.com/hudl/fargo"
	logging "github.com/op/go-logging"
)

// eurekaInstancer reports the instances of an application that are UP in
// Eureka, polling it through fargo (XML, fargo's default: its JSON decoding
// fails on some servers' answers). Go kit's sd/eureka Instancer does the
// same but reports "host:port" only; this one keeps the weight and gRPC
// port metadata ("weight", "grpcPort"). An application Eureka does not know
// (404) has no instances, rather than an error.
type eurekaInstancer struct {
	instanceCache
	conn *fargo.EurekaConnection
	app  string
	quit chan struct{}
	done chan struct{}
}

var _ sd.Instancer = (*eurekaInstancer)(nil)

// newEurekaInstancer polls the Eureka server(s) at urls (comma-separated
// base URLs, e.g. "http://127.0.0.1:8761/eureka") for the instances of
// service (application name in upper case, as Eureka keeps it). The first
// poll is made before it returns.
func newEurekaInstancer(urls, service string, logger log.Logger, opts ...InstancerOption) (*eurekaInstancer, error) {
	list := splitList(urls)
	if len(list) == 0 {
		return nil, fmt.Errorf("eureka: no server URL")
	}
	quietFargo()
	conn := fargo.NewConn(list...)
	conn.PollInterval = newInstancerOptions(opts).refresh
	e := &eurekaInstancer{
		conn: &conn,
		app:  strings.ToUpper(service),
		quit: make(chan struct{}),
		done: make(chan struct{}),
	}
	logger = log.With(logger, "registry", "eureka", "service", service)
	e.consume(e.conn.GetApp(e.app))
	go func() {
		defer close(e.done)
		for u := range e.conn.ScheduleAppUpdates(e.app, false, e.quit) {
			if u.Err != nil && !eurekaNotFound(u.Err) {
				_ = logger.Log("msg", "poll failed", "err", u.Err)
			}
			e.consume(u.App, u.Err)
		}
	}()
	return e, nil
}

// consume publishes one poll's result.
func (e *eurekaInstancer) consume(app *fargo.Application, err error) {
	switch {
	case eurekaNotFound(err):
		e.update(sd.Event{Instances: []string{}})
	case err != nil:
		e.update(sd.Event{Err: err})
	default:
		var instances []string
		for _, in := range app.Instances {
			if in.Status != fargo.UP {
				continue
			}
			md := in.Metadata.GetMap()
			weight, _ := strconv.Atoi(fmt.Sprint(md["weight"]))
			grpcPort, _ := strconv.Atoi(fmt.Sprint(md["grpcPort"]))
			instances = append(instances, formatInstance(in.IPAddr, in.Port, grpcPort, weight))
		}
		e.update(sd.Event{Instances: instances})
	}
}

// eurekaNotFound reports whether err is Eureka's 404 for an application.
func eurekaNotFound(err error) bool {
	var nf fargo.AppNotFoundError
	if errors.As(err, &nf) {
		return true
	}
	code, ok := fargo.HTTPResponseStatusCode(err)
	return ok && code == http.StatusNotFound
}

// quietFargo turns fargo's own logging (github.com/op/go-logging, which
// writes every failed request and "app not found" to stderr) down to
// critical messages: the instancer logs what matters through its logger.
func quietFargo() {
	logging.SetLevel(logging.CRITICAL, "fargo")
}

// Stop stops polling; it implements sd.Instancer.
func (e *eurekaInstancer) Stop() {
	close(e.quit)
	select {
	case <-e.done:
	case <-time.After(time.Second): // a poll in flight ends on its own
	}
}
