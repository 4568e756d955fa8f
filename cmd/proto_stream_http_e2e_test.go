package cmd

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// streamImpl implements the proto_streaming golden case's Chat service:
// Subscribe sends three messages of the room, a moment apart, then fails
// when the room is "bad"; Upload counts the messages it receives.
const streamImpl = `package chatservice

import (
	"context"
	"io"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	chatv1 "example.com/chat/pkg/pb/chat/v1"
)

type basicService struct{}

// New returns the Chat implementation.
func New() Service { return basicService{} }

// Ping is unary.
func (s basicService) Ping(ctx context.Context, in *emptypb.Empty) (*chatv1.Pong, error) {
	return &chatv1.Pong{UnixNano: 1}, nil
}

// Subscribe streams three messages of the room.
func (s basicService) Subscribe(in *chatv1.SubscribeRequest, stream SubscribeStream) error {
	for _, text := range []string{"one", "two", "three"} {
		if err := stream.Send(&chatv1.Message{Room: in.GetRoom(), Text: text}); err != nil {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	if in.GetRoom() == "bad" {
		return status.Error(codes.DataLoss, "room lost")
	}
	return nil
}

// Upload counts the messages it receives.
func (s basicService) Upload(stream UploadStream) error {
	n := int32(0)
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&chatv1.UploadSummary{Count: n})
		}
		if err != nil {
			return err
		}
		n++
	}
}

// Converse streams both ways.
func (s basicService) Converse(stream ConverseStream) error {
	return ErrNotImplemented
}
`

// TestProtoStreamsOverHTTPEndToEnd generates the proto_streaming golden
// case, implements it, runs the server and calls its streaming rpcs over
// HTTP with curl: the server stream as newline-delimited JSON (each line
// read as it is flushed) and as Server-Sent Events, its failure as the last
// line, the client stream from a newline-delimited body; the bidirectional
// rpc's binding is not served, and kitforge says so.
func TestProtoStreamsOverHTTPEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated proto service; skipped with -short")
	}
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	args := extractCase(t, filepath.Join(goldenDir, "proto_streaming", "input.txtar"), mod, "example.com/chat")
	out := run(t, mod, bin, args...)
	if !strings.Contains(out, "rpc Chat.Converse streams both ways: served on gRPC only; its google.api.http annotation is not served") {
		t.Errorf("no note on the bidirectional rpc's binding:\n%s", out)
	}
	writeFile(t, filepath.Join(mod, "pkg", "chatservice", "service_impl.go"), streamImpl)
	svcBin := filepath.Join(t.TempDir(), "chat")
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/chat")
	grpcAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	s := startServiceWith(t, svcBin, []string{"GRPC_ADDR=" + grpcAddr})
	curl := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("curl", append([]string{"-sS", "-N", "--max-time", "10"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("curl %v: %v\n%s", args, err, out)
		}
		return string(out)
	}

	// Lines arrive as they are sent: the first long before the last.
	cmd := exec.Command("curl", "-sS", "-N", "-i", s.base+"/v1/rooms/lobby/messages")
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	lines := bufio.NewScanner(stdout)
	var body []string
	var first time.Duration
	start := time.Now()
	header := true
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		if header {
			header = line != ""
			if strings.HasPrefix(strings.ToLower(line), "content-type:") && !strings.Contains(line, "application/x-ndjson") {
				t.Errorf("server stream: %s", line)
			}
			continue
		}
		if first == 0 {
			first = time.Since(start)
		}
		body = append(body, normJSON(line))
	}
	_ = cmd.Wait()
	want := []string{`{"result":{"room":"lobby","text":"one"}}`, `{"result":{"room":"lobby","text":"two"}}`, `{"result":{"room":"lobby","text":"three"}}`}
	if strings.Join(body, "\n") != strings.Join(want, "\n") {
		t.Errorf("server stream over HTTP:\n%s\nwant\n%s", strings.Join(body, "\n"), strings.Join(want, "\n"))
	}
	if total := time.Since(start); first > total-80*time.Millisecond {
		t.Errorf("the first line came after %v of %v: not flushed as sent", first, total)
	}

	if got := curl(s.base + "/v1/rooms/bad/messages"); !strings.HasSuffix(normJSON(lastLine(got)), `{"error":{"code":500,"message":"room lost","status":"DATA_LOSS"}}`) {
		t.Errorf("a failure after the first message is the last line:\n%s", got)
	}
	if got := curl("-H", "Accept: text/event-stream", s.base+"/v1/rooms/lobby/messages"); !strings.HasPrefix(got, "data: {") ||
		normJSON(strings.TrimPrefix(strings.SplitN(got, "\n", 2)[0], "data: ")) != `{"room":"lobby","text":"one"}` {
		t.Errorf("Server-Sent Events:\n%q", got)
	}
	got := curl("-X", "POST", "-H", "Content-Type: application/x-ndjson", "--data-binary", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"text\":\"c\"}\n", s.base+"/v1/uploads")
	if normJSON(got) != `{"count":3}` {
		t.Errorf("client stream over HTTP: %s", got)
	}
	if status, _ := s.call(http.MethodPost, "/v1/conversations", "{}"); status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
		t.Errorf("the bidirectional rpc's binding answered %d, want 404 (not served)", status)
	}
	s.expect(http.MethodGet, "/v1/ping", "", http.StatusOK, "unixNano", "1")

	// Over gRPC, a stream carries its request id as a unary call does: sent
	// back as a header, in the stream's context, logged.
	out, ok := grpcurl(t, []string{"-v", "-H", "x-request-id: stream-7", "-d", `{"room":"r"}`}, grpcAddr, "chat.v1.Chat/Subscribe")
	if !ok || !strings.Contains(out, "x-request-id: stream-7") || !strings.Contains(out, `"text": "three"`) {
		t.Errorf("grpcurl Subscribe with a request id:\n%s", out)
	}
	s.stop()
	if log := s.log(); !strings.Contains(log, "method=Subscribe request_id=stream-7") {
		t.Errorf("the stream's log line lacks its request id:\n%s", log)
	}
}

// normJSON re-encodes a JSON value with encoding/json (sorted keys, no
// spaces): protojson varies its whitespace on purpose, so its output is
// compared by value.
func normJSON(s string) string {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &v); err != nil {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
