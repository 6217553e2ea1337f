package webtest

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestMeasureMainThread measures, with the Long Animation Frames API, how
// long the page's main thread is blocked while frames stream from the
// engine worker: the longest script run by an onmessage handler (any
// invoker with "onmessage"; the Worker.onmessage handler separately: the
// page's handler resolves the request and, before the ES-module split,
// loaded the frames into the canvas app in the same task), the longest
// script of any kind and its invoker, the longest long task and the
// longest (and most blocking) long animation frame. Scripts are listed
// by the API only within animation frames over 50 ms. It runs only with SCALEWISE_MEASURE=1 (it measures, it
// does not assert: run it before and after a change, on the same machine
// under the same load) and prints one line per scenario:
//
//	RG generation at L = 64, steps per frame 0 (one step) then 9 (1000)
//	an RG race for 10 s
//	a scattering synthesis at 64²
//
// It uses only window.scalewise and element ids that every version of
// the page has.
func TestMeasureMainThread(t *testing.T) {
	if os.Getenv("SCALEWISE_MEASURE") != "1" {
		t.Skip("set SCALEWISE_MEASURE=1 to measure the main thread's long tasks")
	}
	line := func(name string, m map[string]any, took time.Duration) {
		s := fmt.Sprintf("MEASURE %-34s onmessage max %4.0f ms (%2.0f scripts ≥ 50 ms; Worker.onmessage %4.0f ms) | any script max %4.0f ms (%v) | long task max %4.0f ms (%3.0f tasks > 50 ms) | LoAF max %4.0f ms, blocking %4.0f ms | %.1f s",
			name, m["onmsg"], m["onmsgN"], m["wmsg"], m["script"], m["scriptBy"], m["long"], m["longN"], m["loaf"], m["blocking"], took.Seconds())
		fmt.Println(s)
		t.Log(s)
	}

	t.Run("rg", func(t *testing.T) {
		p := open(t, siteURL+"#scene=rg&L=64&seed=3")
		p.waitRGDone()
		setSPF := func(k int) {
			eval[any](p, `(e => { e.value = "`+itoa(k)+`"; e.dispatchEvent(new Event("input")); })(document.getElementById("rg-spf")), null`)
		}
		// Generation at one step per frame for 6 s, then at the fastest
		// setting to the end.
		setSPF(0)
		p.measureStart()
		t0 := time.Now()
		p.click("#rg-generate")
		if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise.rgStatus().running`, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(6 * time.Second)
		slow := p.measureTake()
		line("rg generate L=64 spf 0 (6 s)", slow, time.Since(t0))
		t1 := time.Now()
		setSPF(9)
		p.waitRGDone()
		line("rg generate L=64 spf 9 (to done)", p.measureTake(), time.Since(t1))
		line("rg generate L=64 spf 0 then 9", p.measureTotal(), time.Since(t0))

		// The race, about 10 s.
		p.measureStart()
		t0 = time.Now()
		p.click("#rg-race")
		time.Sleep(10 * time.Second)
		p.click("#rg-race")
		if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`!window.scalewise.rgStatus().racing`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		line("rg race L=64 (10 s)", p.measureTake(), time.Since(t0))
	})

	t.Run("scat", func(t *testing.T) {
		p := open(t, siteURL+"#scene=scat&field=phi4&size=64&seed=2&J=5&L=4&j=1&k=0")
		p.waitScatAnalysed()
		p.measureStart()
		t0 := time.Now()
		p.click("#scat-synth")
		time.Sleep(300 * time.Millisecond)
		p.waitScatSynth(`s.done && !s.running && s.synth && s.synth.iter > 0`, 180*time.Second)
		time.Sleep(300 * time.Millisecond)
		line("scat synthesis 64² (to done)", p.measureTake(), time.Since(t0))
	})
}

// measureStart installs (once) observers of long tasks and long animation
// frames in the page and in the canvas frame (they share the main thread)
// and resets what they recorded.
func (p *page) measureStart() {
	p.t.Helper()
	eval[any](p, `(() => {
		const zero = () => ({onmsg: 0, onmsgN: 0, wmsg: 0, script: 0, scriptBy: "", long: 0, longN: 0, loaf: 0, blocking: 0});
		window.__measZero = zero;
		window.__meas = zero();
		window.__measTotal = zero();
		if (window.__measOn) return null;
		window.__measOn = true;
		const rec = (f) => { f(window.__meas); f(window.__measTotal); };
		for (const w of [window, document.getElementById("canvas-frame").contentWindow]) {
			try {
				new w.PerformanceObserver((list) => {
					for (const e of list.getEntries()) rec((m) => { m.long = Math.max(m.long, e.duration); if (e.duration > 50) m.longN++; });
				}).observe({type: "longtask"});
			} catch (err) {}
			try {
				new w.PerformanceObserver((list) => {
					for (const e of list.getEntries()) {
						rec((m) => { m.loaf = Math.max(m.loaf, e.duration); m.blocking = Math.max(m.blocking, e.blockingDuration || 0); });
						for (const s of e.scripts || []) {
							const inv = String(s.invoker || "");
							rec((m) => {
								if (s.duration > m.script) { m.script = s.duration; m.scriptBy = inv; }
								if (inv.includes("onmessage")) { m.onmsg = Math.max(m.onmsg, s.duration); if (s.duration >= 50) m.onmsgN++; }
								if (inv.includes("Worker.onmessage")) m.wmsg = Math.max(m.wmsg, s.duration);
							});
						}
					}
				}).observe({type: "long-animation-frame"});
			} catch (err) {}
		}
		return null;
	})()`)
}

// measureTake returns what was recorded since measureStart or the last
// measureTake and starts afresh.
func (p *page) measureTake() map[string]any {
	p.t.Helper()
	time.Sleep(200 * time.Millisecond) // let the observers deliver
	return eval[map[string]any](p, `(() => { const m = window.__meas; window.__meas = window.__measZero(); return m; })()`)
}

// measureTotal returns what was recorded since measureStart.
func (p *page) measureTotal() map[string]any {
	p.t.Helper()
	return eval[map[string]any](p, `window.__measTotal`)
}
