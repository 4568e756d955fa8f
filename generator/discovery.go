package generator

import (
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/sd"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/plan"
)

// discoveryJob computes the service discovery files in the background,
// while the other emitters run: the <name>client package (for services
// from a Go interface) and, with a registry, the server's registry_gen.go.
type discoveryJob struct {
	l     gokit.Layout
	done  chan struct{}
	files []*plan.File
	err   error
}

// startDiscovery starts emitting the discovery files of svc.
func startDiscovery(svc *model.Service, l gokit.Layout) *discoveryJob {
	j := &discoveryJob{l: l, done: make(chan struct{})}
	var emitters []emitter
	if sd.HasClient(svc) {
		emitters = append(emitters,
			emitter{l.Client.Dir, "client_gen.go", sd.Client},
			emitter{l.Client.Dir, "sd_gen.go", sd.SDClient},
		)
	}
	if sd.HasRegistry(l) {
		emitters = append(emitters, emitter{l.Server.Dir, "registry_gen.go", sd.Registry})
	}
	go func() {
		defer close(j.done)
		j.files, j.err = emitAll(svc, l, emitters)
	}()
	return j
}

// addTo waits for the job and adds its files to p, and the client package
// to its owned directories (so that its files go when they are no longer
// generated).
func (j *discoveryJob) addTo(p *plan.Plan) error {
	<-j.done
	if j.err != nil {
		return j.err
	}
	p.Files = append(p.Files, j.files...)
	p.Owned = append(p.Owned, j.l.Client.Dir)
	return nil
}
