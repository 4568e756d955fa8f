package testinfra

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// TestRabbitMQServesAMQP starts two brokers at once (as two test runs would), checks
// that each is its own node with its own epmd, and does a request/reply
// round trip on each the way go-kit transport/amqp does: reply_to and
// correlation id.
func TestRabbitMQServesAMQP(t *testing.T) {
	var up sync.WaitGroup
	up.Add(2)
	bothUp := make(chan struct{})
	go func() { up.Wait(); close(bothUp) }()
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := RabbitMQ(t)
			up.Done()
			select {
			case <-bothUp:
			case <-time.After(2 * time.Minute):
				t.Fatal("the other broker never started")
			}

			epmd := lookPath("epmd", "/usr/bin/epmd")
			out, err := exec.Command(epmd, "-port", strconv.Itoa(s.Ports["epmd"]), "-names").CombinedOutput()
			if err != nil {
				t.Fatalf("epmd -names: %v\n%s", err, out)
			}
			node, _, _ := strings.Cut(RabbitMQNode(s), "@")
			want := "name " + node + " at port " + strconv.Itoa(s.Ports["dist"])
			if got := strings.Count(string(out), "name "); got != 1 || !strings.Contains(string(out), want) {
				t.Errorf("private epmd lists %d nodes, want only %q:\n%s", got, want, out)
			}

			roundTrip(t, s.URL)
			checkStops(t, s)
		})
	}
}

// roundTrip serves a queue that answers each request on its reply_to queue
// with the request's correlation id, and calls it once.
func roundTrip(t *testing.T, url string) {
	t.Helper()
	conn, err := amqp.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ch.QueueDeclare("calc.Sum", false, true, false, false, nil); err != nil {
		t.Fatal(err)
	}
	requests, err := ch.Consume("calc.Sum", "", false, false, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for d := range requests {
			_ = ch.Publish("", d.ReplyTo, false, false, amqp.Publishing{
				CorrelationId: d.CorrelationId,
				Body:          append([]byte("sum:"), d.Body...),
			})
			_ = d.Ack(false)
		}
	}()
	reply, err := ch.QueueDeclare("", false, true, true, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	replies, err := ch.Consume(reply.Name, "", true, true, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = ch.PublishWithContext(ctx, "", "calc.Sum", true, false, amqp.Publishing{
		ReplyTo: reply.Name, CorrelationId: "c1", Body: []byte("1+2"),
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case d := <-replies:
		if d.CorrelationId != "c1" || string(d.Body) != "sum:1+2" {
			t.Fatalf("reply %q with correlation id %q", d.Body, d.CorrelationId)
		}
	case <-ctx.Done():
		t.Fatal("no reply")
	}
}
