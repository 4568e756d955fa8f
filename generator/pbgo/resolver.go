package pbgo

import (
	"bytes"
	"io/fs"

	"github.com/bufbuild/protocompile"
)

// newResolver finds imports the way protoc does, first match wins: the
// in-memory sources, the import paths on disk, the bundled google/api
// sources, then the well-known types.
func newResolver(sources map[string][]byte, importPaths []string) protocompile.Resolver {
	resolvers := protocompile.CompositeResolver{
		protocompile.ResolverFunc(func(name string) (protocompile.SearchResult, error) {
			b, ok := sources[name]
			if !ok {
				return protocompile.SearchResult{}, fs.ErrNotExist
			}
			return protocompile.SearchResult{Source: bytes.NewReader(b)}, nil
		}),
	}
	if len(importPaths) > 0 {
		resolvers = append(resolvers, &protocompile.SourceResolver{ImportPaths: importPaths})
	}
	resolvers = append(resolvers, bundledResolver())
	return protocompile.WithStandardImports(resolvers)
}
