package protoschema

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"
	"github.com/emicklei/proto"

	"github.com/kitforge/kitforge/generator/model"
)

// Field number limits.
const (
	maxFieldNumber    = 1<<29 - 1
	firstImplReserved = 19000 // 19000-19999 are reserved for the protobuf implementation
	lastImplReserved  = 19999
)

// span is an inclusive range of field numbers.
type span struct{ from, to int }

// previousMessage is what the previous schema said about one message.
type previousMessage struct {
	fields        []previousField
	reserved      []span
	reservedNames []string
}

// previousField is a field of the previous schema.
type previousField struct {
	name      string
	number    int
	signature string // type without the optional label: "repeated User", "map<string, int64>"
}

// signature identifies a field's type for stability: a field whose signature
// changed is renumbered. Optional is left out, as it does not change the
// wire format.
func (ft fieldType) signature() string {
	if ft.repeated {
		return "repeated " + ft.typ
	}
	return ft.typ
}

// field finds a previous field by name.
func (pm *previousMessage) field(name string) (previousField, bool) {
	for _, f := range pm.fields {
		if f.name == name {
			return f, true
		}
	}
	return previousField{}, false
}

// parsePrevious reads the top-level messages of the previous schema.
func parsePrevious(src []byte, file string) (map[string]*previousMessage, error) {
	prev := map[string]*previousMessage{}
	if len(src) == 0 {
		return prev, nil
	}
	// protocompile's parser first: emicklei/proto never returns from some
	// files that end early (an rpc's option block cut off by the end of the
	// file), so it only reads files protoc would parse.
	_, err := parser.Parse(file, bytes.NewReader(src), reporter.NewHandler(nil))
	var def *proto.Proto
	if err == nil {
		p := proto.NewParser(bytes.NewReader(src))
		p.Filename(file)
		def, err = p.Parse()
	}
	if err != nil {
		return nil, model.Errorf(model.Pos{File: file}, "fix the file or delete it to number the fields afresh (clients built against it then break)",
			"reading the previous schema: %v", err)
	}
	for _, e := range def.Elements {
		m, ok := e.(*proto.Message)
		if !ok {
			continue
		}
		pm := &previousMessage{}
		for _, e := range m.Elements {
			switch e := e.(type) {
			case *proto.NormalField:
				sig := e.Type
				if e.Repeated {
					sig = "repeated " + sig
				}
				pm.fields = append(pm.fields, previousField{name: e.Name, number: e.Sequence, signature: sig})
			case *proto.MapField:
				pm.fields = append(pm.fields, previousField{name: e.Name, number: e.Sequence, signature: "map<" + e.KeyType + ", " + e.Type + ">"})
			case *proto.Reserved:
				for _, r := range e.Ranges {
					to := r.To
					if r.Max {
						to = maxFieldNumber
					}
					pm.reserved = append(pm.reserved, span{r.From, to})
				}
				pm.reservedNames = append(pm.reservedNames, e.FieldNames...)
			}
		}
		prev[m.Name] = pm
	}
	return prev, nil
}

// number gives every field of m its number: the previous one when the
// field kept its name and type, otherwise the next number above all that
// the message used or reserved. Previous fields that are gone, or whose
// type changed, leave their numbers (and, when gone, their names) reserved.
func (m *message) number(prev *previousMessage) error {
	if prev == nil {
		prev = &previousMessage{}
	}
	top := 0
	for _, f := range prev.fields {
		top = max(top, f.number)
	}
	for _, r := range prev.reserved {
		top = max(top, r.to)
	}
	kept := map[int]bool{}
	current := map[string]bool{}
	for _, f := range m.fields {
		current[f.name] = true
		if p, ok := prev.field(f.name); ok && p.signature == f.signature() {
			f.number = p.number
			kept[p.number] = true
		}
	}
	for _, f := range m.fields {
		if f.number != 0 {
			continue
		}
		top++
		if top >= firstImplReserved && top <= lastImplReserved {
			top = lastImplReserved + 1
		}
		if top > maxFieldNumber {
			return fmt.Errorf("message %s: no field numbers left for %s", m.name, f.name)
		}
		f.number = top
	}

	var numbers []int
	for _, f := range prev.fields {
		if !kept[f.number] {
			numbers = append(numbers, f.number)
		}
		if !current[f.name] {
			m.reservedNames = append(m.reservedNames, f.name)
		}
	}
	for _, name := range prev.reservedNames {
		if !current[name] {
			m.reservedNames = append(m.reservedNames, name)
		}
	}
	slices.Sort(m.reservedNames)
	m.reservedNames = slices.Compact(m.reservedNames)
	m.reservedNumbers = mergeSpans(prev.reserved, numbers)
	return nil
}

// mergeSpans merges reserved ranges and single numbers into sorted,
// disjoint, non-adjacent spans.
func mergeSpans(spans []span, numbers []int) []span {
	all := slices.Clone(spans)
	for _, n := range numbers {
		all = append(all, span{n, n})
	}
	slices.SortFunc(all, func(a, b span) int { return a.from - b.from })
	var out []span
	for _, s := range all {
		if n := len(out); n > 0 && s.from <= out[n-1].to+1 {
			out[n-1].to = max(out[n-1].to, s.to)
			continue
		}
		out = append(out, s)
	}
	return out
}

// String renders a span as in a reserved statement: "5" or "5 to 7".
func (s span) String() string {
	if s.from == s.to {
		return fmt.Sprint(s.from)
	}
	if s.to == maxFieldNumber {
		return fmt.Sprintf("%d to max", s.from)
	}
	return fmt.Sprintf("%d to %d", s.from, s.to)
}

// reservedStatements renders m's reserved numbers and names.
func (m *message) reservedStatements() []string {
	var out []string
	if len(m.reservedNumbers) > 0 {
		parts := make([]string, len(m.reservedNumbers))
		for i, s := range m.reservedNumbers {
			parts[i] = s.String()
		}
		out = append(out, "reserved "+strings.Join(parts, ", ")+";")
	}
	if len(m.reservedNames) > 0 {
		out = append(out, `reserved "`+strings.Join(m.reservedNames, `", "`)+`";`)
	}
	return out
}
