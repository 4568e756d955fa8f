package client

import "testing"

func TestParseInstance(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want instance
	}{
		{"127.0.0.1:8080", instance{addr: "127.0.0.1:8080", grpcAddr: "127.0.0.1:8080", weight: 1}},
		{"http://h:1?weight=3", instance{addr: "h:1", grpcAddr: "h:1", weight: 3}},
		{"h:1?weight=3&grpc=2", instance{addr: "h:1", grpcAddr: "h:2", weight: 3}},
		{"[::1]:1?grpc=2", instance{addr: "[::1]:1", grpcAddr: "[::1]:2", weight: 1}},
		{"h:1?weight=0", instance{addr: "h:1", grpcAddr: "h:1", weight: 1}},
		{"h:1?weight=x", instance{addr: "h:1", grpcAddr: "h:1", weight: 1}},
		{"h:1?weight=99999999", instance{addr: "h:1", grpcAddr: "h:1", weight: maxWeight}},
	} {
		got, err := parseInstance(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("parseInstance(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "h", "h:", "h:1?%zz"} {
		if got, err := parseInstance(bad); err == nil {
			t.Errorf("parseInstance(%q) = %+v, want an error", bad, got)
		}
	}
}

func TestFormatInstanceRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		host                   string
		port, grpcPort, weight int
		want                   string
	}{
		{"10.0.0.1", 8080, 0, 1, "10.0.0.1:8080"},
		{"10.0.0.1", 8080, 0, 0, "10.0.0.1:8080"},
		{"10.0.0.1", 8080, 8081, 3, "10.0.0.1:8080?weight=3&grpc=8081"},
		{"::1", 8080, 0, 2, "[::1]:8080?weight=2"},
	} {
		s := formatInstance(tc.host, tc.port, tc.grpcPort, tc.weight)
		if s != tc.want {
			t.Errorf("formatInstance = %q, want %q", s, tc.want)
		}
		if _, err := parseInstance(s); err != nil {
			t.Errorf("parseInstance(%q): %v", s, err)
		}
	}
}
