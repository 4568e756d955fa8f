package protoparse

import (
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/kitforge/kitforge/generator/model"
)

// asyncDirective is the line of an rpc's leading comment that makes it
// fire-and-forget on message transports.
const asyncDirective = "kitforge:async"

// isAsync reports whether the rpc's comment holds the kitforge:async
// directive, which is for unary rpcs returning google.protobuf.Empty: over
// NATS their caller publishes the request and does not wait for a reply.
func isAsync(doc []string, md protoreflect.MethodDescriptor, at model.Pos, rpc string) (bool, error) {
	found := false
	for _, line := range doc {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), asyncDirective)
		if !ok {
			continue
		}
		if strings.TrimSpace(rest) != "" {
			return false, model.Errorf(at, "write // kitforge:async alone on its line", "rpc %s: kitforge:async takes no arguments", rpc)
		}
		found = true
	}
	if !found {
		return false, nil
	}
	if md.IsStreamingClient() || md.IsStreamingServer() {
		return false, model.Errorf(at, "drop the directive: a stream is not fire-and-forget", "rpc %s: kitforge:async is for unary rpcs, but it streams", rpc)
	}
	if out := md.Output().FullName(); out != "google.protobuf.Empty" {
		return false, model.Errorf(at, "an async call gets no reply: return google.protobuf.Empty, or drop the directive",
			"rpc %s: kitforge:async needs an rpc returning google.protobuf.Empty, but it returns %s", rpc, out)
	}
	return true, nil
}
