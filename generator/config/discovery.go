package config

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kitforge/kitforge/generator/model"
)

// Discoveries are the values of the discovery key: the service registries
// kitforge generates registration and a load-balancing client for, or none
// (the default; the client then works from a static instance list).
var Discoveries = []string{"none", "consul", "etcd", "eureka", "zookeeper", "dnssrv"}

// DiscoveryDoc documents the discovery key of kitforge.yaml.
const DiscoveryDoc = "service discovery: none, consul, etcd, eureka, zookeeper or dnssrv (registration in the server, instancer in <name>client)"

// ParseDiscovery checks a discovery value from a flag or the file and
// returns it normalized: "none" is "".
func ParseDiscovery(s string) (string, bool) {
	if !slices.Contains(Discoveries, s) {
		return "", false
	}
	if s == "none" {
		return "", true
	}
	return s, true
}

// parseDiscovery reads the discovery key: one known registry name.
func parseDiscovery(v *yaml.Node, pos func(*yaml.Node) model.Pos) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", model.Errorf(pos(v), "write one registry, e.g. discovery: consul", "%s: discovery must be a single value", FileName)
	}
	d, ok := ParseDiscovery(v.Value)
	if !ok {
		return "", model.Errorf(pos(v), "known registries: "+strings.Join(Discoveries, ", "), "%s: unknown discovery %q", FileName, v.Value)
	}
	return d, nil
}
