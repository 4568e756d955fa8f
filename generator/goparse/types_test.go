package goparse

import (
	"context"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestRecursiveTypesSharePointers checks that a recursive named type is
// converted once: its Underlying refers back to the same *model.Type.
func TestRecursiveTypesSharePointers(t *testing.T) {
	root := extract(t, txtar.Parse([]byte(`-- go.mod --
module example.com/x

go 1.26
-- tree/service.go --
package tree

// Node is recursive through a slice and a pointer.
type Node struct {
	Children []Node
	Parent   *Node
}

// Service walks trees.
type Service interface {
	Walk(root Node) (*Node, error)
}
`)))
	svc, err := Load(context.Background(), Config{Dir: root, Pattern: "./tree"})
	if err != nil {
		t.Fatal(err)
	}
	m := svc.Methods[0]
	node := m.Params[0].Type
	if !node.IsNamed("example.com/x/tree", "Node") {
		t.Fatalf("param type = %s, want example.com/x/tree.Node", node)
	}
	fields := node.Underlying.Fields
	if len(fields) != 2 || fields[0].Type.Elem != node || fields[1].Type.Elem != node {
		t.Errorf("Node's fields do not point back to Node: %+v", fields)
	}
	if m.Results[0].Type.Elem != node {
		t.Errorf("result *Node does not share the Node type")
	}
}
