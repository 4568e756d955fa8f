// Package protoschema writes the .proto schema of a Go-interface service, so
// the service can be served over gRPC: one rpc per method, a request and a
// response message per method, and one message per Go struct type the
// methods use.
//
// # Type mapping
//
// Go types map to protobuf as follows (named types map as their underlying
// type, so enum-like named integers become plain integers):
//
//	Go                                       protobuf
//	bool                                     bool
//	string                                   string
//	int, int64                               int64
//	int32, int16, int8, rune                 int32
//	uint, uint64                             uint64
//	uint32, uint16, uint8, byte              uint32
//	float32                                  float
//	float64                                  double
//	[]byte, [N]byte                          bytes
//	time.Time                                google.protobuf.Timestamp
//	time.Duration                            google.protobuf.Duration
//	[]T, [N]T                                repeated T
//	map[K]V (K string, integer or bool)      map<K, V>
//	struct type S (named)                    message S: exported fields, in order,
//	                                         named after their json tags
//	*S, *time.Time                           the message field (messages have presence)
//	*T for other T                           optional T
//
// Proto field names are the snake_case of the JSON names ("userID" →
// user_id). Messages are named after their Go types; when two packages
// declare a type of the same name, the one met first keeps the name and the
// other is prefixed with its package name ("ModelsUser"). Types may be
// recursive. Embedded struct fields are ordinary message fields.
//
// These types cannot cross gRPC and are refused with a positioned
// *model.Error whose hint suggests serving the service over HTTP only
// (transports: [http]) or changing the type: any and other interfaces,
// error, complex64, complex128, uintptr, unnamed struct types, slices of
// slices or of maps (wrap the inner value in a struct), slices of pointers to
// scalars, maps with keys other than strings, integers and bools, maps whose
// values are slices, maps or pointers to scalars, and pointers to pointers.
//
// # Field numbers
//
// Field numbers are stable across regenerations. Given the schema written
// last time (Options.Previous), every field that keeps its name and type
// keeps its number; new fields get the next number above every number the
// message has used or reserved; the numbers and names of removed fields are
// reserved, so no later field can reuse them. A field whose type changed is
// treated as removed and added again: same name, new number, old number
// reserved.
package protoschema
