package pbgo

import (
	"bytes"
	"embed"
	"io/fs"
	"path"

	"github.com/bufbuild/protocompile"
)

// googleapis holds the bundled google/api sources; see
// third_party/googleapis/README.md for where each file comes from.
//
//go:embed third_party/googleapis/google/api/*.proto
var googleapis embed.FS

// googleapisRoot is the directory of googleapis that import paths are relative to.
const googleapisRoot = "third_party/googleapis"

// bundledSource returns the embedded source of a google/api file.
func bundledSource(name string) ([]byte, bool) {
	if !fs.ValidPath(name) || path.Dir(name) != "google/api" {
		return nil, false
	}
	b, err := googleapis.ReadFile(googleapisRoot + "/" + name)
	return b, err == nil
}

// bundledResolver resolves the embedded google/api sources.
func bundledResolver() protocompile.Resolver {
	return protocompile.ResolverFunc(func(name string) (protocompile.SearchResult, error) {
		b, ok := bundledSource(name)
		if !ok {
			return protocompile.SearchResult{}, fs.ErrNotExist
		}
		return protocompile.SearchResult{Source: bytes.NewReader(b)}, nil
	})
}

// Bundled reports whether name (an import path such as
// "google/api/annotations.proto") is provided by pbgo itself, so a .proto that
// imports it needs no copy of it on disk: the well-known types and the
// google/api files listed in the package documentation.
func Bundled(name string) bool {
	if _, ok := bundledSource(name); ok {
		return true
	}
	// An empty resolver wrapped with the standard imports finds exactly the
	// well-known types that protoc ships, as compiled into protobuf-go.
	_, err := protocompile.WithStandardImports(protocompile.CompositeResolver(nil)).FindFileByPath(name)
	return err == nil
}
