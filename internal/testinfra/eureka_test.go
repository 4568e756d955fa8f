package testinfra

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hudl/fargo"
)

func TestEureka(t *testing.T) {
	s := Eureka(t)
	if !strings.HasSuffix(s.URL, "/eureka") {
		t.Fatalf("URL %q is no Eureka base URL", s.URL)
	}

	// Registered as go-kit sd/eureka does: through fargo (XML by default),
	// with metadata, then a heartbeat.
	conn := fargo.NewConn(s.URL)
	inst := &fargo.Instance{
		InstanceId:       "calc-1",
		HostName:         "localhost",
		App:              "CALC",
		IPAddr:           "127.0.0.1",
		VipAddress:       "calc",
		Port:             8081,
		PortEnabled:      true,
		Status:           fargo.UP,
		DataCenterInfo:   fargo.DataCenterInfo{Name: fargo.MyOwn},
		LeaseInfo:        fargo.LeaseInfo{RenewalIntervalInSecs: 1, DurationInSecs: 5},
		HealthCheckUrl:   "http://127.0.0.1:8081/healthz",
		HomePageUrl:      "http://127.0.0.1:8081/",
		StatusPageUrl:    "http://127.0.0.1:8081/healthz",
		SecureVipAddress: "calc",
	}
	inst.SetMetadataString("weight", "3")
	if err := conn.RegisterInstance(inst); err != nil {
		t.Fatalf("register: %v", err)
	}
	if err := conn.HeartBeatInstance(inst); err != nil {
		t.Fatalf("heartbeat: %v", err)
	}

	// Listed within a few refresh intervals. fargo speaks XML here, its
	// default and what go-kit sd/eureka gets: fargo's JSON decoding fails on
	// Polaris' answers (it wants "@enabled":"true", Polaris sends a bool).
	// fargo's XML metadata parser turns "3" into the number 3, hence GetMap.
	app := waitEurekaApp(t, conn, "CALC", 1)
	got := app.Instances[0]
	if got.Port != 8081 || !got.PortEnabled || got.IPAddr != "127.0.0.1" || got.Status != fargo.UP {
		t.Errorf("instance %+v", got)
	}
	if w := fmt.Sprint(got.Metadata.GetMap()["weight"]); w != "3" {
		t.Errorf("weight metadata %q, want 3 (all: %v)", w, got.Metadata.GetMap())
	}

	if err := conn.DeregisterInstance(inst); err != nil {
		t.Fatalf("deregister: %v", err)
	}
	waitEurekaApp(t, conn, "CALC", 0)

	checkStops(t, s)
}

// waitEurekaApp polls until app has n instances (an absent app counts as
// none) and returns it.
func waitEurekaApp(t *testing.T, c fargo.EurekaConnection, name string, n int) *fargo.Application {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	start := time.Now()
	for {
		app, err := c.GetApp(name)
		count := 0
		if err == nil {
			count = len(app.Instances)
		}
		if count == n {
			t.Logf("%s has %d instance(s) after %v", name, n, time.Since(start).Round(time.Millisecond))
			return app
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: %d instances, want %d (last error %v)", name, count, n, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
