package webtest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The About scene, a fixture of the scene contract (wasm/web/scenes.js):
// a tab of its own (made from the scene table), it makes its own page
// elements, says what the lab is and, per scene, the papers it implements
// (arXiv links in a new tab), and shows the engine's answer to "about".
// Switching to Scales works.
func TestAboutScene(t *testing.T) {
	p := openWithoutCanvas(t, siteURL+"#scene=about")
	if eval[bool](p, `getComputedStyle(document.getElementById("canvas-frame")).display !== "none"`) {
		t.Error("the canvas frame is shown in About (the canvas app has no such scene)")
	}
	if s := eval[string](p, `window.scalewise.state.scene`); s != "about" {
		t.Fatalf("scene %q", s)
	}
	if h := eval[string](p, `location.hash`); h != "#scene=about" {
		t.Errorf("hash %q", h)
	}
	tab := eval[map[string]string](p, `(b => b ? {text: b.textContent, selected: b.getAttribute("aria-selected"), shown: String(b.getClientRects().length > 0)} : {})(document.querySelector('#scenes button[data-scene="about"]'))`)
	if tab["text"] != "About" || tab["selected"] != "true" || tab["shown"] != "true" {
		t.Errorf("the About tab: %v", tab)
	}
	if tabs := eval[[]string](p, `[...document.querySelectorAll("#scenes button")].map((b) => b.dataset.scene)`); strings.Join(tabs, " ") != "scales draw rg scat gen geometry about" {
		t.Errorf("scene tabs %v, want one per scene of the table, About last (made by the scene table)", tabs)
	}
	if b := eval[string](p, `document.getElementById("scene-blurb").textContent`); !strings.Contains(b, "paper") {
		t.Errorf("the line under the tabs in About: %q", b)
	}
	text := eval[string](p, `(e => e && getComputedStyle(e).display !== "none" ? e.innerText : "")(document.getElementById("about"))`)
	if !strings.Contains(text, "Scalewise is a lab") {
		t.Errorf("About text not shown: %q", text)
	}
	// Each scene with the papers it implements, the arXiv ones linked.
	for _, want := range []string{"A Wavelet Tour of Signal Processing", "Kadkhodaie", "geometry-adaptive harmonic representations",
		"Marchand", "Multiscale data-driven energy estimation and generation", "Phys. Rev. X", "Wavelet conditional renormalization group",
		"Morel", "Scale dependencies and self-similar models with wavelet scattering spectra", "Group invariant scattering"} {
		if !strings.Contains(text, want) {
			t.Errorf("About does not mention %q", want)
		}
	}
	for _, sc := range []string{"scales", "draw", "rg", "scat"} {
		if !eval[bool](p, `document.querySelector('#about-scenes h3[data-scene="`+sc+`"]') !== null`) {
			t.Errorf("About has no part for the %s scene", sc)
		}
	}
	links := eval[[]map[string]string](p, `[...document.querySelectorAll("#about a")].map((a) => ({href: a.href, target: a.target, rel: a.rel}))`)
	want := map[string]bool{"https://arxiv.org/abs/2310.02557": false, "https://arxiv.org/abs/2207.04941": false, "https://arxiv.org/abs/2204.10177": false, "https://arxiv.org/abs/1101.2286": false}
	for _, l := range links {
		if !strings.HasPrefix(l["href"], "https://arxiv.org/abs/") {
			t.Errorf("a link to %s: only arXiv pages are linked", l["href"])
		}
		if l["target"] != "_blank" || !strings.Contains(" "+l["rel"]+" ", " noopener ") {
			t.Errorf("the link to %s opens with target %q rel %q, want a new tab with noopener", l["href"], l["target"], l["rel"])
		}
		if _, ok := want[l["href"]]; ok {
			want[l["href"]] = true
		}
	}
	for href, found := range want {
		if !found {
			t.Errorf("About does not link %s", href)
		}
	}
	// The other scenes' controls and explanations are hidden.
	if eval[bool](p, `[...document.querySelectorAll('[data-scene-only]:not([data-scene-only="about"])')].some((e) => getComputedStyle(e).display !== "none")`) {
		t.Error("another scene's elements are shown in About")
	}
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`["ok", "error"].includes(document.getElementById("about-engine").dataset.state)`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the engine's answer is not shown: %v", err)
	}
	shown := eval[string](p, `document.getElementById("about-engine").innerText`)
	t.Logf("About: the engine says: %s", shown)
	if e := eval[string](p, `document.getElementById("error").textContent`); e != "" {
		t.Errorf("page error in About: %q", e)
	}
	st := eval[map[string]any](p, `window.scalewise.aboutStatus()`)
	if st["error"] != nil {
		t.Errorf("the engine does not answer \"about\" (shown gracefully as %q): %v", shown, st["error"])
	} else {
		v := st["values"].(map[string]any)
		ops, _ := v["ops"].([]any)
		var names []string
		for _, o := range ops {
			names = append(names, o.(string))
		}
		for _, op := range []string{"about", "scales", "denoise", "rg_step", "scat_synth_step"} {
			if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+op+" ") {
				t.Errorf("ops %v lack %s", names, op)
			}
		}
		if g, _ := v["go_version"].(string); !strings.HasPrefix(g, "go") {
			t.Errorf("go_version = %v", v["go_version"])
		}
		if n, _ := v["rg_sides"].(float64); n < 1 {
			t.Errorf("rg_sides = %v", v["rg_sides"])
		}
		if n, _ := v["scat_fields"].(float64); n < 1 {
			t.Errorf("scat_fields = %v", v["scat_fields"])
		}
		if v["goos"] != "js" || v["goarch"] != "wasm" {
			t.Errorf("goos/goarch = %v/%v", v["goos"], v["goarch"])
		}
		if !strings.Contains(shown, "rg_step") {
			t.Errorf("the page does not list the ops: %q", shown)
		}
	}
	p.save("about")

	// Back to Scales: the canvas shows and draws again, the About
	// elements hide, and the link follows.
	p.click(`#scenes button[data-scene="scales"]`)
	p.waitReadyAgain()
	if !eval[bool](p, `getComputedStyle(document.getElementById("canvas-frame")).display !== "none"`) {
		t.Fatal("the canvas is hidden in Scales")
	}
	assertNotBlank(t, p.canvas())
	if eval[bool](p, `getComputedStyle(document.getElementById("about")).display !== "none"`) {
		t.Error("the About text is shown in Scales")
	}
	if h := eval[string](p, `location.hash`); !strings.Contains(h, "scene=scales") {
		t.Errorf("hash %q", h)
	}
	if !strings.Contains(eval[string](p, `document.getElementById("numbers").textContent`), "Reconstruction error") {
		t.Error("Scales shows no numbers after About")
	}
	// And the link brings About back.
	eval[any](p, `(location.hash = "#scene=about", null)`)
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`getComputedStyle(document.getElementById("about")).display !== "none" && getComputedStyle(document.getElementById("canvas-frame")).display === "none"`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("#scene=about did not bring About back: %v", err)
	}
	p.noConsoleErrors()
}

// Named engines are separate workers with their own sessions: a second
// engine answers while the main one holds a finished RG generation, and
// has no generation of its own.
func TestEnginePool(t *testing.T) {
	p := open(t, siteURL+"#scene=rg&L=32&seed=1")
	p.waitRGDone()
	main := eval[string](p, `window.scalewise.compute("rg_step", {k: 1}).then((f) => "ok " + f.values.kind, (e) => e.message)`)
	if main != "ok done" {
		t.Errorf("the main engine's session: %q", main)
	}
	aux := eval[string](p, `window.scalewise.compute("rg_step", {k: 1}, "aux").then((f) => "ok " + f.values.kind, (e) => e.message)`)
	if !strings.Contains(aux, "no generation in progress") {
		t.Errorf("the aux engine shares the main one's session: %q", aux)
	}
	sides := eval[[]any](p, `window.scalewise.compute("rg_info", {}, "aux").then((f) => f.values.sides)`)
	if len(sides) == 0 {
		t.Error("the aux engine lists no RG sides")
	}
	p.noConsoleErrors()
}

// openWithoutCanvas opens url in a new tab and waits until the page is
// ready, like open, but not for the canvas to draw: a scene without a
// canvas scene hides the frame, whose animation frames then stop.
func openWithoutCanvas(t *testing.T, url string) *page {
	t.Helper()
	p := navigate(t, url)
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise && window.scalewise.ready === true`,
		chromedp.WithPollingTimeout(90*time.Second))); err != nil {
		t.Fatalf("page did not become ready: %v; console: %v", err, p.messages())
	}
	return p
}
