package testinfra

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// loopbackClient talks to the servers' HTTP APIs: no proxy, short timeouts.
var loopbackClient = &http.Client{
	Transport: &http.Transport{
		Proxy:             nil,
		DialContext:       (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		DisableKeepAlives: true,
	},
	Timeout: 5 * time.Second,
}

// httpGet fetches url and returns its status code and body.
func httpGet(ctx context.Context, url string, header ...string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := loopbackClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b), err
}

// httpOK checks that url answers 200 and its body contains want.
func httpOK(ctx context.Context, url, want string, header ...string) error {
	code, body, err := httpGet(ctx, url, header...)
	if err != nil {
		return err
	}
	if code != http.StatusOK || !strings.Contains(body, want) {
		return fmt.Errorf("GET %s: %d %.200q", url, code, body)
	}
	return nil
}

// tcpExchange dials addr, writes req, and returns everything read until the
// server closes the connection or the deadline passes.
func tcpExchange(ctx context.Context, addr, req string) (string, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	if req != "" {
		if _, err := io.WriteString(c, req); err != nil {
			return "", err
		}
	}
	b, err := io.ReadAll(c)
	if len(b) > 0 {
		return string(b), nil
	}
	return "", err
}

// tcpGreeting dials addr and returns the first line the server sends.
func tcpGreeting(ctx context.Context, addr string) (string, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if n == 0 {
		return "", err
	}
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	return line, nil
}
