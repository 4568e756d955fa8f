package protoschema

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emicklei/proto"

	"github.com/kitforge/kitforge/generator/model"
)

// numbers reads a schema back: message → field name → number.
func numbers(t *testing.T, schema []byte) map[string]map[string]int {
	t.Helper()
	def, err := proto.NewParser(bytes.NewReader(schema)).Parse()
	if err != nil {
		t.Fatalf("%v\n%s", err, schema)
	}
	fields := map[string]map[string]int{}
	proto.Walk(def, proto.WithMessage(func(m *proto.Message) {
		fields[m.Name] = map[string]int{}
		for _, e := range m.Elements {
			switch e := e.(type) {
			case *proto.NormalField:
				fields[m.Name][e.Name] = e.Sequence
			case *proto.MapField:
				fields[m.Name][e.Name] = e.Sequence
			}
		}
	}))
	return fields
}

// mustSchema is Schema that fails the test on error.
func mustSchema(t *testing.T, svc *model.Service, opts Options) []byte {
	t.Helper()
	b, err := Schema(svc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStableNumbers adds a method and a struct field, then removes fields,
// and checks that no existing field is renumbered and no number is reused.
func TestStableNumbers(t *testing.T) {
	ts := newUsersTypes()
	v1 := mustSchema(t, usersService(ts), Options{})
	before := numbers(t, v1)

	// v2: a field inserted in the middle of User, and a method added first.
	ts = newUsersTypes()
	u := ts.user.Underlying
	u.Fields = append(u.Fields[:2], append([]*model.StructField{sf("Phone", "phone", basic("string"))}, u.Fields[2:]...)...)
	svc := usersService(ts)
	svc.Methods = append([]*model.Method{{
		Name: "Ping", Pos: model.Pos{File: "usersservice/service.go", Line: 18, Col: 2},
		Results: []*model.Field{param("ok", basic("bool"), "usersservice/service.go", 18)},
	}}, svc.Methods...)
	v2 := mustSchema(t, svc, Options{Previous: v1})
	after := numbers(t, v2)
	for msg, fields := range before {
		for name, n := range fields {
			if after[msg][name] != n {
				t.Errorf("%s.%s: number %d became %d", msg, name, n, after[msg][name])
			}
		}
	}
	if got, want := after["User"]["phone"], len(before["User"])+1; got != want {
		t.Errorf("User.phone = %d, want %d (max+1)", got, want)
	}
	if after["PingResponse"]["ok"] != 1 {
		t.Errorf("PingResponse.ok = %d, want 1", after["PingResponse"]["ok"])
	}

	// v3: User loses email and tags; avatar changes type; ttl keeps its number.
	ts = newUsersTypes()
	u = ts.user.Underlying
	var kept []*model.StructField
	for _, f := range u.Fields {
		switch f.GoName {
		case "Email", "Tags":
			continue
		case "Avatar":
			f.Type = basic("string")
		}
		kept = append(kept, f)
	}
	u.Fields = append(kept[:2], append([]*model.StructField{sf("Phone", "phone", basic("string"))}, kept[2:]...)...)
	svc = usersService(ts)
	v3 := mustSchema(t, svc, Options{Previous: v2})
	final := numbers(t, v3)
	if final["User"]["ttl"] != before["User"]["ttl"] || final["User"]["phone"] != after["User"]["phone"] {
		t.Errorf("kept fields were renumbered:\n%s", v3)
	}
	email, tags, avatar := before["User"]["email"], before["User"]["tags"], before["User"]["avatar"]
	if final["User"]["avatar"] == avatar {
		t.Errorf("avatar changed type but kept number %d", avatar)
	}
	wantReserved := "reserved " + strconv.Itoa(email) + ", " + strconv.Itoa(tags) + ", " + strconv.Itoa(avatar) + ";"
	if !strings.Contains(string(v3), "message User {\n  "+wantReserved+"\n  reserved \"email\", \"tags\";\n") {
		t.Errorf("User should start with %q and reserve the names email and tags:\n%s", wantReserved, v3)
	}

	// v4: email comes back. Its old number stays reserved, so it gets a new
	// one, and its name is no longer reserved (protoc would refuse the field).
	ts = newUsersTypes()
	svc = usersService(ts)
	v4 := mustSchema(t, svc, Options{Previous: v3})
	again := numbers(t, v4)
	if n := again["User"]["email"]; n == email || n <= final["User"]["avatar"] {
		t.Errorf("re-added email got number %d, want a new one above %d", n, final["User"]["avatar"])
	}
	if strings.Contains(string(v4), `"email"`) {
		t.Errorf("email is still a reserved name:\n%s", v4)
	}
}

func TestMergeSpans(t *testing.T) {
	got := mergeSpans([]span{{10, 12}, {3, 3}}, []int{4, 13, 20, 2})
	want := []span{{2, 4}, {10, 13}, {20, 20}}
	if len(got) != len(want) {
		t.Fatalf("mergeSpans = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("mergeSpans = %v, want %v", got, want)
		}
	}
}

func TestSkipsImplementationRange(t *testing.T) {
	m := &message{name: "M", fields: []*field{{name: "a"}, {name: "b"}}}
	if err := m.number(&previousMessage{reserved: []span{{1, 18999}}}); err != nil {
		t.Fatal(err)
	}
	if m.fields[0].number != 20000 || m.fields[1].number != 20001 {
		t.Errorf("numbers = %d, %d, want 20000, 20001", m.fields[0].number, m.fields[1].number)
	}
}

// TestPreviousSchemaCutOff: a previous schema that ends inside an rpc's
// option block (a hand edit gone wrong) is an error about that file, not a
// hang (emicklei/proto alone never returns from it).
func TestPreviousSchemaCutOff(t *testing.T) {
	prev := []byte("syntax = \"proto3\";\npackage users;\nservice Users {\n  rpc Get(GetRequest) returns (GetResponse) { x")
	done := make(chan error, 1)
	go func() {
		_, err := Schema(usersService(newUsersTypes()), Options{Previous: prev, PreviousFile: "pkg/userspb/users.proto"})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.HasPrefix(err.Error(), "pkg/userspb/users.proto: reading the previous schema: pkg/userspb/users.proto:4:47: syntax error") {
			t.Errorf("err = %v, want a syntax error in pkg/userspb/users.proto", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Schema did not return within 10s")
	}
}
