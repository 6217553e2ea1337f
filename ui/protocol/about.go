package protocol

// AboutRequest is the body of OpAbout (it has no fields).
type AboutRequest struct{}

// AboutValues answer OpAbout: the engine's build facts.
type AboutValues struct {
	Kind      string `json:"kind"`       // KindAbout
	GoVersion string `json:"go_version"` // runtime.Version() of the engine
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	// Ops lists the operations the engine serves, sorted.
	Ops []string `json:"ops"`
	// RGSides is the number of lattice sides with a shipped RG model.
	RGSides int `json:"rg_sides"`
	// ScatFields is the number of fields the Scattering scene offers.
	ScatFields int `json:"scat_fields"`
}
