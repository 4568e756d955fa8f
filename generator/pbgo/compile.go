package pbgo

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/linker"
	"github.com/bufbuild/protocompile/reporter"

	"github.com/kitforge/kitforge/generator/model"
)

// Hints for errors in .proto input.
const (
	hintProto  = "fix the .proto file: kitforge compiles it as protoc does, so protoc reports the same problem"
	hintImport = "add the imported file to the sources or its root directory to the import paths (-I); " +
		"google/protobuf/*.proto and google/api/{annotations,http,field_behavior,resource,client,launch_stage}.proto are bundled"
)

// compile parses and links the files to generate and everything they
// import. Every problem in the input comes back as a *model.Error, several
// joined with errors.Join, in file, line and column order.
func compile(ctx context.Context, in *input) (linker.Files, error) {
	var reported []reporter.ErrorWithPos
	rep := reporter.NewReporter(func(err reporter.ErrorWithPos) error {
		reported = append(reported, err) // calls are serialised by protocompile
		return nil
	}, nil)
	c := protocompile.Compiler{
		Resolver:       newResolver(in.sources, in.importPaths),
		SourceInfoMode: protocompile.SourceInfoStandard,
		Reporter:       rep,
	}
	files, err := c.Compile(ctx, in.generate...)
	var withPos reporter.ErrorWithPos
	if len(reported) == 0 && errors.As(err, &withPos) {
		// Some problems, such as an import that cannot be found, abort
		// the compilation instead of being reported.
		reported = append(reported, withPos)
	}
	if len(reported) > 0 {
		return nil, in.inputErrors(reported)
	}
	if err != nil {
		return nil, err
	}
	return files, nil
}

// inputErrors turns compiler diagnostics into positioned *model.Errors.
func (in *input) inputErrors(reported []reporter.ErrorWithPos) error {
	errs := make([]*model.Error, 0, len(reported))
	for _, r := range reported {
		pos := r.GetPosition()
		msg := r.Unwrap().Error()
		hint := hintProto
		if strings.Contains(msg, "could not resolve path") || strings.Contains(msg, "file not found") {
			hint = hintImport
		}
		errs = append(errs, &model.Error{
			Pos:  model.Pos{File: in.display(pos.Filename), Line: pos.Line, Col: pos.Col},
			Msg:  msg,
			Hint: hint,
		})
	}
	slices.SortStableFunc(errs, func(a, b *model.Error) int {
		return cmp.Or(strings.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	errs = slices.CompactFunc(errs, func(a, b *model.Error) bool { return *a == *b })
	return joinErrors(errs)
}

// joinErrors returns the only error itself, so callers can type-assert it,
// and several joined; errors.As finds the first either way.
func joinErrors(errs []*model.Error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	all := make([]error, len(errs))
	for i, e := range errs {
		all[i] = e
	}
	return errors.Join(all...)
}
