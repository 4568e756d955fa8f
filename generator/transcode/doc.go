// Package transcode is the HTTP/JSON ⇄ gRPC transcoding runtime of
// kitforge-generated proto services, kept in kitforge as a real Go package
// so that it is unit-tested here, and copied once into every generated
// module that has proto services with HTTP (<out>/internal/transcode,
// transcode_gen.go), whose transport packages all use it: generated code
// must not import kitforge, which is a tool, not a library.
//
// The runtime follows the google.api.http rules (google/api/http.proto):
// path templates matched segment by segment ({field}, {field=prefix/*},
// {field=**}, nested field paths such as {book.name=shelves/*/books/*},
// custom verbs such as :merge), body "*", a body field or no body, query
// parameters for the remaining fields (repeated, enums by name or number,
// nested a.b=1, the well-known scalar types), response_body, protojson
// bodies, and gRPC status codes mapped to HTTP statuses with Google's JSON
// error body.
//
// The runtime's exported API is what the generated transports call
// (NewRouter, Router.Handle, WithNext, DecodeRequest, EncodeResponse,
// EncodeError, HTTPStatusFromCode); TestSource keeps it to that. The other
// exported identifiers of this package (export.go) are for kitforge
// itself: the source to copy, and the template parser that checks routes
// at generation time. Files that are copied are listed in runtimeFiles.
package transcode
