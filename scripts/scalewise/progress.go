package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"
)

// progress draws a progress bar on a terminal (redrawn in place) or prints
// a line now and then elsewhere (logs, CI).
type progress struct {
	w      io.Writer
	total  int
	from   int // done when the bar started (a resumed run)
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

// startAt tells the bar that done of its total were done before it
// started (a resumed run), so that the time left is estimated from the
// rate since then. It returns p.
func (p *progress) startAt(done int) *progress {
	p.from = done
	return p
}

// eta estimates the time left at done of the total, from the rate since the
// bar started; ok is false before there is a rate to go by.
func (p *progress) eta(done int, now time.Time) (d time.Duration, ok bool) {
	if done <= p.from || done > p.total {
		return 0, done >= p.total
	}
	perItem := float64(now.Sub(p.start)) / float64(done-p.from)
	return time.Duration(math.Min(perItem*float64(p.total-done), float64(100*365*24*time.Hour))), true
}

// formatETA writes a duration the way a person reads a time left: seconds
// under a minute, minutes and seconds under an hour, hours and minutes under
// two days, then days and hours.
func formatETA(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	case s < 48*3600:
		return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	}
	return fmt.Sprintf("%dd%02dh", s/86400, s%86400/3600)
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
	frac := math.Max(0, math.Min(1, float64(done)/float64(max(1, p.total))))
	eta := "?"
	if d, ok := p.eta(done, now); ok {
		eta = formatETA(d)
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
