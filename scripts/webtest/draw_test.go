package webtest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// canvasPoint maps a point of the app's 960×540 logical screen to page
// coordinates.
func (p *page) canvasPoint(x, y float64) (float64, float64) {
	r := eval[map[string]float64](p, `(r => ({left: r.left, top: r.top, width: r.width}))(document.getElementById("canvas-frame").getBoundingClientRect())`)
	s := r["width"] / 960
	return r["left"] + x*s, r["top"] + y*s
}

// drawStroke drags the mouse through the given logical canvas points.
func (p *page) drawStroke(pts [][2]float64) {
	p.t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for i, q := range pts {
		x, y := p.canvasPoint(q[0], q[1])
		typ := input.DispatchMouseEventTypeMouseMoved
		if i == 0 {
			steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y))
			typ = input.DispatchMouseEventTypeMousePressed
		}
		steps = append(steps, chromedp.MouseEvent(typ, x, y, chromedp.ButtonLeft), chromedp.Sleep(20*time.Millisecond))
	}
	last := pts[len(pts)-1]
	x, y := p.canvasPoint(last[0], last[1])
	steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x, y, chromedp.ButtonLeft))
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatal(err)
	}
}

func TestDrawStrokeDenoises(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL+"#scene=draw&sigma=0.2&net=drawing")
	before := eval[string](p, `window.scalewise.state.d`)
	if before == "" {
		t.Fatal("the Draw scene did not start with an example drawing")
	}
	shot0 := p.canvas()
	// A fast diagonal stroke across the drawing panel (logical 16…448).
	var pts [][2]float64
	for i := 0; i <= 12; i++ {
		pts = append(pts, [2]float64{40 + 30*float64(i), 420 - 28*float64(i)})
	}
	p.drawStroke(pts)
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise.state.d !== `+jsString(before),
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the stroke did not change the drawing: %v", err)
	}
	p.waitDenoised()
	shot1 := p.canvas()
	// The denoised panel sits right of the drawing panel.
	if d := differingIn(shot0, shot1, 0.52, 0.68, 0.05, 0.40, 8); d < 0.05 {
		t.Errorf("the denoised panel changed in only %.2f%% of its pixels", 100*d)
	}
	v := eval[map[string]any](p, `window.scalewise.lastDrawValues()`)
	in, out := v["psnr_in"].(float64), v["psnr_out"].(float64)
	t.Logf("σ=0.2: PSNR %.2f dB → %.2f dB (%s net, %.0f ms)", in, out, v["net"], v["denoise_ms"])
	if out <= in+1 {
		t.Errorf("denoised PSNR %.2f dB is not above the input's %.2f dB", out, in)
	}
	shown := eval[string](p, `document.getElementById("numbers").textContent`)
	if !strings.Contains(shown, "PSNR") {
		t.Errorf("PSNR not shown: %q", shown)
	}
	// Export: the four panels side by side.
	url := eval[string](p, `window.scalewise.panelsPNG()`)
	img := decodeDataURL(t, url)
	if w := img.Bounds().Dx(); w < 4*256 {
		t.Errorf("exported panels are %d px wide, want four 256-px panels", w)
	}
	assertNotBlank(t, img)
	p.save("draw")
	p.noConsoleErrors()
}

func TestDrawUndoAndLinkReproduce(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL+"#scene=draw&mode=stroke&width=4&sigma=0.1")
	p.drawStroke([][2]float64{{60, 60}, {400, 100}, {300, 400}})
	p.waitDenoised()
	url := eval[string](p, `location.href`)
	if !strings.Contains(url, "d=") || !strings.Contains(url, "mode=stroke") {
		t.Fatalf("link lacks the drawing: %s", url)
	}
	want := p.canvas()
	q := open(t, url)
	q.waitDenoised()
	if d := differing(want, q.canvas(), 0); d != 0 {
		t.Errorf("the link reproduces the drawing and result only partly: %.3f%% differ", 100*d)
	}
	withStroke := eval[string](p, `window.scalewise.state.d`)
	p.click("#undo")
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise.state.d !== `+jsString(withStroke),
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("undo did not change the drawing: %v", err)
	}
	p.noConsoleErrors()
	q.noConsoleErrors()
}

func TestDrawBadLinkShowsNotice(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		frag string
		want []string
	}{
		{"#scene=draw&d=AAAAbroken&sigma=9", []string{"drawing", "sigma"}},
		// Its second stroke claims 2⁶⁴ − 1 points: it made the decoder panic.
		{"#scene=draw&d=YnRgYmRg-A8DjIAAAAD__w", []string{"drawing", "more than 20000 points"}},
	} {
		t.Run(tc.frag, func(t *testing.T) {
			p := open(t, siteURL+tc.frag)
			notice := eval[string](p, `document.getElementById("notice").textContent`)
			for _, w := range tc.want {
				if !strings.Contains(notice, w) {
					t.Errorf("notice %q should mention %q", notice, w)
				}
			}
			if strings.Contains(notice, "panic") {
				t.Errorf("notice %q reports a panic", notice)
			}
			assertNotBlank(t, p.canvas())
			p.noConsoleErrors()
		})
	}
}

// waitDenoised waits until the newest drawing has been denoised and drawn.
func (p *page) waitDenoised() {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`document.getElementById("status-text").textContent.startsWith("Denoised") && !document.getElementById("progress").classList.contains("on")`,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		p.t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	p.waitDrawn()
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", "\\'") + "'" }

// Every shipped net denoises the example drawing in the page and raises its
// PSNR; the time of one 64×64 denoise is logged (the budget is
// 150 ms here; measured, not asserted).
func TestDrawEveryNet(t *testing.T) {
	t.Parallel()
	for _, net := range []string{"drawing", "calpha1", "calpha2", "calpha4"} {
		t.Run(net, func(t *testing.T) {
			p := open(t, siteURL+"#scene=draw&sigma=0.1&net="+net)
			p.waitDenoised()
			first := eval[map[string]any](p, `window.scalewise.lastDrawValues()`)
			// A second denoise (σ moved), past the first call's warm-up.
			eval[any](p, `(e => { e.value = "0.2"; e.dispatchEvent(new Event("input")); })(document.getElementById("sigma")), null`)
			if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise.lastDrawValues().psnr_in < 15`,
				chromedp.WithPollingTimeout(30*time.Second))); err != nil {
				t.Fatalf("moving σ did not denoise again: %v", err)
			}
			p.waitDenoised()
			v := eval[map[string]any](p, `window.scalewise.lastDrawValues()`)
			in, out := v["psnr_in"].(float64), v["psnr_out"].(float64)
			t.Logf("%s net: σ = 0.2: PSNR %.2f → %.2f dB, denoise %.0f ms (first denoise, σ = 0.1: %.0f ms)", v["net"], in, out, v["denoise_ms"], first["denoise_ms"])
			if v["net"] != net {
				t.Errorf("net %v, want %s", v["net"], net)
			}
			if out <= in+1 {
				t.Errorf("denoised PSNR %.2f dB is not above the input's %.2f dB", out, in)
			}
			p.noConsoleErrors()
		})
	}
}
