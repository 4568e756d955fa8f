#!/bin/sh
# Regenerates the committed Go code of testdata/proto with protoc and the
# pinned plugins below (go generate ./generator/transcode/difftest runs it).
# The outputs are renamed *_test.go so that grpc-gateway stays a test-only
# dependency: nothing but this package's tests compiles them.
set -eu
cd "$(dirname "$0")"
root=$(git rev-parse --show-toplevel)
bin=$(mktemp -d)
out=$(mktemp -d)
trap 'rm -rf "$bin" "$out"' EXIT
GOBIN=$bin go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
GOBIN=$bin go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
GOBIN=$bin go install github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway@v2.34.0
PATH=$bin:$PATH protoc -I testdata/proto -I "$root/generator/pbgo/third_party/googleapis" \
	--go_out="$out" --go_opt=paths=source_relative \
	--go-grpc_out="$out" --go-grpc_opt=paths=source_relative \
	--grpc-gateway_out="$out" --grpc-gateway_opt=paths=source_relative,generate_unbound_methods=true \
	difftest/v1/echo.proto difftest/v1/bench.proto
for f in "$out"/difftest/v1/*.go; do
	b=$(basename "$f" .go)
	cp "$f" "${b}_test.go"
done
