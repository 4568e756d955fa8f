package gokit

import "github.com/dave/jennifer/jen"

// Setting is one Config field with its flag, environment variable and default.
type Setting struct {
	Field, Flag, Env, Usage string
	Kind                    string // "string", "int64", "duration"
	Default                 jen.Code
}
