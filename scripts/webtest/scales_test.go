package webtest

import (
	"image"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBootRendersCanvas(t *testing.T) {
	p := open(t, siteURL)
	img := p.canvas()
	assertNotBlank(t, img)
	first := eval[float64](p, `window.scalewise.firstFrameMs`)
	t.Logf("navigation → first rendered frame: %.0f ms (headless Chromium, hosted dist/)", first)
	if !strings.Contains(eval[string](p, `location.hash`), "scene=scales") {
		t.Errorf("the URL fragment does not hold the state: %q", eval[string](p, `location.hash`))
	}
	rec := eval[string](p, `document.getElementById("numbers").textContent`)
	if !strings.Contains(rec, "Reconstruction error") {
		t.Errorf("reconstruction error not shown: %q", rec)
	}
	p.save("boot")
	p.noConsoleErrors()
}

func TestSteppingScaleChangesCanvas(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL+"#scene=scales&image=calpha&seed=3&J=4&j=0&view=approx")
	before := p.canvas()
	p.click("#j-up")
	p.waitDrawn()
	if j := eval[int](p, `window.scalewise.state.j`); j != 1 {
		t.Fatalf("after one step j = %d, want 1", j)
	}
	after := p.canvas()
	if d := differing(before, after, 8); d < 0.02 {
		t.Errorf("stepping j changed only %.2f%% of the canvas", 100*d)
	}
	p.click("#j-down")
	p.waitDrawn()
	back := p.canvas()
	if d := differing(before, back, 0); d != 0 {
		t.Errorf("stepping back to j=0 does not restore the canvas: %.3f%% differ", 100*d)
	}
	p.noConsoleErrors()
}

func TestFragmentRoundTrip(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL)
	// Change settings with the controls, as a person would.
	for _, js := range []string{
		`(e => { e.value = "haar"; e.dispatchEvent(new Event("change")); })(document.getElementById("wavelet"))`,
		`(e => { e.value = "7"; e.dispatchEvent(new Event("change")); })(document.getElementById("seed"))`,
		`(e => { e.checked = true; e.dispatchEvent(new Event("change")); })(document.querySelector('input[name=view][value=details]'))`,
	} {
		eval[any](p, js+`, null`)
	}
	p.click("#j-up")
	p.click("#j-up")
	p.waitReadyAgain()
	url := eval[string](p, `location.href`)
	for _, want := range []string{"wavelet=haar", "seed=7", "view=details", "j=2"} {
		if !strings.Contains(url, want) {
			t.Errorf("link %q lacks %s", url, want)
		}
	}
	want := p.canvas()
	q := open(t, url)
	got := q.canvas()
	if d := differing(want, got, 0); d != 0 {
		t.Errorf("the link reproduces the view only partly: %.3f%% of pixels differ", 100*d)
	}
	if s := eval[string](q, `JSON.stringify(window.scalewise.state)`); !strings.Contains(s, `"wavelet":"haar"`) || !strings.Contains(s, `"j":2`) {
		t.Errorf("state after opening the link: %s", s)
	}
	p.noConsoleErrors()
	q.noConsoleErrors()
}

// waitReadyAgain waits for any recomputation the last changes caused.
func (p *page) waitReadyAgain() {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`!document.getElementById("progress").classList.contains("on") && document.getElementById("status-text").textContent.includes("Computed")`,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		p.t.Fatal(err)
	}
	p.waitDrawn()
}

func TestMalformedFragmentShowsNotice(t *testing.T) {
	t.Parallel()
	shared := linkPage(t)
	for _, frag := range []string{
		"#J=banana&foo=1&j=%E0%A4%A",
		"#scene=nope&size=77&seed=-4&wavelet=db99&view=",
		"#%%%&&&===",
		"#j=8&J=8&image=mnist",
	} {
		t.Run(frag, func(t *testing.T) {
			p := shared(t, frag)
			if notice := p.noticeWith(); notice == "" {
				t.Errorf("no visible notice for %s", frag)
			} else {
				t.Logf("notice: %s", notice)
			}
			assertNotBlank(t, p.canvas())
			p.noConsoleErrors()
		})
	}
}

// sharedPage opens the first link of a test in a fresh page and visits the
// next ones in it (visit): the page that open returns for subtests of one
// test, run in order.
type sharedPage struct{ p *page }

// linkPage returns a function that opens (the first time) or visits the
// link frag, for the subtests of t.
func linkPage(t *testing.T) func(st *testing.T, frag string) *page {
	var sp sharedPage
	return func(st *testing.T, frag string) *page {
		if sp.p == nil {
			sp.p = open(t, siteURL+frag)
		} else {
			sp.p.visit(frag)
		}
		sp.p.t = st
		return sp.p
	}
}

// The notice holds text the link's author chooses: it stays short however
// long the link, with the first few problems, each quoted in part, and a
// count of the rest; the page reads only the start of an overlong link.
func TestLongLinkNoticeIsShort(t *testing.T) {
	t.Parallel()
	shared := linkPage(t)
	for _, tc := range []struct {
		name, frag string
		seed       int
		want       []string
	}{
		// 100,000 characters; the seed=9 at its end is beyond what is read.
		{"20000 unknown keys", "#scene=scales&seed=7&" + strings.Repeat("zz=1&", 20000) + "seed=9", 7,
			[]string{"the link is too long (100,026 characters)", "defaults were used for the rest", "unknown setting “zz” ignored", "more."}},
		{"10 problems", "#a=1&b=1&c=1&d2=1&e=1&f=1&g=1&h=1&i=1&seed=x&seed=8", 8, []string{"“a”", "“h”", "… and 2 more."}},
		{"a long key and value", "#" + strings.Repeat("k", 3000) + "=1&seed=" + strings.Repeat("9", 3000), 1, []string{"“kkkk", "…”", "seed=“9999"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := shared(t, tc.frag)
			notice := eval[string](p, `document.getElementById("notice").textContent`)
			height := eval[float64](p, `document.getElementById("notice").getBoundingClientRect().height`)
			top := eval[float64](p, `document.getElementById("canvas-frame").getBoundingClientRect().top`)
			t.Logf("notice (%d characters, %.0f px tall; canvas at %.0f px): %s", len([]rune(notice)), height, top, notice)
			if n := len([]rune(notice)); n == 0 || n >= 1000 {
				t.Errorf("notice of %d characters", n)
			}
			if height <= 0 || height >= 200 {
				t.Errorf("notice %.0f px tall", height)
			}
			if top >= 400 {
				t.Errorf("the canvas starts %.0f px down", top)
			}
			for _, w := range tc.want {
				if !strings.Contains(notice, w) {
					t.Errorf("notice lacks %q", w)
				}
			}
			if got := eval[int](p, `window.scalewise.state.seed`); got != tc.seed {
				t.Errorf("seed %d, want %d", got, tc.seed)
			}
			if strings.Contains(eval[string](p, `location.hash`), "zz") {
				t.Errorf("the unknown keys stay in the URL")
			}
			assertNotBlank(t, p.canvas())
			p.noConsoleErrors()
		})
	}
}

func TestNoLongTasksWhilePlaying(t *testing.T) {
	p := open(t, siteURL+"#scene=scales&size=256&J=6&view=approx")
	eval[any](p, `(() => {
		window.__long = [];
		const watch = (w, where) => new w.PerformanceObserver((list) => {
			for (const e of list.getEntries()) window.__long.push({where, ms: e.duration});
		}).observe({type: "longtask"});
		watch(window, "page");
		watch(document.getElementById("canvas-frame").contentWindow, "canvas");
		return null;
	})()`)
	p.click("#play")
	start := eval[int](p, `window.scalewise.state.j`)
	time.Sleep(6 * time.Second)
	seen := eval[int](p, `window.scalewise.state.j`)
	p.click("#play")
	if seen == start {
		t.Errorf("the animation did not move j (still %d)", seen)
	}
	long := eval[[]map[string]any](p, `window.__long`)
	for _, e := range long {
		if e["ms"].(float64) > 50 {
			t.Errorf("long task while playing: %v", e)
		}
	}
	t.Logf("long tasks observed while playing: %v", long)
	// The observers do see a long task when there is one: block the
	// canvas frame's thread for 120 ms.
	eval[any](p, `(w => { w.setTimeout(() => { const t = performance.now(); while (performance.now() - t < 120) {} }, 0); return null; })(document.getElementById("canvas-frame").contentWindow)`)
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.__long.some(e => e.ms > 100)`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("the long-task observers missed a deliberate 120 ms task: %v", err)
	}
	p.noConsoleErrors()
}

func TestSingleFileFromDisk(t *testing.T) {
	p := open(t, fileURL(filepath.Join(distDir, "scalewise.html")))
	assertNotBlank(t, p.canvas())
	if proto := eval[string](p, `location.protocol`); proto != "file:" {
		t.Fatalf("opened over %s", proto)
	}
	t.Logf("single file: navigation → first rendered frame %.0f ms", eval[float64](p, `window.scalewise.firstFrameMs`))
	p.save("single-file")
	p.noConsoleErrors()
}

// Every view draws something of its own.
func TestEveryViewRenders(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL+"#seed=4&J=4&j=2&view=approx")
	var shots []image.Image
	views := []string{"approx", "details", "mallat", "fourier"}
	for i, view := range views {
		eval[any](p, `(e => { e.checked = true; e.dispatchEvent(new Event("change")); })(document.querySelector('input[name=view][value=`+view+`]')), null`)
		p.waitDrawn()
		img := p.canvas()
		assertNotBlank(t, img)
		p.save("view-" + view)
		for k, prev := range shots {
			if d := differing(prev, img, 8); d < 0.05 {
				t.Errorf("views %s and %s look the same (%.2f%% differ)", views[k], views[i], 100*d)
			}
		}
		shots = append(shots, img)
	}
	p.noConsoleErrors()
}

// "Save PNG" exports the canvas as it is drawn.
func TestCanvasPNGExport(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL+"#seed=6&view=mallat")
	assertNotBlank(t, decodeDataURL(t, eval[string](p, `window.scalewise.canvasPNG()`)))
	p.noConsoleErrors()
}
