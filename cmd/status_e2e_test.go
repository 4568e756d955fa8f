package cmd

import (
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestStatusDirectiveEndToEnd: sentinel errors with //kitforge:status in the
// service package of a generated HTTP + gRPC service, served by the real
// server process: curl gets each status with the JSON error body, grpcurl
// the matching gRPC code, and the generated HTTP and gRPC clients an error
// that errors.Is the sentinel (also for two errors sharing 409 and for 412,
// which gRPC carries as FailedPrecondition); /openapi.json lists the
// statuses.
func TestStatusDirectiveEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service; skipped with -short")
	}
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "calc", "--module", "example.com/calc", "--transport", "http,grpc")
	mod := filepath.Join(work, "calc")
	writeFile(t, filepath.Join(mod, "pkg", "calcservice", "errors.go"), statusErrors)
	writeFile(t, filepath.Join(mod, "pkg", "calcservice", "service_impl.go"), statusImpl)
	writeFile(t, filepath.Join(mod, "cmd", "calcclients", "main.go"), statusClients)
	run(t, mod, "go", "generate", "./...")
	svcBin := filepath.Join(work, "calc-bin")
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/calc")
	run(t, mod, "go", "vet", "./...")
	run(t, mod, bin, "generate", "--check")

	s, grpcAddr := startGRPCService(t, svcBin)
	defer s.stop()
	for _, c := range []struct {
		name, message, code string
		status              int
	}{
		{"nobody", `greet \"nobody\": no such person`, "NotFound", 404},
		{"taken", "name taken", "AlreadyExists", 409},
		{"stale", "greeting changed meanwhile", "AlreadyExists", 409},
		{"late", "too late to greet", "FailedPrecondition", 412},
		{"bob", "", "", 200},
	} {
		want := `{"v":"Hello, bob"}`
		if c.status != 200 {
			want = `{"error":"` + c.message + `"}`
		}
		curlStatus(t, s.base+"/greet/"+c.name, c.status, want)
		if c.code != "" {
			expectGRPC(t, grpcAddr, "calc.Calc/Greet", `{"name":"`+c.name+`"}`, false, "Code: "+c.code)
		}
	}
	// StatusCode() keeps working beside the directive.
	s.expect("POST", "/sum", `{"a":-1,"b":2}`, 422, "error", "negative numbers are not supported")

	got := run(t, mod, "go", "run", "./cmd/calcclients", strings.TrimPrefix(s.base, "http://"), grpcAddr)
	for _, transport := range []string{"http", "grpc"} {
		for _, want := range []string{
			"nobody: notFound=true taken=false stale=false late=false",
			"taken: notFound=false taken=true stale=false late=false",
			"stale: notFound=false taken=false stale=true late=false",
			"late: notFound=false taken=false stale=false late=true",
		} {
			if want = transport + " " + want; !strings.Contains(got, want) {
				t.Errorf("client output lacks %q:\n%s", want, got)
			}
		}
	}

	resp, err := http.Get(s.base + "/openapi.json")
	must(t, err)
	doc, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	must(t, err)
	for _, want := range []string{`"404": {`, `"description": "ErrNoPerson is returned for a name nobody has."`, `"412": {`} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("/openapi.json lacks %s", want)
		}
	}
}

// curlStatus GETs url with curl and checks the status and the body.
func curlStatus(t *testing.T, url string, status int, body string) {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not found")
	}
	out, err := exec.Command("curl", "-s", "-w", "\n%{http_code}", url).Output()
	if err != nil {
		t.Fatalf("curl %s: %v", url, err)
	}
	text := string(out)
	i := strings.LastIndexByte(text, '\n')
	gotBody, gotStatus := text[:max(i, 0)], text[i+1:]
	if gotStatus != strconv.Itoa(status) || strings.TrimSpace(gotBody) != body {
		t.Errorf("curl %s: %s %s, want %d %s", url, gotStatus, gotBody, status, body)
	}
}

// statusErrors declares the sentinel errors with their statuses.
const statusErrors = `package calcservice

import "errors"

// ErrNoPerson is returned for a name nobody has.
//
//kitforge:status 404
var ErrNoPerson = errors.New("no such person")

var (
	// ErrTaken is returned for a name in use.
	//kitforge:status 409
	ErrTaken = errors.New("name taken")

	// ErrStale is returned when the greeting changed since it was read.
	//kitforge:status 409
	ErrStale = errors.New("greeting changed meanwhile")
)

// ErrTooLate is returned after hours.
//
//kitforge:status 412
var ErrTooLate = errors.New("too late to greet")
`

// statusImpl returns a sentinel for some names, wrapped or not.
const statusImpl = `package calcservice

import (
	"context"
	"fmt"
)

type basicService struct{}

// New returns the calc service implementation.
func New() Service { return basicService{} }

func (basicService) Sum(_ context.Context, a, b int) (int, error) {
	if a < 0 || b < 0 {
		return 0, Errorf(422, "negative numbers are not supported")
	}
	return a + b, nil
}

func (basicService) Greet(_ context.Context, name string, excited bool) (string, error) {
	switch name {
	case "nobody":
		return "", fmt.Errorf("greet %q: %w", name, ErrNoPerson)
	case "taken":
		return "", ErrTaken
	case "stale":
		return "", ErrStale
	case "late":
		return "", ErrTooLate
	}
	return "Hello, " + name, nil
}
`

// statusClients calls Greet through the generated HTTP and gRPC clients and
// prints which sentinel each error is.
const statusClients = `package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/calc/pkg/calcservice"
	"example.com/calc/pkg/calctransport"
)

func main() {
	h, err := calctransport.NewHTTPClient(os.Args[1])
	if err != nil {
		panic(err)
	}
	conn, err := grpc.NewClient(os.Args[2], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	for _, c := range []struct {
		name string
		svc  calcservice.Service
	}{{"http", h}, {"grpc", calctransport.NewGRPCClient(conn)}} {
		for _, name := range []string{"nobody", "taken", "stale", "late"} {
			_, err := c.svc.Greet(context.Background(), name, false)
			fmt.Printf("%s %s: notFound=%v taken=%v stale=%v late=%v (%v)\n", c.name, name,
				errors.Is(err, calcservice.ErrNoPerson), errors.Is(err, calcservice.ErrTaken),
				errors.Is(err, calcservice.ErrStale), errors.Is(err, calcservice.ErrTooLate), err)
		}
	}
}
`
