package difftest

// The .pb.go, _grpc.pb.go and .pb.gw.go of testdata/proto, committed as
// *_test.go; regen.sh says how they are made.
//go:generate ./regen.sh
