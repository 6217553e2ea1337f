package compute

import "time"

// throttle passes on at most one progress report per interval (and every
// final one, done = total), so that a fine-grained computation does not
// flood the page with messages.
func throttle(p Progress, every time.Duration) Progress {
	if p == nil {
		return nil
	}
	var last time.Time
	return func(done, total int, stage string) {
		if now := time.Now(); done >= total || now.Sub(last) >= every {
			last = now
			p(done, total, stage)
		}
	}
}
