package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The page on a phone: a 412×900 CSS-pixel screen held upright, with touch.
const phoneW, phoneH = 412, 900

func phone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
}

// openPhone opens url on the phone and waits until the page is ready (and,
// for a scene with a canvas, until the canvas drew).
func openPhone(t *testing.T, url string, canvas bool) *page {
	t.Helper()
	if canvas {
		return openWith(t, url, phone())
	}
	p := navigate(t, url, phone())
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise && window.scalewise.ready === true`,
		chromedp.WithPollingTimeout(90*time.Second))); err != nil {
		t.Fatalf("page did not become ready: %v; console: %v", err, p.messages())
	}
	return p
}

// appPanel is one panel of the canvas app, in CSS pixels of the frame.
type appPanel struct {
	Name string  `json:"name"`
	Kind string  `json:"kind"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	W    float64 `json:"w"`
	H    float64 `json:"h"`
}

// appLayout is the answer of the canvas app's panels().
type appLayout struct {
	W      float64    `json:"w"`
	H      float64    `json:"h"`
	Scale  float64    `json:"scale"`
	Panels []appPanel `json:"panels"`
}

// appPanels returns the panels the canvas app shows, and false when the
// app has no panels().
func (p *page) appPanels() (appLayout, bool) {
	p.t.Helper()
	js := eval[string](p, `(a => a && typeof a.panels === "function" ? JSON.stringify(a.panels()) : "")(window.scalewise.app())`)
	if js == "" {
		return appLayout{}, false
	}
	var r struct {
		Value appLayout `json:"value"`
		Error string    `json:"error"`
	}
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		p.t.Fatalf("panels(): %v in %s", err, js)
	}
	if r.Error != "" {
		p.t.Fatalf("panels(): %s", r.Error)
	}
	return r.Value, true
}

// imagePanel reports whether a panel shows an image (not a plot, a text
// or the numbers): its kind says so when the app gives one.
func imagePanel(q appPanel) bool {
	if q.Kind != "" {
		return q.Kind == "image"
	}
	return true
}

// findPanel returns the first panel whose name contains one of names.
func findPanel(l appLayout, names ...string) (appPanel, bool) {
	for _, q := range l.Panels {
		for _, n := range names {
			if strings.Contains(strings.ToLower(q.Name), n) {
				return q, true
			}
		}
	}
	return appPanel{}, false
}

// waitScene waits until the scene sc, just switched to, has computed and
// drawn what it shows, and the canvas app has laid out the frame's size.
func (p *page) waitScene(sc string) {
	p.t.Helper()
	poll := func(cond string) {
		p.t.Helper()
		if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
			p.t.Fatalf("%s: waiting for %s: %v", sc, cond, err)
		}
	}
	switch sc {
	case "scales":
		p.waitReadyAgain()
	case "draw":
		p.waitDenoised()
	case "rg":
		poll(`window.scalewise.rgStatus().key !== ""`)
	case "scat":
		p.waitScatAnalysed()
	case "gen":
		p.waitGenDone()
	case "geometry":
		poll(`window.scalewise.geometryStatus().rate`)
	case "about":
		poll(`["ok", "error"].includes((document.getElementById("about-engine") || {dataset: {}}).dataset.state)`)
		return
	}
	// The frame may have taken a new height (app.js, fit): the app lays
	// out that size.
	poll(`((a, f) => !a || typeof a.panels !== "function" || Math.abs(a.panels().value.h - f.getBoundingClientRect().height) < 2)(window.scalewise.app(), document.getElementById("canvas-frame"))`)
	p.waitDrawn()
}

// On a phone every scene fits the screen's width: the canvas takes (nearly)
// the whole width and is upright, the page never scrolls sideways, the
// explanation reads as paragraphs, the controls fold above the canvas and
// unfold with controls a finger can hit, and the canvas app's image panels
// are at least 150 px wide. One page goes through the scenes by their tabs.
func TestPhoneLayout(t *testing.T) {
	t.Parallel()
	p := openPhone(t, siteURL+"#scene=scales", true)
	for i, sc := range []string{"scales", "draw", "rg", "scat", "gen", "geometry", "about"} {
		if i > 0 {
			p.click(`#scenes button[data-scene="` + sc + `"]`)
			p.waitScene(sc)
		}
		canvas := sc != "about"
		m := eval[map[string]float64](p, `(() => {
			const f = document.getElementById("canvas-frame"), r = f.getBoundingClientRect();
			const ex = [...document.querySelectorAll(".explain")].find((e) => getComputedStyle(e).display !== "none");
			const tabs = document.getElementById("scenes").getBoundingClientRect();
			return {inner: innerWidth, scrollW: document.documentElement.scrollWidth, fw: r.width, fh: r.height,
				shown: getComputedStyle(f).display !== "none" ? 1 : 0, explain: ex ? ex.getBoundingClientRect().width : 0,
				coarse: matchMedia("(pointer: coarse)").matches ? 1 : 0, tabsBottom: tabs.bottom + scrollY,
				folded: [...document.querySelectorAll("#controls fieldset")].every((e) => e.getClientRects().length === 0) ? 1 : 0};
		})()`)
		t.Logf("%s at %d×%d: canvas %.0f×%.0f, page %0.f px wide, explanation %.0f px wide, tabs end at %.0f px",
			sc, phoneW, phoneH, m["fw"], m["fh"], m["scrollW"], m["explain"], m["tabsBottom"])
		if m["inner"] != phoneW {
			t.Fatalf("the viewport is %.0f px wide, want %d (mobile emulation)", m["inner"], phoneW)
		}
		if m["coarse"] != 1 {
			t.Fatal("touch emulation does not give (pointer: coarse)")
		}
		if m["scrollW"] > m["inner"] {
			t.Errorf("%s: the page scrolls sideways: %.0f px wide in a %.0f px viewport", sc, m["scrollW"], m["inner"])
		}
		if canvas {
			if m["shown"] != 1 || m["fw"] < 0.9*m["inner"] {
				t.Errorf("%s: the canvas is %.0f px wide, under 90%% of %.0f", sc, m["fw"], m["inner"])
			}
			if m["fh"] <= m["fw"] {
				t.Errorf("%s: the canvas is %.0f×%.0f on an upright phone, want it upright", sc, m["fw"], m["fh"])
			}
		}
		if m["explain"] < 0.85*m["inner"] {
			t.Errorf("%s: the explanation is %.0f px wide: it does not read as paragraphs", sc, m["explain"])
		}
		if m["tabsBottom"] > 0.3*phoneH {
			t.Errorf("%s: the scene tabs end %.0f px down the page", sc, m["tabsBottom"])
		}
		if m["folded"] != 1 {
			t.Errorf("%s: the controls are not folded on a phone", sc)
		}
		// Unfolded, the controls stay within the width, and each control
		// a finger hits is at least 40 px tall.
		p.click("#controls-toggle")
		if !eval[bool](p, `[...document.querySelectorAll("#controls fieldset")].some((e) => e.getClientRects().length > 0)`) {
			t.Errorf("%s: Settings did not unfold the controls", sc)
		}
		small := eval[[]string](p, `[...document.querySelectorAll("#scenes button, #controls button, #controls select, #controls input[type=range], #controls input[type=number]")]
			.filter((e) => e.getClientRects().length > 0).map((e) => [e.id || e.textContent.trim(), e.getBoundingClientRect().height])
			.filter(([, h]) => h < 40).map(([n, h]) => n + " " + h.toFixed(0) + " px")`)
		if len(small) > 0 {
			t.Errorf("%s: controls under 40 px tall on a touch screen: %v", sc, small)
		}
		if w := eval[float64](p, `document.documentElement.scrollWidth`); w > m["inner"] {
			t.Errorf("%s: with the controls unfolded the page is %.0f px wide", sc, w)
		}
		p.save("phone-" + sc)
		p.click("#controls-toggle")
		if !canvas {
			continue
		}
		l, ok := p.appPanels()
		if !ok {
			t.Logf("NOTE: the canvas app has no panels(): the panel widths were not checked")
			continue
		}
		t.Logf("%s panels on a %.0f×%.0f canvas: %+v", sc, l.W, l.H, l.Panels)
		if len(l.Panels) == 0 {
			t.Errorf("%s: panels() lists no panels", sc)
		}
		for _, q := range l.Panels {
			if imagePanel(q) && q.W < 150 {
				t.Errorf("%s: panel %q is %.0f px wide on the phone, under 150", sc, q.Name, q.W)
			}
		}
	}
	p.noConsoleErrors()
}

// touchAt dispatches one touch event with one finger at (x, y) (page
// coordinates); a touchEnd has no touch points. The finger's identifier is
// 0, as Chrome gives the first finger on a touch screen.
func touchAt(typ input.DispatchTouchEventType, x, y float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		pts := []*input.TouchPoint{}
		if typ != input.DispatchTouchEventTypeTouchEnd {
			r, id := 2.0, 0.0
			pts = append(pts, &input.TouchPoint{X: x, Y: y, RadiusX: &r, RadiusY: &r, ID: &id})
		}
		_, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: pts})
		return err
	})
}

// swipe drags one finger through pts (page coordinates).
func (p *page) swipe(pts [][2]float64) {
	p.t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for i, q := range pts {
		typ := input.DispatchTouchEventTypeTouchMove
		if i == 0 {
			typ = input.DispatchTouchEventTypeTouchStart
		}
		steps = append(steps, touchAt(typ, q[0], q[1]), chromedp.Sleep(16*time.Millisecond))
	}
	last := pts[len(pts)-1]
	steps = append(steps, touchAt(input.DispatchTouchEventTypeTouchEnd, last[0], last[1]))
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatal(err)
	}
}

// frameRect is the canvas frame's rectangle in page (viewport) coordinates.
func (p *page) frameRect() (x, y, w, h float64) {
	r := eval[map[string]float64](p, `(r => ({x: r.left, y: r.top, w: r.width, h: r.height}))(document.getElementById("canvas-frame").getBoundingClientRect())`)
	return r["x"], r["y"], r["w"], r["h"]
}

// drawingPanel returns the Draw scene's drawing panel in page coordinates:
// from panels() when the app has it, else from its landscape design
// (960×540, the drawing at 16…448 × 40…472) fitted into the frame.
func (p *page) drawingPanel() (x, y, w, h float64, named bool) {
	fx, fy, fw, fh := p.frameRect()
	if l, ok := p.appPanels(); ok {
		if q, ok := findPanel(l, "drawing", "clean", "draw"); ok {
			return fx + q.X, fy + q.Y, q.W, q.H, true
		}
		p.t.Fatalf("panels() has no drawing panel: %+v", l.Panels)
	}
	s := min(fw/960, fh/540)
	ox, oy := (fw-960*s)/2, (fh-540*s)/2
	return fx + ox + 16*s, fy + oy + 40*s, 432 * s, 432 * s, false
}

// A finger drawing on the Draw canvas draws (the link's drawing and the
// denoised panel change) and neither scrolls nor zooms the page; on the
// Scales canvas, which takes no fingers, the same swipe scrolls the page.
func TestPhoneTouchDraws(t *testing.T) {
	t.Parallel()
	p := openPhone(t, siteURL+"#scene=draw&sigma=0.2&net=drawing", true)
	p.waitDenoised()
	if ta := eval[string](p, `getComputedStyle(document.getElementById("canvas-frame")).touchAction`); ta != "none" {
		t.Errorf("the Draw canvas frame has touch-action %q, want none", ta)
	}
	if ta := eval[string](p, `getComputedStyle(document.getElementById("canvas-frame").contentDocument.querySelector("canvas")).touchAction`); ta != "none" {
		t.Errorf("the Draw canvas has touch-action %q, want none", ta)
	}
	// Bring the drawing to the middle of the screen, so that the page
	// could scroll either way.
	eval[any](p, `((f) => { window.scrollTo(0, Math.max(0, f.getBoundingClientRect().top + scrollY - 120)); return null; })(document.getElementById("canvas-frame"))`)
	time.Sleep(300 * time.Millisecond)
	d0 := eval[string](p, `window.scalewise.state.d`)
	v0 := eval[map[string]any](p, `window.scalewise.lastDrawValues()`)
	eval[any](p, `(window.__v0 = JSON.stringify(window.scalewise.lastDrawValues()), null)`)
	shot0 := p.canvas() // (a screenshot of an element scrolls it into view)
	x, y, w, h, named := p.drawingPanel()
	t.Logf("drawing panel at (%.0f, %.0f), %.0f×%.0f px (from panels(): %v)", x, y, w, h, named)
	scroll0 := eval[float64](p, `scrollY`)
	// An upward diagonal stroke: a page that took it as a pan would scroll down.
	var pts [][2]float64
	for i := 0; i <= 14; i++ {
		f := float64(i) / 14
		pts = append(pts, [2]float64{x + w*(0.12+0.76*f), y + h*(0.88-0.76*f)})
	}
	p.swipe(pts)
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise.state.d !== `+jsString(d0),
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the finger stroke did not change the drawing: %v", err)
	}
	// The denoise of the new drawing.
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`JSON.stringify(window.scalewise.lastDrawValues()) !== window.__v0`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the new drawing was not denoised: %v", err)
	}
	if s := eval[float64](p, `scrollY`); s != scroll0 {
		t.Errorf("the stroke scrolled the page from %.0f to %.0f", scroll0, s)
	}
	if z := eval[float64](p, `visualViewport.scale`); z != 1 {
		t.Errorf("the stroke zoomed the page to %.2f", z)
	}
	p.waitDenoised()
	v1 := eval[map[string]any](p, `window.scalewise.lastDrawValues()`)
	t.Logf("before the stroke PSNR %.2f → %.2f dB, after %.2f → %.2f dB", v0["psnr_in"], v0["psnr_out"], v1["psnr_in"], v1["psnr_out"])
	if fmt.Sprint(v0["psnr_in"], v0["psnr_out"]) == fmt.Sprint(v1["psnr_in"], v1["psnr_out"]) {
		t.Error("the denoise of the new drawing reports the same PSNRs as before: the stroke drew (almost) nothing (does the canvas app take a finger whose touch identifier is 0 for no finger?)")
	}
	if l, ok := p.appPanels(); ok {
		if q, ok := findPanel(l, "denoised"); ok {
			shot1 := p.canvas()
			// The frame's screenshot spans the app's w×h CSS pixels.
			if d := differingIn(shot0, shot1, q.X/l.W, (q.X+q.W)/l.W, q.Y/l.H, (q.Y+q.H)/l.H, 8); d < 0.05 {
				t.Errorf("the denoised panel changed in only %.2f%% of its pixels", 100*d)
			}
		}
	}
	p.save("phone-draw-touch")

	// Scales takes no fingers: a swipe up on its canvas scrolls the page.
	p.click(`#scenes button[data-scene="scales"]`)
	p.waitReadyAgain()
	if ta := eval[string](p, `getComputedStyle(document.getElementById("canvas-frame")).touchAction`); ta != "auto" {
		t.Errorf("the Scales canvas frame has touch-action %q, want auto", ta)
	}
	eval[any](p, `(window.scrollTo(0, 0), null)`)
	time.Sleep(300 * time.Millisecond)
	fx, fy, fw, fh := p.frameRect()
	var up [][2]float64
	for i := 0; i <= 10; i++ {
		up = append(up, [2]float64{fx + fw/2, fy + fh*0.8 - float64(i)*30})
	}
	p.swipe(up)
	time.Sleep(800 * time.Millisecond)
	if s := eval[float64](p, `scrollY`); s < 50 {
		t.Errorf("a swipe up on the Scales canvas scrolled the page by only %.0f px", s)
	}
	p.noConsoleErrors()
}

// ←/→ step the scale and space plays or pauses: Scales (j, play),
// Renormalise (j once generated; space pauses and resumes the
// generation), Scattering (j of the wavelet shown; space pauses and
// resumes the synthesis); never while a field has the focus.
func TestKeyboard(t *testing.T) {
	t.Parallel()
	key := func(p *page, k string) {
		p.t.Helper()
		if err := chromedp.Do(p.ctx, chromedp.KeyEvent(k)); err != nil {
			p.t.Fatal(err)
		}
	}
	blur := func(p *page) { eval[any](p, `(document.activeElement && document.activeElement.blur(), null)`) }
	waitFor := func(p *page, cond string, d time.Duration) {
		p.t.Helper()
		if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(d))); err != nil {
			p.t.Fatalf("waiting for %s: %v", cond, err)
		}
	}

	// One page goes through the scenes (by their links).
	p := open(t, siteURL+"#scene=scales&seed=3&J=4&j=0")
	{ // Scales: j and play.
		blur(p)
		key(p, kb.ArrowRight)
		if j := eval[int](p, `window.scalewise.state.j`); j != 1 {
			t.Fatalf("ArrowRight: j = %d, want 1", j)
		}
		if h := eval[string](p, `location.hash`); !strings.Contains(h, "j=1") {
			t.Errorf("the link after ArrowRight: %s", h)
		}
		key(p, kb.ArrowLeft)
		key(p, kb.ArrowLeft) // j stays at 0
		if j := eval[int](p, `window.scalewise.state.j`); j != 0 {
			t.Fatalf("ArrowLeft twice from 1: j = %d, want 0", j)
		}
		// Not while typing in a field.
		eval[any](p, `(document.getElementById("seed").focus(), null)`)
		key(p, kb.ArrowRight)
		key(p, " ")
		if j := eval[int](p, `window.scalewise.state.j`); j != 0 {
			t.Errorf("ArrowRight in the seed field changed j to %d", j)
		}
		if s := eval[string](p, `document.getElementById("play").textContent`); strings.Contains(s, "pause") {
			t.Errorf("space in the seed field started playing")
		}
		blur(p)
		key(p, " ")
		if s := eval[string](p, `document.getElementById("play").textContent`); !strings.Contains(s, "pause") {
			t.Fatalf("space did not start playing: the button says %q", s)
		}
		waitFor(p, `window.scalewise.state.j >= 2`, 10*time.Second)
		key(p, " ")
		if s := eval[string](p, `document.getElementById("play").textContent`); !strings.Contains(s, "play") {
			t.Errorf("space did not pause: the button says %q", s)
		}
		// Keys typed while the canvas has the focus work too.
		j := eval[int](p, `window.scalewise.state.j`)
		eval[any](p, `(document.getElementById("canvas-frame").contentDocument.querySelector("canvas").focus(), null)`)
		if err := chromedp.Do(p.ctx, chromedp.KeyEvent(kb.ArrowLeft)); err != nil {
			t.Fatal(err)
		}
		if j2 := eval[int](p, `window.scalewise.state.j`); j2 != j-1 {
			t.Errorf("ArrowLeft with the canvas focused: j %d → %d", j, j2)
		}
	}

	{ // Renormalise: j of the finished hierarchy; pause and resume.
		eval[any](p, `(location.hash = "#scene=rg&L=32&seed=2&j=0", null)`)
		st := p.waitRGDone()
		blur(p)
		key(p, kb.ArrowRight)
		if j := eval[int](p, `window.scalewise.state.j`); j != 1 {
			t.Errorf("ArrowRight on a finished hierarchy: j = %d, want 1", j)
		}
		key(p, kb.ArrowLeft)
		if j := eval[int](p, `window.scalewise.state.j`); j != 0 {
			t.Errorf("ArrowLeft: j = %d, want 0", j)
		}
		// A slow generation (one MALA step per frame): space pauses and
		// resumes it.
		eval[any](p, `(e => { e.value = "0"; e.dispatchEvent(new Event("input")); })(document.getElementById("rg-spf")), null`)
		p.click("#rg-generate")
		blur(p)
		waitFor(p, `(s => s.running && !s.paused && s.steps > 0)(window.scalewise.rgStatus())`, 30*time.Second)
		key(p, " ")
		waitFor(p, `(s => s.paused && !s.running)(window.scalewise.rgStatus())`, 10*time.Second)
		steps := p.rgStatus().Steps
		key(p, " ")
		waitFor(p, fmt.Sprintf(`(s => !s.paused && s.steps > %d)(window.scalewise.rgStatus())`, steps), 10*time.Second)
		t.Logf("RG (L=%d, J=%d): space paused the generation at step %d and resumed it", st.L, st.J, steps)
	}

	{ // Scattering: j of the wavelet; pause and resume the synthesis.
		eval[any](p, `(location.hash = "#scene=scat&field=phi4&size=64&J=4&j=1", null)`)
		p.waitScatAnalysed()
		blur(p)
		key(p, kb.ArrowRight)
		if j := eval[int](p, `window.scalewise.state.sj`); j != 2 {
			t.Errorf("ArrowRight: the wavelet's j = %d, want 2", j)
		}
		if h := eval[string](p, `location.hash`); !strings.Contains(h, "&j=2") {
			t.Errorf("the link after ArrowRight: %s", h)
		}
		p.waitScatAnalysed()
		p.click("#scat-synth")
		blur(p)
		p.waitScatSynth(`s.running && !s.paused && s.synth && s.synth.iter >= 1`, 60*time.Second)
		key(p, " ")
		st := p.waitScatSynth(`s.paused && !s.running`, 10*time.Second)
		iter := st.Synth["iter"].(float64)
		if st.Done {
			t.Logf("Scattering: the synthesis finished before space could pause it")
		} else {
			key(p, " ")
			p.waitScatSynth(fmt.Sprintf(`!s.paused && (s.done || s.synth.iter > %v)`, iter), 30*time.Second)
			t.Logf("Scattering: space paused the synthesis at iteration %v and resumed it", iter)
		}
	}
	p.noConsoleErrors()
}

// throttled limits the tab's downloads to bps bytes a second and bypasses
// the service worker and the HTTP cache, as on a first visit.
func throttled(bps float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{DownloadThroughput: bps, UploadThroughput: -1, Latency: 20}}})
		return err
	})
}

var reLoadBytes = regexp.MustCompile(`^(Downloading|Unpacking) the engine \d+\.\d / \d+\.\d MB$`)

// A first visit explains itself: while the engine downloads, the box over
// the canvas shows the bytes in and the total ("Downloading the engine
// 3.1 / 30.9 MB"), then "Compiling…", and goes once the engine runs; the
// single file shows the unpacking of its inline blocks the same way.
func TestFirstVisitProgress(t *testing.T) {
	t.Parallel()
	t.Run("hosted", func(t *testing.T) {
		t.Parallel()
		p := navigate(t, siteURL+"#scene=scales", throttled(16e6))
		if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`(() => {
			const box = document.getElementById("loading"), text = document.getElementById("load-text").textContent;
			if (window.scalewise && window.scalewise.ready) throw new Error("ready before any bytes were shown");
			return !box.hidden && box.getClientRects().length > 0 && / \d+\.\d \/ \d+\.\d MB$/.test(text);
		})()`, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
			t.Fatalf("the page never showed the bytes downloaded: %v; log %v", err, eval[any](p, `window.scalewise && window.scalewise.loadLog`))
		}
		seen := eval[string](p, `document.getElementById("load-text").textContent`)
		bar := eval[map[string]float64](p, `(b => ({value: b.value, max: b.max}))(document.getElementById("load-bar"))`)
		t.Logf("before ready the page showed %q (bar %.0f of %.0f)", seen, bar["value"], bar["max"])
		if !reLoadBytes.MatchString(seen) {
			t.Errorf("load text %q", seen)
		}
		if bar["max"] < 1e6 || bar["value"] > bar["max"] {
			t.Errorf("the bar is at %.0f of %.0f", bar["value"], bar["max"])
		}
		p.waitReady()
		if !eval[bool](p, `document.getElementById("loading").hidden`) {
			t.Error("the load box is still shown once ready")
		}
		logLoad(t, p)
		p.noConsoleErrors()
	})
	t.Run("single file", func(t *testing.T) {
		t.Parallel()
		p := open(t, fileURL(distDir+"/scalewise.html"))
		texts := logLoad(t, p)
		ok := false
		for _, s := range texts {
			ok = ok || (reLoadBytes.MatchString(s) && strings.HasPrefix(s, "Unpacking"))
		}
		if !ok {
			t.Errorf("the single file never showed the bytes it unpacked: %v", texts)
		}
		p.noConsoleErrors()
	})
}

// logLoad logs what the load box showed and returns its texts.
func logLoad(t *testing.T, p *page) []string {
	t.Helper()
	type entry struct {
		Ms   float64 `json:"ms"`
		Text string  `json:"text"`
	}
	log := eval[[]entry](p, `window.scalewise.loadLog || []`)
	var texts, shown []string
	for i, e := range log {
		texts = append(texts, e.Text)
		if i < 3 || i >= len(log)-3 {
			shown = append(shown, fmt.Sprintf("%.0f ms %s", e.Ms, e.Text))
		} else if i == 3 {
			shown = append(shown, "…")
		}
	}
	t.Logf("load box (%d texts): %s; first frame at %.0f ms", len(log), strings.Join(shown, "; "), eval[float64](p, `window.scalewise.firstFrameMs`))
	return texts
}

// The time from navigation to the first frame drawn with data, and what the
// load box showed, on a desktop and on a phone (hosted dist/, no throttle:
// the page and the browser on one machine; a visit after the first is
// served by the service worker). Not parallel: it times.
func TestFirstFrameDesktopAndPhone(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup []chromedp.Action[chromedp.Void]
	}{
		{"1400×1000", nil},
		{"412×900 phone", []chromedp.Action[chromedp.Void]{phone()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := openWith(t, siteURL+"#scene=scales", tc.setup...)
			assertNotBlank(t, p.canvas())
			if len(logLoad(t, p)) == 0 {
				t.Error("the load box showed nothing")
			}
			p.noConsoleErrors()
		})
	}
}

// The page at the widths of phones, tablets and desktops: it never scrolls
// sideways and the scene tabs stay on screen; below 900 px the canvas takes
// at least 90 % of the width above folded controls, and the explanation
// reads as paragraphs; from 900 px the controls stand beside the canvas.
func TestWidths(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		w, h  int64
		touch bool
	}{{360, 740, true}, {768, 1024, true}, {1024, 768, true}, {1440, 900, false}} {
		t.Run(fmt.Sprintf("%d×%d", tc.w, tc.h), func(t *testing.T) {
			opts := []chromedp.EmulateViewportOption{}
			if tc.touch {
				opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
			}
			p := openWith(t, siteURL+"#scene=draw&sigma=0.2", chromedp.EmulateViewport(tc.w, tc.h, opts...))
			p.waitDenoised()
			m := eval[map[string]float64](p, `(() => {
				const f = document.getElementById("canvas-frame").getBoundingClientRect();
				const a = document.getElementById("controls").getBoundingClientRect();
				const ex = [...document.querySelectorAll(".explain")].find((e) => getComputedStyle(e).display !== "none").getBoundingClientRect();
				const tabs = [...document.querySelectorAll("#scenes button")].map((b) => b.getBoundingClientRect());
				return {inner: innerWidth, scrollW: document.documentElement.scrollWidth, fw: f.width, fx: f.left,
					aRight: a.right, aBottom: a.bottom, fTop: f.top, ex: ex.width,
					tabsRight: Math.max(...tabs.map((r) => r.right)), tabsBottom: Math.max(...tabs.map((r) => r.bottom))};
			})()`)
			t.Logf("%d×%d: canvas %.0f px wide at x = %.0f, controls end at x = %.0f, y = %.0f; explanation %.0f px; tabs end at (%.0f, %.0f)",
				tc.w, tc.h, m["fw"], m["fx"], m["aRight"], m["aBottom"], m["ex"], m["tabsRight"], m["tabsBottom"])
			if m["scrollW"] > m["inner"] {
				t.Errorf("the page scrolls sideways: %.0f px in %.0f", m["scrollW"], m["inner"])
			}
			if m["tabsRight"] > m["inner"] || m["tabsBottom"] > 0.35*float64(tc.h) {
				t.Errorf("the scene tabs end at (%.0f, %.0f): off screen", m["tabsRight"], m["tabsBottom"])
			}
			if tc.w < 900 {
				if m["fw"] < 0.9*m["inner"] {
					t.Errorf("the canvas is %.0f px wide, under 90%% of %.0f", m["fw"], m["inner"])
				}
				if m["aBottom"] > m["fTop"] {
					t.Errorf("the controls (ending at y = %.0f) are not above the canvas (y = %.0f)", m["aBottom"], m["fTop"])
				}
				if m["ex"] < 0.85*m["inner"] {
					t.Errorf("the explanation is %.0f px wide", m["ex"])
				}
			} else if m["aRight"] > m["fx"] {
				t.Errorf("the controls (ending at x = %.0f) are not beside the canvas (x = %.0f)", m["aRight"], m["fx"])
			}
			p.save(fmt.Sprintf("width-%d", tc.w))
			p.noConsoleErrors()
		})
	}
}
