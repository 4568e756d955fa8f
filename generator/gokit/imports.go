package gokit

import (
	"strings"

	"github.com/dave/jennifer/jen"
)

// ImportNames returns the name generated code imports each of the user's
// packages under (import path → name): the package's own name, or the name
// with "pkg" appended when generated code declares an identifier of that
// name in a file that imports the package (a service package named svc
// would be shadowed by the svc := svc.New() of the generated test).
func ImportNames(packageNames map[string]string) map[string]string {
	if len(packageNames) == 0 {
		return nil
	}
	out := make(map[string]string, len(packageNames))
	for path, name := range packageNames {
		for declaredNames[name] {
			name += "pkg"
		}
		out[path] = name
	}
	return out
}

// NewFile starts a generated file in pkg that imports the user's packages
// under l.Imports (render drops an alias that repeats the path's last
// element).
func (l Layout) NewFile(pkg Pkg) *jen.File {
	f := NewFile(pkg)
	l.ImportUserPackages(f)
	return f
}

// ImportUserPackages tells f the names to import the user's packages under.
func (l Layout) ImportUserPackages(f *jen.File) {
	for _, path := range sortedKeys(l.Imports) {
		f.ImportAlias(path, l.Imports[path])
	}
}

// declaredNames are the lower-case identifiers generated code declares (as
// locals, parameters or package-level names) in files that import the
// user's packages. TestDeclaredNames keeps the list in step with the golden
// trees.
var declaredNames = setOf(strings.Fields(`
	addr after allow arg args attrs b back base begin body breaker buf burst c call cancel
	cert cfg challenge client code codec conn connect counted creds ct ctx cut d data dec
	delay desc direct done ds duration e enc endpoints err f failed failure failures fe fk
	fs fv g got guard h handle healthz hs i id impl in instance instancer interceptor
	interceptors is j k key keyvals kind l labels latency line ln local logger m main md
	mdw method mt mux mw n name next o ok opt options opts out p passed password pattern pe
	pem pm pool probe q r raw ready readyz reg remote rep reply req request requests resp
	response route s sc sd se segments server set shut shutdown span srv st start status
	stream suffixed svc t target timeout to took tr tracer ts u usable v validator w wg
	what wire x
`))

// setOf returns the set of names.
func setOf(names []string) map[string]bool {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set
}

// GRPCImports names the gRPC packages the way their own docs do.
func GRPCImports(f *jen.File, l Layout) {
	f.ImportAlias(KitGRPC, "grpctransport")
	f.ImportAlias(PkgHealthPB, "healthpb")
	f.ImportName(l.PB.Path, l.PB.Name)
	f.ImportName(PkgGRPC, "grpc")
	f.ImportName(PkgGRPCCodes, "codes")
	f.ImportName(PkgGRPCStatus, "status")
	f.ImportName(PkgGRPCHealth, "health")
	f.ImportName(PkgReflection, "reflection")
	f.ImportName(PkgTimestamppb, "timestamppb")
	f.ImportName(PkgDurationpb, "durationpb")
}
