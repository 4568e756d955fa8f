package config

import "testing"

// TestProtoOptionsRoundTrip: the proto keys survive Marshal and Parse, paths
// with spaces and Go packages with ";name" included.
func TestProtoOptionsRoundTrip(t *testing.T) {
	o := Options{
		Name:       "lib",
		Proto:      []string{"proto/a v1.proto", "proto/b.proto"},
		ProtoPaths: []string{"proto"},
		GoPackage:  []string{"example.com/x/pb;pb", "b.proto=example.com/y"},
		Transports: []string{"http", "grpc"},
	}
	got, err := Parse(o.Marshal(), "k")
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Marshal()) != string(o.Marshal()) {
		t.Fatalf("round trip changed the file:\n%s\nwant:\n%s", got.Marshal(), o.Marshal())
	}
	if got.WithDefaults().Package != "" {
		t.Errorf("a proto service got a default Go package pattern %q", got.WithDefaults().Package)
	}
}
