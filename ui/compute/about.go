package compute

import (
	"runtime"

	"scalewise/ui/protocol"
)

// aboutHandler returns the handler of protocol.OpAbout: the engine's build
// facts, the operations of r and what the sessions offer (no images).
func aboutHandler(r *Registry, rgs *RGSession, scs *ScatSession) func(protocol.AboutRequest, Progress) (*Frames, error) {
	return func(protocol.AboutRequest, Progress) (*Frames, error) {
		return NewFrames("about", &protocol.AboutValues{
			Kind:       protocol.KindAbout,
			GoVersion:  runtime.Version(),
			GOOS:       runtime.GOOS,
			GOARCH:     runtime.GOARCH,
			Ops:        r.ops(), // the registry is locked while a handler runs
			RGSides:    len(rgs.sides()),
			ScatFields: len(scs.fields()),
		}), nil
	}
}
