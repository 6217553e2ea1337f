package protocol

// The operations of an iterative computation (a stepper): the page starts
// a run, asks for a step per animation frame (pausing is asking for none),
// may cancel it, and exports it.

// StepRequest advances a run by up to K iterations, stopping early after
// MaxMs milliseconds of engine time (0: the stepper's default; at least
// one iteration is made). A stepper may require K (RGStepRequest: 1 to
// its bound); where it does not, 0 leaves the count to the time budget.
type StepRequest struct {
	K     int     `json:"k"`
	MaxMs float64 `json:"max_ms"`
}

// ExportRequest exports a run as a file: "gif" (the run, animated), "png"
// (its field in the scene's colours) or "npy" (its field, float32).
type ExportRequest struct {
	Format string `json:"format"`
}

// CancelRequest ends the current run of a stepper (it has no fields).
type CancelRequest struct{}

// InfoRequest is the body of the info operations (it has no fields).
type InfoRequest struct{}

// ExportValues answer an export: the buffer is the file.
type ExportValues struct {
	Kind     string `json:"kind"`     // KindExport
	Format   string `json:"format"`   // as asked
	Mime     string `json:"mime"`     // the file's media type
	Filename string `json:"filename"` // a name for the download
	Size     int    `json:"size"`     // bytes
}

// CancelValues answer a cancel.
type CancelValues struct {
	Kind string `json:"kind"` // KindCancel
	// Cancelled reports whether there was a run to cancel.
	Cancelled bool `json:"cancelled"`
}
