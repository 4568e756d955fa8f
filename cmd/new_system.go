package cmd

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/gokit"
	genservice "github.com/kitforge/kitforge/generator/gokit/service"
)

// The --example system module: the service NAME (the usual example
// interface) calls a second service, users, through its generated client;
// both implementations are written, so the call works as it is.
const (
	exampleUsersInterface = `// Package usersservice declares the users service, which the NAME service calls.
// kitforge generates its endpoints, transports, client and wiring from the
// Service interface below: change the interface, then run ` + "`go generate ./...`" + `.
package usersservice

import "context"

//go:generate kitforge generate

// Service is the users service.
//
//kitforge:service
type Service interface {
	// Name returns the display name of the user id.
	//
	// kitforge:http GET /users/{id}
	Name(ctx context.Context, id string) (string, error)
}
`
	exampleUsersImpl = `// ` + gokit.ScaffoldHeader + `

package usersservice

import (
	"context"
	"strings"
)

// basicService implements Service.
type basicService struct{}

// New returns the users service implementation.
func New() Service {
	return basicService{}
}

// Name returns the display name of the user id: the id, capitalized.
func (s basicService) Name(ctx context.Context, id string) (string, error) {
	if id == "" {
		return "", ErrNotImplemented
	}
	return strings.ToUpper(id[:1]) + id[1:], nil
}
`
	exampleCallerImpl = `// ` + gokit.ScaffoldHeader + `

package NAMEservice

import (
	"context"

	"MODULE/pkg/usersservice"
)

// basicService implements Service; it calls the users service.
type basicService struct {
	users usersservice.Service
}

// New returns the NAME service implementation, which calls users through the
// parameter (main.go passes its generated client).
func New(users usersservice.Service) Service {
	return basicService{users: users}
}

// Sum returns the sum of a and b.
func (s basicService) Sum(ctx context.Context, a, b int) (int, error) {
	return a + b, nil
}

// Greet greets the user name by the display name the users service gives.
func (s basicService) Greet(ctx context.Context, name string, excited bool) (string, error) {
	display, err := s.users.Name(ctx, name)
	if err != nil {
		return "", err
	}
	greeting := "Hello, " + display
	if excited {
		greeting += "!"
	}
	return greeting, nil
}
`
)

// systemExample returns the files of the --example system module that
// kitforge does not generate, by path, and its kitforge.yaml.
func systemExample(name, module string) (map[string][]byte, config.Module) {
	callerPkg := name + "service"
	iface := genservice.ExampleInterface(name, gokit.Pkg{Name: callerPkg})
	// One //go:generate line (in users) regenerates the whole module.
	iface = bytes.Replace(iface, []byte(genservice.GoGenerateDirective+"\n\n"), nil, 1)
	caller := strings.NewReplacer("NAME", name, "MODULE", module).Replace(exampleCallerImpl)
	files := map[string][]byte{
		filepath.Join("pkg", "usersservice", "service.go"):      []byte(strings.ReplaceAll(exampleUsersInterface, "NAME", name)),
		filepath.Join("pkg", "usersservice", "service_impl.go"): []byte(exampleUsersImpl),
		filepath.Join("pkg", callerPkg, "service.go"):           iface,
		filepath.Join("pkg", callerPkg, "service_impl.go"):      []byte(caller),
	}
	m := config.Module{List: true, Services: []config.Options{
		{Name: "users", Package: "./pkg/usersservice", Interface: "Service", Out: "pkg", Transports: []string{"http"}},
		{Name: name, Package: "./pkg/" + callerPkg, Interface: "Service", Out: "pkg", Transports: []string{"http"}, Calls: []string{"users"}},
	}}
	return files, m
}
