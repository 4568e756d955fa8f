// Package templates holds the text/template sources of the non-Go files
// kitforge scaffolds (Dockerfile, Kubernetes manifests, docker-compose,
// Makefile, the service's README). Templates stay thin: every decision is a
// field of the view that generator/render builds.
package templates

import "embed"

// FS holds every *.tmpl file, at its path relative to this directory.
//
//go:embed *.tmpl deploy/k8s/*.tmpl deploy/istio/*.tmpl
var FS embed.FS
