// Package broker emits the message-broker transports: <name>transport's

// nats_gen.go and amqp_gen.go (subscribers, and the typed client over the
// broker), and what the server's Run needs to serve them.
package broker
