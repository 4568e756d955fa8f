package generator

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
)

// CheckTakenOver makes sure that the generated files a user took over (by
// removing their header) still build with the files the plan is about to
// write. kitforge never rewrites such a file, so after an interface change
// it may name what no longer exists, or lack what the rest now needs. When
// the Go packages of the plan would not type-check, because of an error in
// a taken-over file or in one kitforge generates, CheckTakenOver returns a
// positioned *model.Error that names the taken-over files; errors in the
// user's other files are theirs and not reported here. It does nothing when
// no file was taken over or nothing would be written.
func CheckTakenOver(ctx context.Context, root string, changes []*plan.Change) error {
	var takenOver []string
	for _, c := range changes {
		if c.Action == plan.TakenOver && strings.HasSuffix(c.Path, ".go") {
			takenOver = append(takenOver, c.Path)
		}
	}
	if len(takenOver) == 0 || len(plan.Pending(changes)) == 0 {
		return nil
	}
	overlay := map[string][]byte{}
	blame := map[string]bool{} // absolute paths of taken-over and generated files
	var dirs []string
	for _, c := range changes {
		if !strings.HasSuffix(c.Path, ".go") {
			continue
		}
		full := filepath.Join(root, filepath.FromSlash(c.Path))
		if d := filepath.Dir(full); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
		switch {
		case c.Action == plan.Delete:
			if stub := packageClauseOnly(c.Old); stub != nil {
				overlay[full] = stub
			}
		case c.Action.Writes():
			overlay[full] = c.New
		}
		if c.Action == plan.TakenOver || plan.IsGenerated(c.New) {
			blame[full] = true
		}
	}
	errs, err := typeCheck(ctx, root, dirs, overlay)
	if err != nil {
		return fmt.Errorf("checking that the files you took over still build: %w", err)
	}
	for _, e := range errs {
		if !blame[e.pos.Filename] {
			continue
		}
		return model.Errorf(model.Pos{File: e.pos.Filename, Line: e.pos.Line, Col: e.pos.Column},
			fmt.Sprintf("kitforge does not update a generated file whose header you removed: fix it by hand, or put the line %q back at its top to have kitforge rewrite it", plan.GeneratedHeader),
			"the build would break with the file(s) you took over (%s): %s", strings.Join(takenOver, ", "), e.msg)
	}
	return nil
}
