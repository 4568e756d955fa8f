package protoschema

import (
	"bytes"
	"testing"
)

// TestBuildResult checks what Build says each message carries: requests and
// responses map to the method's parameters and results in order, struct
// messages to the struct's fields (json "-" left out), with the numbers the
// schema text declares.
func TestBuildResult(t *testing.T) {
	ts := newUsersTypes()
	svc := usersService(ts)
	r, err := Build(svc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.Source, mustSchema(t, usersService(newUsersTypes()), Options{})) {
		t.Error("Build's Source differs from Schema's output")
	}
	if r.Package != "users" {
		t.Errorf("Package = %q, want users", r.Package)
	}
	nums := numbers(t, r.Source)
	byName := map[string]Message{}
	for _, m := range r.Messages {
		byName[m.Name] = m
		for _, f := range m.Fields {
			if nums[m.Name][f.Name] != f.Number {
				t.Errorf("%s.%s: number %d, schema says %d", m.Name, f.Name, f.Number, nums[m.Name][f.Name])
			}
		}
	}
	list := byName["ListRequest"]
	if list.Method != svc.Methods[2] || list.Response || list.Type != nil || len(list.Fields) != 3 {
		t.Fatalf("ListRequest = %+v", list)
	}
	for i, p := range svc.Methods[2].Params {
		if f := list.Fields[i]; f.GoName != p.GoName || f.Type != p.Type {
			t.Errorf("ListRequest field %d = %s %v, want %s", i, f.GoName, f.Type, p.GoName)
		}
	}
	if resp := byName["ListResponse"]; !resp.Response || resp.Fields[1].GoName != "NextPageToken" || resp.Fields[1].Name != "next_page_token" {
		t.Errorf("ListResponse = %+v", resp)
	}
	user := byName["User"]
	if user.Type != ts.user || user.Method != nil {
		t.Fatalf("User message carries %v", user.Type)
	}
	if n := len(user.Fields); n != len(ts.user.Underlying.Fields)-1 {
		t.Errorf("User has %d fields, want all but the json:\"-\" one", n)
	}
	for _, f := range user.Fields {
		if f.GoName == "Secret" {
			t.Error("User carries the json:\"-\" field Secret")
		}
	}
	if f := user.Fields[1]; f.GoName != "Name" || f.Name != "name" {
		t.Errorf("User field 1 = %+v", f)
	}
}
