package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// request is one of the benchmark's requests, written on the wire as is,
// with the response body every variant must answer it with.
type request struct {
	name string
	raw  []byte
	want []byte
}

// benchRequests are the three requests, one per method, that every round
// sends in turn: two POSTs with JSON bodies and a GET with a path parameter.
func benchRequests() []request {
	post := func(path, body string) []byte {
		return fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", path, len(body), body)
	}
	return []request{
		{"sum", post("/sum", `{"a":1,"b":2}`), []byte("{\"v\":3}\n")},
		{"concat", post("/concat", `{"a":"foo","b":"bar"}`), []byte("{\"v\":\"foobar\"}\n")},
		{"greet", []byte("GET /greet/ann HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), []byte("{\"v\":\"hello, ann\"}\n")},
	}
}

// conn is a keep-alive HTTP/1.1 client connection that sends prepared
// requests and checks the responses, with as little work (and allocation) as
// it can, so that the driver takes as little CPU from the server as it can.
type conn struct {
	c    net.Conn
	br   *bufio.Reader
	body []byte
	reqs []request
}

// dialHTTP opens a connection to the HTTP server at addr, for calls until
// deadline.
func dialHTTP(addr string, deadline time.Time) (caller, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	if err := c.SetDeadline(deadline); err != nil {
		c.Close()
		return nil, err
	}
	return &conn{c: c, br: bufio.NewReaderSize(c, 4096), body: make([]byte, 0, 512), reqs: benchRequests()}, nil
}

// call sends request n (the requests taken in turn) and checks its response.
func (c *conn) call(n int64) error { return c.roundTrip(&c.reqs[n%int64(len(c.reqs))]) }

// roundTrip sends r and reads its response: status 200 and the body r wants.
func (c *conn) roundTrip(r *request) error {
	if _, err := c.c.Write(r.raw); err != nil {
		return err
	}
	line, err := c.line()
	if err != nil {
		return err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return fmt.Errorf("%s: malformed status line %q", r.name, line)
	}
	status := string(line[9:12])
	length, chunked, closing := -1, false, false
	for {
		line, err := c.line()
		if err != nil {
			return err
		}
		if len(line) == 0 {
			break
		}
		k, v, _ := bytes.Cut(line, []byte(":"))
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(v)); err != nil {
				return fmt.Errorf("%s: Content-Length %q", r.name, v)
			}
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(v, []byte("chunked"))
		case bytes.EqualFold(k, []byte("Connection")):
			closing = bytes.EqualFold(v, []byte("close"))
		}
	}
	c.body = c.body[:0]
	switch {
	case chunked:
		err = c.readChunked()
	case length >= 0:
		c.body = append(c.body, make([]byte, length)...)
		_, err = io.ReadFull(c.br, c.body)
	default:
		err = fmt.Errorf("%s: response without Content-Length", r.name)
	}
	if err != nil {
		return err
	}
	if status != "200" || !bytes.Equal(c.body, r.want) {
		return fmt.Errorf("%s: got %s %q, want 200 %q", r.name, status, c.body, r.want)
	}
	if closing {
		return fmt.Errorf("%s: the server closed the keep-alive connection", r.name)
	}
	return nil
}

// readChunked appends a chunked body to c.body.
func (c *conn) readChunked() error {
	for {
		line, err := c.line()
		if err != nil {
			return err
		}
		size, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.SplitN(line, []byte(";"), 2)[0])), 16, 32)
		if err != nil {
			return fmt.Errorf("chunk size %q", line)
		}
		if size == 0 {
			_, err := c.line() // no trailers are expected
			return err
		}
		n := len(c.body)
		c.body = append(c.body, make([]byte, size)...)
		if _, err := io.ReadFull(c.br, c.body[n:]); err != nil {
			return err
		}
		if _, err := c.line(); err != nil {
			return err
		}
	}
}

// line reads one CRLF-terminated line, without the CRLF; it is valid until
// the next read.
func (c *conn) line() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(line[:len(line)-1], []byte("\r")), nil
}

func (c *conn) close() { c.c.Close() }
