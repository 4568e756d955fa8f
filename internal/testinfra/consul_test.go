package testinfra

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"
)

func TestConsul(t *testing.T) {
	s := Consul(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// An instance with a /healthz, registered as go-kit sd/consul does: an
	// agent service with an HTTP check and metadata.
	healthz := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"status":"ok"}`))
	}))
	defer healthz.Close()
	u, _ := url.Parse(healthz.URL)
	port, _ := strconv.Atoi(u.Port())
	reg := map[string]any{
		"ID": "calc-1", "Name": "calc", "Address": "127.0.0.1", "Port": port,
		"Tags": []string{"kitforge"}, "Meta": map[string]string{"weight": "3"},
		"Check": map[string]any{
			"HTTP": healthz.URL + "/healthz", "Interval": "1s",
			"DeregisterCriticalServiceAfter": "1m",
		},
	}
	consulPut(t, ctx, s.URL+"/v1/agent/service/register", reg)

	// The catalog shows it, passing, with its metadata.
	var entries []struct {
		Service struct {
			ID   string
			Port int
			Meta map[string]string
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		entries = nil
		consulGet(t, ctx, s.URL+"/v1/health/service/calc?passing=true", &entries)
		if len(entries) == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(entries) != 1 || entries[0].Service.ID != "calc-1" || entries[0].Service.Port != port ||
		entries[0].Service.Meta["weight"] != "3" {
		t.Fatalf("passing instances of calc: %+v", entries)
	}

	consulPut(t, ctx, s.URL+"/v1/agent/service/deregister/calc-1", nil)
	var services map[string][]string
	consulGet(t, ctx, s.URL+"/v1/catalog/services", &services)
	if _, ok := services["calc"]; ok {
		t.Fatalf("calc still in the catalog after deregister: %v", services)
	}

	checkStops(t, s)
}

func consulPut(t *testing.T, ctx context.Context, url string, body any) {
	t.Helper()
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPut, url, bytes.NewReader(b))
	resp, err := loopbackClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("PUT %s: %s", url, resp.Status)
	}
}

func consulGet(t *testing.T, ctx context.Context, url string, v any) {
	t.Helper()
	code, body, err := httpGet(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if code != 200 {
		t.Fatalf("GET %s: %d %s", url, code, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatal(fmt.Errorf("GET %s: %v in %q", url, err, body))
	}
}
