package gokit

import "github.com/dave/jennifer/jen"

// setting is one Config field with its flag, environment variable and default.
type setting struct {
	Field, Flag, Env, Usage string
	Kind                    string // "string", "int64", "duration"
	Default                 jen.Code
}
