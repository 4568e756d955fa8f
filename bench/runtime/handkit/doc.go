// Package handkit is the benchmark's hand-written Go kit service: the same
// three methods as the floor and the generated service, written the way
// go-kit/examples addsvc is — a service package with its middlewares
// (hkservice), an endpoint package with a Set and endpoint middlewares
// (hkendpoint), and an HTTP transport (hktransport). It has the same
// instrumentation as kitforge's default: a log line per call with its
// parameters, duration and error; a Prometheus counter and histogram by method
// and outcome; recovery from panics.
package handkit
