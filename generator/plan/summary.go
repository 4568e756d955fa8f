package plan

import (
	"encoding/json"
	"fmt"
	"strings"
)

// verb is the past-tense word Summary prints for an action.
func verb(a Action) string {
	switch a {
	case Create:
		return "created"
	case Update:
		return "updated"
	case Delete:
		return "deleted"
	case Merge:
		return "merged"
	case Keep, TakenOver:
		return "kept"
	}
	return string(a) // "unchanged"
}

// Summary renders one line per change for the CLI, such as
//
//	created    pkg/calcendpoint/endpoint_gen.go
//	deleted    pkg/calctransport/grpc_gen.go (stale)
//	merged     pkg/calcservice/service_impl.go (added stub for Foo)
//	kept       pkg/calcservice/errors_gen.go (taken over by you: header removed)
func Summary(changes []*Change) string {
	var b strings.Builder
	for _, c := range changes {
		fmt.Fprintf(&b, "%-10s %s", verb(c.Action), c.Path)
		if len(c.Notes) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(c.Notes, "; "))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// jsonChange is one element of SummaryJSON's array.
type jsonChange struct {
	Path   string   `json:"path"`
	Action Action   `json:"action"`
	Notes  []string `json:"notes"`
}

// SummaryJSON renders the changes for --json: an indented array of
// {"path", "action", "notes"} objects in the order given, ending in a newline.
// Notes is always an array, possibly empty.
func SummaryJSON(changes []*Change) ([]byte, error) {
	out := make([]jsonChange, 0, len(changes))
	for _, c := range changes {
		notes := c.Notes
		if notes == nil {
			notes = []string{}
		}
		out = append(out, jsonChange{Path: c.Path, Action: c.Action, Notes: notes})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
