package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress draws a progress bar on a terminal (redrawn in place) or prints
// a line now and then elsewhere (logs, CI).
type progress struct {
	w      io.Writer
	total  int
	start  time.Time
	last   time.Time
	isTerm bool
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.isTerm = true
		}
	}
	return p
}

// update shows done of total with a status text; force prints even when
// the last line was recent.
func (p *progress) update(done int, status string, force bool) {
	now := time.Now()
	every := 10 * time.Second
	if p.isTerm {
		every = 200 * time.Millisecond
	}
	if !force && now.Sub(p.last) < every && done < p.total {
		return
	}
	p.last = now
	frac := float64(done) / float64(max(1, p.total))
	eta := "?"
	if done > 0 {
		eta = (time.Duration(float64(now.Sub(p.start)) * (1/frac - 1))).Round(time.Second).String()
	}
	const width = 28
	bar := strings.Repeat("#", int(frac*width)) + strings.Repeat(".", width-int(frac*width))
	line := fmt.Sprintf("[%s] %3.0f%% %d/%d %s eta %s", bar, 100*frac, done, p.total, status, eta)
	if p.isTerm {
		fmt.Fprintf(p.w, "\r%s\x1b[K", line)
		if done >= p.total {
			fmt.Fprintln(p.w)
		}
		return
	}
	fmt.Fprintln(p.w, line)
}
