package config

import (
	"slices"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
)

// ProtoTransports are the transports a .proto service can have, in the order
// they are wired: any of them, at least one.
var ProtoTransports = []string{"http", "grpc", "nats", "amqp"}

// validateProtoTransports checks the transports of a .proto service: a
// non-empty subset of ProtoTransports (the HTTP listener serves /healthz and
// /metrics whichever they are).
func (o Options) validateProtoTransports(at func(string) model.Pos) error {
	if len(o.Proto) == 0 || o.Transports == nil {
		return nil
	}
	if len(o.Transports) == 0 {
		return model.Errorf(at("transports"), "list at least one of "+strings.Join(ProtoTransports, ", ")+", or leave transports out for http and grpc",
			"transports: a .proto service needs at least one transport")
	}
	for _, t := range o.Transports {
		if !slices.Contains(ProtoTransports, t) {
			return model.Errorf(at("transports"), "use transports among "+strings.Join(ProtoTransports, ", "),
				"transports: %s is not available for .proto services yet", t)
		}
	}
	return nil
}
