package webtest

import (
	"fmt"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The adapted basis of the Draw & denoise scene: the leading eigenvectors
// of the symmetric part of the denoiser's Jacobian at the noisy drawing
// (Kadkhodaie, Guth, Simoncelli, Mallat, ICLR 2024, §3), computed by
// Lanczos in an engine of its own after each denoise.

// basisStatus is window.scalewise.basisStatus().
type basisStatus struct {
	Running     bool      `json:"running"`
	Done        bool      `json:"done"`
	Cancelled   bool      `json:"cancelled"`
	K           int       `json:"k"`
	Steps       int       `json:"steps"`
	Krylov      int       `json:"krylov"`
	Seconds     float64   `json:"seconds"`
	Ms          float64   `json:"ms"`
	Trace       float64   `json:"trace"`
	Converged   bool      `json:"converged"`
	Runs        int       `json:"runs"`
	Error       string    `json:"error"`
	Eigenvalues []float64 `json:"eigenvalues"`
}

func (s basisStatus) String() string {
	return fmt.Sprintf("{running %v done %v cancelled %v K %d steps %d of %d, %.2f s, tr J %.1f, converged %v, run %d, error %q}",
		s.Running, s.Done, s.Cancelled, s.K, s.Steps, s.Krylov, s.Seconds, s.Trace, s.Converged, s.Runs, s.Error)
}

func (p *page) basisStatus() basisStatus {
	p.t.Helper()
	return eval[basisStatus](p, `window.scalewise.basisStatus()`)
}

// waitBasisDone waits until a run later than run number after has
// finished for the current settings (or failed), and the canvas drew it.
func (p *page) waitBasisDone(after int) basisStatus {
	p.t.Helper()
	cond := `(s => (s.done && !s.running && s.runs > ` + itoa(after) + `) || (s.error !== "" && (() => { throw new Error(s.error) })()))(window.scalewise.basisStatus())`
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(240*time.Second))); err != nil {
		p.t.Fatalf("the adapted basis did not finish: %v; status %s; console %v", err, p.basisStatus(), p.messages())
	}
	p.waitDrawn()
	return p.basisStatus()
}

// basisPanels returns the canvas's "basis" and "drawing" panels, checking
// that the view lists the basis's panels with their kinds.
func (p *page) basisPanels() (l appLayout, tiles, drawing appPanel) {
	p.t.Helper()
	l, ok := p.appPanels()
	if !ok {
		p.t.Fatal("the canvas app has no panels()")
	}
	kinds := map[string]string{}
	for _, q := range l.Panels {
		kinds[q.Name] = q.Kind
		switch q.Name {
		case "basis":
			tiles = q
		case "drawing":
			drawing = q
		}
	}
	for name, kind := range map[string]string{"drawing": "image", "noisy": "image", "denoised": "image", "residual": "image", "basis": "image", "spectrum": "plot", "info": "text"} {
		if kinds[name] != kind {
			p.t.Errorf("panel %s has kind %q, want %q (panels %+v)", name, kinds[name], kind, l.Panels)
		}
	}
	return l, tiles, drawing
}

// cropPanel returns the part of a canvas screenshot under panel q of
// layout l (CSS pixels of the frame).
func cropPanel(img image.Image, l appLayout, q appPanel) image.Image {
	s := float64(img.Bounds().Dx()) / l.W
	r := image.Rect(int(q.X*s), int(q.Y*s), int((q.X+q.W)*s), int((q.Y+q.H)*s)).Intersect(img.Bounds())
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)
}

// checkEigenvalues checks that a run found K eigenvalues, in descending
// order.
func checkEigenvalues(t *testing.T, st basisStatus, k int) {
	t.Helper()
	if len(st.Eigenvalues) != k {
		t.Fatalf("%d eigenvalues, want K = %d: %s", len(st.Eigenvalues), k, st)
	}
	for i := 1; i < len(st.Eigenvalues); i++ {
		if st.Eigenvalues[i] > st.Eigenvalues[i-1]+1e-6 {
			t.Errorf("the eigenvalues are not descending: λ_%d = %g after λ_%d = %g", i+1, st.Eigenvalues[i], i, st.Eigenvalues[i-1])
		}
	}
}

// The link turns the basis on with K = 16: it finishes after the first
// denoise; the canvas's basis panel is not blank and shows many colours
// (the tiles' diverging colormap); the eigenvalues descend; a stroke
// restarts it, with no long task on the page or the canvas while it runs,
// and the new basis differs from the old.
func TestDrawBasis(t *testing.T) {
	p := open(t, siteURL+"#scene=draw&sigma=0.1&net=drawing&basis=on&k=16")
	if url := eval[string](p, `location.href`); !strings.Contains(url, "basis=on") || !strings.Contains(url, "k=16") {
		t.Errorf("the link lost the basis: %s", url)
	}
	st := p.waitBasisDone(0)
	t.Logf("first basis: %s in %.0f ms of round trips", st, st.Ms)
	checkEigenvalues(t, st, 16)
	if status := eval[string](p, `document.getElementById("status-text").textContent`); !strings.HasPrefix(status, "Top 16 eigenvectors in") || !strings.Contains(status, "Lanczos steps") || !strings.Contains(status, "tr J =") {
		t.Errorf("status %q", status)
	}
	l, tiles, drawing := p.basisPanels()
	shot0 := p.canvas()
	crop0 := cropPanel(shot0, l, tiles)
	if c, std := busy(crop0); c < 200 || std < 10 {
		t.Errorf("the basis panel %+v looks blank: %d colours, luminance std %.1f", tiles, c, std)
	}
	p.save("draw-basis")

	// A stroke across the drawing restarts the basis, and the page runs
	// it without a long task (a stroke of its own for each try).
	old := st.Eigenvalues
	shot1 := p.canvas()
	try := 0
	p.withoutLongTasks("computing the adapted basis after a stroke", func() {
		d := eval[string](p, `window.scalewise.state.d`)
		before := p.basisStatus().Runs
		var pts [][2]float64
		for i := 0; i <= 10; i++ {
			f := 0.15 + 0.07*float64(i)
			// Logical canvas points (960 across) of the drawing panel's
			// diagonal, shifted for each try.
			x, y := drawing.X+f*drawing.W, drawing.Y+(1-f-0.05*float64(try))*drawing.H
			pts = append(pts, [2]float64{x * 960 / l.W, y * 960 / l.W})
		}
		try++
		p.drawStroke(pts)
		if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise.state.d !== `+jsString(d),
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("the stroke did not change the drawing: %v", err)
		}
		if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise.basisStatus().runs > `+itoa(before),
			chromedp.WithPollingTimeout(60*time.Second))); err != nil {
			t.Fatalf("the stroke did not restart the basis: %v; %s", err, p.basisStatus())
		}
		st = p.waitBasisDone(before)
	})
	checkEigenvalues(t, st, 16)
	t.Logf("after the stroke: %s", st)
	same := true
	for i := range old {
		if i < len(st.Eigenvalues) && st.Eigenvalues[i] != old[i] {
			same = false
		}
	}
	if same {
		t.Errorf("the stroke left the eigenvalues as they were: %v", old)
	}
	l, tiles, _ = p.basisPanels()
	crop2 := cropPanel(p.canvas(), l, tiles)
	if dd := differing(cropPanel(shot1, l, tiles), crop2, 8); dd < 0.05 {
		t.Errorf("the basis panel changed in only %.2f%% of its pixels after the stroke", 100*dd)
	}
	if c, std := busy(crop2); c < 200 || std < 10 {
		t.Errorf("the basis panel looks blank after the stroke: %d colours, luminance std %.1f", c, std)
	}
	p.noConsoleErrors()
}

// Turning the basis off keeps its result, and on again shows it without
// computing it again; Cancel stops a run; the link holds the basis only
// when it is on.
func TestDrawBasisControls(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL+"#scene=draw&sigma=0.1&net=drawing")
	if st := p.basisStatus(); st.Runs != 0 || st.Running {
		t.Fatalf("the basis runs while off: %s", st)
	}
	if url := eval[string](p, `location.href`); strings.Contains(url, "basis=") || strings.Contains(url, "&k=") {
		t.Errorf("the link holds the basis while it is off: %s", url)
	}
	if _, ok := findPanel(p.panelsNow(), "basis"); ok {
		t.Errorf("the plain view lists a basis panel")
	}
	p.click("#basis")
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise.basisStatus().running`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("turning the basis on did not start it: %v; %s", err, p.basisStatus())
	}
	if url := eval[string](p, `location.href`); !strings.Contains(url, "basis=on") || !strings.Contains(url, "k=32") {
		t.Errorf("the link lacks the basis: %s", url)
	}
	p.click("#basis-cancel")
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`(s => s.cancelled && !s.running)(window.scalewise.basisStatus())`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("Cancel did not stop the basis: %v; %s", err, p.basisStatus())
	}
	// K = 16 starts again, and finishes.
	runs := p.basisStatus().Runs
	eval[any](p, `(e => { e.value = "16"; e.dispatchEvent(new Event("change")); })(document.getElementById("basis-k")), null`)
	st := p.waitBasisDone(runs)
	checkEigenvalues(t, st, 16)
	if _, ok := findPanel(p.panelsNow(), "basis"); !ok {
		t.Errorf("the basis view lists no basis panel")
	}
	// Off and on again: the same result, no new run.
	p.click("#basis")
	p.click("#basis")
	time.Sleep(500 * time.Millisecond)
	if again := p.basisStatus(); again.Runs != st.Runs || !again.Done {
		t.Errorf("off and on again ran the basis again: %s, before %s", again, st)
	}
	p.noConsoleErrors()
}

// panelsNow returns the canvas's panels (failing when it has none).
func (p *page) panelsNow() appLayout {
	p.t.Helper()
	l, ok := p.appPanels()
	if !ok {
		p.t.Fatal("the canvas app has no panels()")
	}
	return l
}
