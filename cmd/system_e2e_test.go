package cmd

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kitforge/kitforge/internal/testinfra"
)

// The implementations of the system golden case's services (testdata/golden/system):
// orders calls users (found in Consul) and catalog (a static gRPC address).
const (
	systemUsersImpl = `package usersservice

import (
	"context"
	"os"
)

type basicService struct{}

// New returns the users service.
func New() Service { return basicService{} }

// Name names the user after its id and the instance that answered.
func (s basicService) Name(ctx context.Context, id string) (string, error) {
	return "user-" + id + "@" + os.Getenv("INSTANCE"), nil
}
`
	systemCatalogImpl = `package catalogservice

import (
	"context"

	catalogv1 "example.com/shop/pkg/pb/catalog/v1"
)

type basicService struct{}

// New returns the Catalog implementation.
func New() Service { return basicService{} }

// GetItem returns the item id, titled after it.
func (s basicService) GetItem(ctx context.Context, in *catalogv1.GetItemRequest) (*catalogv1.Item, error) {
	return &catalogv1.Item{Id: in.GetId(), Title: "title-" + in.GetId()}, nil
}
`
	systemOrdersImpl = `package ordersservice

import (
	"context"

	"example.com/shop/pkg/catalogservice"
	catalogv1 "example.com/shop/pkg/pb/catalog/v1"
	"example.com/shop/pkg/usersservice"
)

type basicService struct {
	users   usersservice.Service
	catalog catalogservice.Service
}

// New returns the orders service, which calls users and catalog.
func New(users usersservice.Service, catalog catalogservice.Service) Service {
	return basicService{users: users, catalog: catalog}
}

// Place asks users for the user's name and catalog for the item.
func (s basicService) Place(ctx context.Context, user, item string) (string, error) {
	name, err := s.users.Name(ctx, user)
	if err != nil {
		return "", err
	}
	it, err := s.catalog.GetItem(ctx, &catalogv1.GetItemRequest{Id: item})
	if err != nil {
		return "", err
	}
	return name + " ordered " + it.GetTitle(), nil
}
`
)

// TestSystemEndToEnd runs the system golden case as processes: two users
// instances registered with a real Consul agent, catalog over gRPC, and
// orders, whose method calls both through the generated clients wired by
// the generated calls_gen.go and main.go. Every call path answers, and a
// SIGTERM of one users instance under load loses no call.
func TestSystemEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a system of services")
	}
	consul := testinfra.Consul(t)
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	args := extractCase(t, filepath.Join(goldenDir, "system", "input.txtar"), mod, "example.com/shop")
	run(t, mod, bin, args...)
	for rel, src := range map[string]string{
		"pkg/usersservice/service_impl.go":   systemUsersImpl,
		"pkg/catalogservice/service_impl.go": systemCatalogImpl,
		"pkg/ordersservice/service_impl.go":  systemOrdersImpl,
	} {
		must(t, os.WriteFile(filepath.Join(mod, filepath.FromSlash(rel)), []byte(src), 0o644))
	}
	run(t, mod, bin, "generate", "--check")
	out := filepath.Join(t.TempDir(), "bin") + string(filepath.Separator)
	run(t, mod, "go", "build", "-o", out, "./cmd/users", "./cmd/catalog", "./cmd/orders")

	users := map[string]*service{}
	for _, name := range []string{"a", "b"} {
		users[name] = startServiceWith(t, out+"users", []string{"INSTANCE=" + name},
			"-consul-addr", consul.Addr, "-advertise-addr", "127.0.0.1", "-consul-check-interval", "1s")
	}
	grpcPort := freePort(t)
	catalog := startServiceWith(t, out+"catalog", nil, "-grpc-addr", "127.0.0.1:"+strconv.Itoa(grpcPort))
	catalogAddr := strings.TrimPrefix(catalog.base, "http://") + "?grpc=" + strconv.Itoa(grpcPort)
	orders := startServiceWith(t, out+"orders", nil, "-users-registry", consul.Addr, "-catalog-addr", catalogAddr)

	// Both users instances answer through orders, and catalog does.
	seen := map[string]bool{}
	for deadline := time.Now().Add(20 * time.Second); len(seen) < 2 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		status, body := orders.call(http.MethodPost, "/place", `{"user":"u1","item":"i1"}`)
		v, _ := body["v"].(string)
		if status != http.StatusOK {
			continue
		}
		for _, name := range []string{"a", "b"} {
			if v == "user-u1@"+name+" ordered title-i1" {
				seen[name] = true
			}
		}
	}
	if len(seen) < 2 {
		t.Fatalf("orders reached users instances %v, want a and b; orders logs:\n%s", seen, orders.log())
	}

	// SIGTERM of one users instance under load: no call fails.
	var ok, failed atomic.Int64
	var firstErr atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				status, body := orders.call(http.MethodPost, "/place", `{"user":"u2","item":"i2"}`)
				if status == http.StatusOK && strings.HasSuffix(body["v"].(string), " ordered title-i2") {
					ok.Add(1)
					continue
				}
				failed.Add(1)
				firstErr.CompareAndSwap(nil, strconv.Itoa(status))
			}
		})
	}
	time.Sleep(500 * time.Millisecond)
	users["a"].stop()
	time.Sleep(1500 * time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("under load, one users instance stopped: %d calls answered, %d failed", ok.Load(), failed.Load())
	if failed.Load() > 0 || ok.Load() < 50 {
		t.Fatalf("%d calls failed (first status %v), %d answered; orders logs:\n%s", failed.Load(), firstErr.Load(), ok.Load(), orders.log())
	}
}

// TestNewSystemExampleEndToEnd: `kitforge new NAME --example system` gives
// a module whose two services build, pass their generated tests, and, run
// as processes, answer a call of NAME that goes through users' generated
// client, as the printed Next: lines say.
func TestNewSystemExampleEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two services")
	}
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	out := run(t, work, bin, "new", "shop", "--module", "example.com/shop", "--example", "system")
	if !strings.Contains(out, "-users-addr localhost:8080") {
		t.Errorf("the Next: lines do not say how to run the two services:\n%s", out)
	}
	mod := filepath.Join(work, "shop")
	run(t, mod, "go", "vet", "./...")
	run(t, mod, "go", "test", "./...")
	run(t, mod, bin, "generate", "--check")
	binDir := filepath.Join(t.TempDir(), "bin") + string(filepath.Separator)
	run(t, mod, "go", "build", "-o", binDir, "./cmd/users", "./cmd/shop")
	users := startServiceWith(t, binDir+"users", nil)
	shop := startServiceWith(t, binDir+"shop", nil, "-users-addr", strings.TrimPrefix(users.base, "http://"))
	shop.expect(http.MethodGet, "/greet/ada?excited=true", "", http.StatusOK, "v", "Hello, Ada!")
	shop.expect(http.MethodGet, "/greet/ada", "", http.StatusOK, "v", "Hello, Ada")
	users.stop()
	// users is gone: the call fails, the caller does not hang or crash.
	if status, _ := shop.call(http.MethodGet, "/greet/ada", ""); status < 500 {
		t.Errorf("with users stopped, /greet answered %d, want a 5xx", status)
	}
}
