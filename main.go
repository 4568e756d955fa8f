// Command kitforge generates Go kit services from Go interfaces and .proto files.
package main

import (
	"context"
	"os"

	"github.com/kitforge/kitforge/cmd"
	"github.com/kitforge/kitforge/internal/gcpolicy"
)

func main() {
	gcpolicy.Apply()
	os.Exit(cmd.Execute(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
