package compute

// Progress reports that done of total steps of a computation are finished;
// the worker posts each report to the page while the request runs.
type Progress func(done, total int, stage string)

// quiet returns p, or a Progress that reports nothing when p is nil.
func quiet(p Progress) Progress {
	if p == nil {
		return func(int, int, string) {}
	}
	return p
}
