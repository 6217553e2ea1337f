package webtest

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/gif"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"scalewise/engine/field"
)

// scatStatus is window.scalewise.scatStatus().
type scatStatus struct {
	Fields     []string       `json:"fields"`
	Analysed   bool           `json:"analysed"`
	Busy       bool           `json:"busy"`
	AnaMs      float64        `json:"anaMs"`
	AnaRoundMs float64        `json:"anaRoundMs"`
	Analyses   int            `json:"analyses"`
	Values     map[string]any `json:"values"`
	Synth      map[string]any `json:"synth"`
	Running    bool           `json:"running"`
	Paused     bool           `json:"paused"`
	Done       bool           `json:"done"`
	Ms         float64        `json:"ms"`
	WallMs     float64        `json:"wallMs"`
	ShowSynth  bool           `json:"showSynth"`
	Error      string         `json:"error"`
}

func (p *page) scatStatus() scatStatus {
	p.t.Helper()
	return eval[scatStatus](p, `window.scalewise.scatStatus()`)
}

// waitScatAnalysed waits until the panels of the current settings are
// computed and drawn.
func (p *page) waitScatAnalysed() scatStatus {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`(s => s.analysed && !s.busy || (s.error !== "" && (() => { throw new Error(s.error) })()))(window.scalewise.scatStatus())`,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		p.t.Fatalf("the panels were not computed: %v; status %+v; console %v", err, p.scatStatus(), p.messages())
	}
	p.waitDrawn()
	return p.scatStatus()
}

// waitScatSynth waits until the synthesis satisfies cond (a JS expression
// of s, the status), failing on an error.
func (p *page) waitScatSynth(cond string, timeout time.Duration) scatStatus {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`(s => (`+cond+`) || (s.error !== "" && (() => { throw new Error(s.error) })()))(window.scalewise.scatStatus())`,
		chromedp.WithPollingTimeout(timeout))); err != nil {
		p.t.Fatalf("synthesis: waiting for %s: %v; status %+v", cond, err, p.scatStatus())
	}
	return p.scatStatus()
}

// scatPanel returns the part of a canvas screenshot inside the logical
// rectangle (x, y, w, h) of the 960×540 canvas.
func scatPanel(img image.Image, x, y, w, h float64) image.Image {
	b := img.Bounds()
	s := float64(b.Dx()) / 960
	r := image.Rect(b.Min.X+int(x*s), b.Min.Y+int(y*s), b.Min.X+int((x+w)*s), b.Min.Y+int((y+h)*s))
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)
}

// Logical rectangles of the analysis panels (ui/scattering.go).
var (
	scatFieldRect   = [4]float64{12, 20, 256, 256}
	scatModulusRect = [4]float64{280, 20, 256, 256}
	scatSecondRect  = [4]float64{12, 300, 128, 128}
	scatBankRect    = [4]float64{420, 300, 128, 128}
	scatPlotsRect   = [4]float64{604, 22, 340, 490}
)

func panelOf(img image.Image, r [4]float64) image.Image {
	return scatPanel(img, r[0], r[1], r[2], r[3])
}

// The scene renders non-blank panels; j and k change the modulus panel
// and the link; the first panels' time is logged.
func TestScatPanels(t *testing.T) {
	p := open(t, siteURL+"#scene=scat&field=phi4&size=64&seed=1&J=5&L=4&j=1&k=0")
	st := p.waitScatAnalysed()
	first := eval[float64](p, `window.scalewise.firstFrameMs`)
	t.Logf("first panels: %.0f ms from navigation to the drawn canvas; analysis %.0f ms in the engine, %.0f ms round trip; fields offered %v",
		first, st.AnaMs, st.AnaRoundMs, st.Fields)
	shot := p.canvas()
	assertNotBlank(t, shot)
	for name, r := range map[string][4]float64{"field": scatFieldRect, "modulus": scatModulusRect, "second": scatSecondRect, "bank": scatBankRect, "plots": scatPlotsRect} {
		c, std := busy(panelOf(shot, r))
		if c < 24 || std < 8 {
			t.Errorf("the %s panel looks blank: %d colours, luminance std %.1f", name, c, std)
		}
	}
	p.save("scat-analysis")
	reg := st.Values["regularity"].(map[string]any)
	t.Logf("directional regularity of psi_1,0: slope %.2f over j' = %v (bound %v)", reg["slope"], reg["jprimes"], reg["bound"])

	// j changes the modulus panel.
	p.click("#scat-j-up")
	p.waitScatAnalysed()
	shotJ := p.canvas()
	if d := differing(panelOf(shot, scatModulusRect), panelOf(shotJ, scatModulusRect), 8); d < 0.2 {
		t.Errorf("j 1 → 2 changed only %.1f%% of the modulus panel", 100*d)
	}
	if d := differing(panelOf(shot, scatFieldRect), panelOf(shotJ, scatFieldRect), 0); d != 0 {
		t.Errorf("j changed the field panel (%.2f%%)", 100*d)
	}
	if h := eval[string](p, `location.hash`); !strings.Contains(h, "j=2") || !strings.Contains(h, "scene=scat") {
		t.Errorf("the link does not follow j: %s", h)
	}
	// k changes it too.
	p.click("#scat-k-up")
	p.waitScatAnalysed()
	shotK := p.canvas()
	if d := differing(panelOf(shotJ, scatModulusRect), panelOf(shotK, scatModulusRect), 8); d < 0.2 {
		t.Errorf("k 0 → 1 changed only %.1f%% of the modulus panel", 100*d)
	}
	if d := differing(panelOf(shotJ, scatBankRect), panelOf(shotK, scatBankRect), 8); d < 0.005 {
		t.Errorf("k 0 → 1 did not move the outline in the bank panel (%.2f%%)", 100*d)
	}
	if v := p.scatStatus().Values; v["j"].(float64) != 2 || v["k"].(float64) != 1 {
		t.Errorf("analysed j=%v k=%v", v["j"], v["k"])
	}
	p.save("scat-analysis-j2-k1")
	// The bank colours by scale.
	eval[any](p, `(e => { e.value = "scale"; e.dispatchEvent(new Event("change")); })(document.getElementById("scat-by")), null`)
	p.waitScatAnalysed()
	if d := differing(panelOf(shotK, scatBankRect), panelOf(p.canvas(), scatBankRect), 8); d < 0.2 {
		t.Errorf("colouring by scale changed only %.1f%% of the bank panel", 100*d)
	}
	if h := eval[string](p, `location.hash`); !strings.Contains(h, "by=scale") {
		t.Errorf("the link does not hold the bank colouring: %s", h)
	}
	// Every other field renders.
	for _, f := range p.scatStatus().Fields {
		eval[any](p, `(e => { e.value = "`+f+`"; e.dispatchEvent(new Event("change")); })(document.getElementById("scat-field")), null`)
		st := p.waitScatAnalysed()
		sh := p.canvas()
		if c, std := busy(panelOf(sh, scatFieldRect)); c < 16 || std < 8 {
			t.Errorf("field %s looks blank: %d colours, std %.1f", f, c, std)
		}
		t.Logf("%s: %s; analysis %.0f ms", f, st.Values["desc"], st.AnaMs)
		p.save("scat-field-" + f)
	}
	p.noConsoleErrors()
}

// Synthesise turns white noise into the field: the canvas changes, the
// loss falls, Pause stops it, Resume finishes it, and no main-thread task
// takes over 50 ms from Resume to the end. The 64² time is logged (from
// the start, pause included).
func TestScatSynthesise(t *testing.T) {
	p := open(t, siteURL+"#scene=scat&field=phi4&size=64&seed=2&J=5&L=4&j=1&k=0")
	p.waitScatAnalysed()
	before := p.canvas()
	p.click("#scat-synth")
	p.waitScatSynth(`s.synth && s.synth.iter >= 3`, 60*time.Second)
	// Pause (screenshots are slow: the synthesis would finish meanwhile).
	p.click("#scat-pause")
	st := p.waitScatSynth(`!s.running`, 10*time.Second)
	if !st.ShowSynth || !st.Paused || st.Done {
		t.Fatalf("not paused in the synthesis view: %+v", st)
	}
	p.waitDrawn()
	if d := differing(before, p.canvas(), 8); d < 0.05 {
		t.Errorf("Synthesise changed only %.2f%% of the canvas", 100*d)
	}
	time.Sleep(400 * time.Millisecond)
	if b := p.scatStatus(); b.Synth["iter"] != st.Synth["iter"] || !b.Paused {
		t.Errorf("paused at iteration %v, then %v", st.Synth["iter"], b.Synth["iter"])
	}
	// Resume, with the long-task observers on, to the end (on a second
	// try, a whole synthesis from the start).
	tries := 0
	p.withoutLongTasks("synthesising 64²", func() {
		if tries++; tries == 1 {
			p.click("#scat-pause")
		} else {
			p.click("#scat-synth")
			time.Sleep(300 * time.Millisecond)
		}
		st = p.waitScatSynth(`s.done && !s.running && s.synth && s.synth.iter > 0`, 150*time.Second)
	})
	p.waitDrawn()
	p.save("scat-synth-64")
	v := st.Synth
	loss := eval[[]float64](p, `window.scalewise.scatSeries("s/loss")`)
	if len(loss) < 2 || !(loss[len(loss)-1] < loss[0]/100) {
		t.Errorf("the loss did not fall a hundredfold: %v … %v", first(loss), last(loss))
	}
	t.Logf("64² φ⁴ synthesis in the page: %.1f s (round trips; %.1f s wall), engine %.1f s, %v iterations, %v evaluations, loss %.3g → %.3g, relerr %v (%v), marginal TV %.3f, spectrum |log ratio| %.3f",
		st.Ms/1000, st.WallMs/1000, v["seconds"], v["iter"], v["evals"], first(loss), last(loss), v["relerr"], v["status"], v["hist_tv"], v["spectrum_log_ratio"])
	status := eval[string](p, `document.getElementById("status-text").textContent`)
	if !strings.Contains(status, "Synthesised a 64×64") {
		t.Errorf("status %q", status)
	}
	// Show analysis / synthesis toggles the view.
	p.click("#scat-show")
	p.waitDrawn()
	if d := differing(before, p.canvas(), 8); d > 0.01 {
		t.Errorf("Show analysis does not bring the analysis back (%.2f%% differ)", 100*d)
	}
	p.noConsoleErrors()
}

func first(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return xs[0]
}

func last(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return xs[len(xs)-1]
}

// 128² synthesis time in the page (logged; the issue asks for under a
// minute).
func TestScatSynthesisTiming128(t *testing.T) {
	// A measurement (the README's page timing, ~45 s sequential): the
	// 64² synthesis of TestScatSynthesise covers the same code in the
	// suite.
	if os.Getenv("SCALEWISE_MEASURE") == "" {
		t.Skip("the 128² synthesis is timed with SCALEWISE_MEASURE=1")
	}
	for _, c := range []struct{ field, J string }{{"phi4", "6"}} {
		t.Run(c.field+"-J"+c.J, func(t *testing.T) {
			p := open(t, siteURL+"#scene=scat&field="+c.field+"&size=128&seed=1&J="+c.J+"&L=4&j=1&k=0")
			st := p.waitScatAnalysed()
			t.Logf("128² panels: analysis %.0f ms in the engine, %.0f ms round trip", st.AnaMs, st.AnaRoundMs)
			t0 := time.Now()
			p.click("#scat-synth")
			st = p.waitScatSynth(`s.done && !s.running && s.synth && s.synth.iter > 0`, 300*time.Second)
			v := st.Synth
			t.Logf("128² %s synthesis (J=%s, L=4, %v form, %v coefficients) in the page: %.1f s (round trips; %.1f s to the finished status here), engine %.1f s, %v iterations, %v evaluations, relerr %v (%v), marginal TV %.3f, spectrum |log ratio| %.3f",
				c.field, c.J, v["form"], v["count"], st.Ms/1000, time.Since(t0).Seconds(), v["seconds"], v["iter"], v["evals"], v["relerr"], v["status"], v["hist_tv"], v["spectrum_log_ratio"])
			p.waitDrawn()
			p.save("scat-synth-128-" + c.field)
			p.noConsoleErrors()
		})
	}
}

func TestScatMalformedFragment(t *testing.T) {
	t.Parallel()
	shared := linkPage(t)
	for _, c := range []struct {
		frag  string
		want  []string
		state map[string]float64
	}{
		{"#scene=scat&field=sky&size=100&J=9&L=3&j=x&k=-1", []string{"field=", "size=", "J=", "L=", "j=", "k="}, map[string]float64{"ssize": 64, "sL": 4}},
		{"#scene=scat&size=64&J=6", []string{"J=6 is too large"}, map[string]float64{"sJ": 5}},
		{"#scene=scat&size=128&J=4&j=5&L=4&k=6", []string{"j=5 is beyond", "k=6 is beyond"}, map[string]float64{"sj": 3, "k": 3, "sJ": 4}},
		{"#scene=scat&field=turbulence&size=128", nil, map[string]float64{"ssize": 128}},
		{"#scene=scat&sJ=3&form=half&marginal=0", []string{"unknown setting “sJ”", "form=", "marginal=“0” is not valid (marginal is on"}, nil},
	} {
		t.Run(c.frag, func(t *testing.T) {
			p := shared(t, c.frag)
			p.waitScatAnalysed()
			notice := p.noticeWith(c.want...)
			for _, w := range c.want {
				if !strings.Contains(notice, w) {
					t.Errorf("notice %q lacks %q", notice, w)
				}
			}
			t.Logf("notice: %s", notice)
			for k, want := range c.state {
				if got := eval[float64](p, `window.scalewise.state.`+k); got != want {
					t.Errorf("state.%s = %v, want %v", k, got, want)
				}
			}
			if s := eval[string](p, `window.scalewise.state.scene`); s != "scat" {
				t.Errorf("scene %s", s)
			}
			if strings.Contains(c.frag, "turbulence") {
				// A valid link since turbulence snapshots ship: no correction.
				if f := eval[string](p, `window.scalewise.state.field`); f != "turbulence" || notice != "" {
					t.Errorf("field %s, notice %q for a turbulence link", f, notice)
				}
			}
			// The corrected link is what the address bar holds.
			h := eval[string](p, `location.hash`)
			if strings.Contains(h, "sky") || strings.Contains(h, "sJ=") || strings.Contains(h, "J=9") || strings.Contains(h, "marginal") {
				t.Errorf("the link was not corrected: %s", h)
			}
			assertNotBlank(t, p.canvas())
			p.noConsoleErrors()
		})
	}
	// A request the engine refuses is an error, not a crash: the page
	// keeps working.
	p := open(t, siteURL+"#scene=scat&size=64")
	p.waitScatAnalysed()
	msg := eval[string](p, `window.scalewise.compute("scat_analyse", {field: "phi4", size: 64, J: 9, L: 4}).then(() => "", (e) => e.message)`)
	if !strings.Contains(msg, "J=9") {
		t.Errorf("bad request answered %q", msg)
	}
	msg = eval[string](p, `window.scalewise.compute("panic", {}).then(() => "", (e) => e.message)`)
	if !strings.Contains(msg, "panic") {
		t.Errorf("the panic self-test answered %q", msg)
	}
	p.click("#scat-k-up")
	p.waitScatAnalysed()
	p.noConsoleErrors()
}

// Exports: the panels PNG, the animated GIF of the synthesis and the .npy
// of the synthesised field.
func TestScatExports(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL+"#scene=scat&field=calpha&size=64&seed=4&J=4&L=4&j=1&k=1")
	p.waitScatAnalysed()
	png := decodeDataURL(t, eval[string](p, `window.scalewise.scatPanelsPNG()`))
	if b := png.Bounds(); b.Dx() < 4*256 || b.Dy() < 256 {
		t.Errorf("panels PNG %v", b)
	}
	p.click("#scat-synth")
	p.waitScatSynth(`s.synth && s.synth.iter >= 12`, 60*time.Second)
	p.click("#scat-pause")
	p.waitScatSynth(`!s.running`, 10*time.Second)
	get := func(format string) []byte {
		v := eval[map[string]string](p, `window.scalewise.scatExport("`+format+`")`)
		b, err := base64.StdEncoding.DecodeString(v["base64"])
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s, %d bytes, %s", format, v["filename"], len(b), v["mime"])
		if !strings.HasSuffix(v["filename"], "."+format) {
			t.Errorf("file name %s", v["filename"])
		}
		return b
	}
	anim, err := gif.DecodeAll(bytes.NewReader(get("gif")))
	if err != nil {
		t.Fatalf("GIF: %v", err)
	}
	if len(anim.Image) < 5 {
		t.Errorf("the GIF has %d frames", len(anim.Image))
	}
	f, err := field.ReadNPY(bytes.NewReader(get("npy")))
	if err != nil {
		t.Fatalf(".npy: %v", err)
	}
	if f.W != 64 || f.H != 64 {
		t.Errorf(".npy %d×%d", f.W, f.H)
	}
	png = decodeDataURL(t, eval[string](p, `window.scalewise.scatPanelsPNG()`))
	if b := png.Bounds(); b.Dy() < 2*256 {
		t.Errorf("the panels PNG with the synthesis is %v", b)
	}
	// The buttons download without errors.
	for _, id := range []string{"#scat-png", "#scat-gif", "#scat-npy"} {
		p.click(id)
	}
	time.Sleep(800 * time.Millisecond)
	if e := eval[string](p, `document.getElementById("error").textContent`); e != "" {
		t.Errorf("error after the export buttons: %s", e)
	}
	p.noConsoleErrors()
}

// Leaving the scene pauses the synthesis; the other scenes work; coming
// back resumes it from where it stopped.
func TestScatSceneSwitch(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL+"#scene=scat&field=phi4&size=64&seed=5&J=5&L=4")
	p.waitScatAnalysed()
	p.click("#scat-synth")
	p.waitScatSynth(`s.synth && s.synth.iter >= 2`, 60*time.Second)
	p.click(`#scenes button[data-scene="scales"]`)
	p.waitReadyAgain()
	p.waitScatSynth(`!s.running`, 10*time.Second)
	a := p.scatStatus()
	time.Sleep(500 * time.Millisecond)
	if b := p.scatStatus(); b.Synth["iter"] != a.Synth["iter"] {
		t.Errorf("the synthesis went on in the Scales scene: %v → %v", a.Synth["iter"], b.Synth["iter"])
	}
	assertNotBlank(t, p.canvas())
	if h := eval[string](p, `location.hash`); !strings.Contains(h, "scene=scales") {
		t.Errorf("hash %s", h)
	}
	p.click(`#scenes button[data-scene="rg"]`)
	p.waitRGDone()
	assertNotBlank(t, p.canvas())
	p.click(`#scenes button[data-scene="scat"]`)
	// It resumes where it stopped (it need not run to its end here: the
	// other tests finish syntheses).
	p.waitScatSynth(`s.running && s.synth && s.synth.iter > `+strconv.Itoa(int(a.Synth["iter"].(float64))), 60*time.Second)
	p.click("#scat-pause")
	p.waitScatSynth(`!s.running`, 10*time.Second)
	if h := eval[string](p, `location.hash`); !strings.Contains(h, "scene=scat") || !strings.Contains(h, "J=5") || !strings.Contains(h, "seed=5") {
		t.Errorf("hash after the round trip: %s", h)
	}
	p.waitDrawn()
	p.save("scat-after-switch")
	p.noConsoleErrors()
}

// The drawing of the Draw & denoise scene is a field of the Scattering
// scene, and travels in its link.
func TestScatUsesDrawing(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL+"#scene=draw")
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise.state.d !== ""`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("the Draw scene has no drawing: %v", err)
	}
	d := eval[string](p, `window.scalewise.state.d`)
	p.click(`#scenes button[data-scene="scat"]`)
	p.waitScatAnalysed()
	eval[any](p, `(e => { e.value = "drawing"; e.dispatchEvent(new Event("change")); })(document.getElementById("scat-field")), null`)
	st := p.waitScatAnalysed()
	if desc := st.Values["desc"].(string); !strings.HasPrefix(desc, "the drawing") || st.Values["note"].(string) != "" {
		t.Errorf("the drawing was not used: %q, note %q", desc, st.Values["note"])
	}
	if h := eval[string](p, `location.hash`); !strings.Contains(h, "field=drawing") || !strings.Contains(h, "d="+d) {
		t.Errorf("the link does not carry the drawing: %s", h)
	}
	// The link reproduces the field in a fresh page.
	q := open(t, eval[string](p, `location.href`))
	q.waitScatAnalysed()
	if dd := differing(panelOf(p.canvas(), scatFieldRect), panelOf(q.canvas(), scatFieldRect), 0); dd != 0 {
		t.Errorf("the link reproduces the drawing field only partly: %.2f%% differ", 100*dd)
	}
	p.save("scat-drawing")
	p.noConsoleErrors()
	q.noConsoleErrors()
}

// The other fields synthesise too, in either form (times logged), with
// the marginal term on (the default: not in the link) or off (a link
// with marginal=off, which the checkbox and the synthesis follow, and
// which the checkbox writes back).
func TestScatSynthesiseFields(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		field, form, J string
		marginal       bool
	}{{"cosmic", "iso", "5", true}, {"calpha", "full", "4", false}} {
		t.Run(c.field+"-"+c.form, func(t *testing.T) {
			link := siteURL + "#scene=scat&field=" + c.field + "&size=64&seed=1&J=" + c.J + "&L=4&j=1&k=0&form=" + c.form
			if !c.marginal {
				link += "&marginal=off"
			}
			p := open(t, link)
			p.waitScatAnalysed()
			checkbox := func() bool { return eval[bool](p, `document.getElementById("scat-marginal").checked`) }
			if got := checkbox(); got != c.marginal {
				t.Errorf("the marginal checkbox is %v, want %v", got, c.marginal)
			}
			if h := eval[string](p, `location.hash`); strings.Contains(h, "marginal=off") == c.marginal || strings.Contains(h, "marginal=on") {
				t.Errorf("the link after loading: %s", h)
			}
			counts := eval[string](p, `document.getElementById("numbers").textContent`)
			if strings.Contains(counts, "also matches 64 marginal quantiles") != c.marginal {
				t.Errorf("the statistics count with the marginal term %v: %q", c.marginal, counts)
			}
			p.click("#scat-synth")
			st := p.waitScatSynth(`s.done && !s.running && s.synth && s.synth.iter > 0`, 180*time.Second)
			v := st.Synth
			loss := eval[[]float64](p, `window.scalewise.scatSeries("s/loss")`)
			if len(loss) < 2 || !(last(loss) < first(loss)/20) {
				t.Errorf("the loss fell only from %v to %v", first(loss), last(loss))
			}
			if v["form"] != c.form {
				t.Errorf("form %v", v["form"])
			}
			wantQ := 0.0
			if c.marginal {
				wantQ = 64
			}
			if v["marginal"] != c.marginal || v["marginal_quantiles"] != wantQ {
				t.Errorf("synthesised with marginal %v, %v quantiles; want %v, %v", v["marginal"], v["marginal_quantiles"], c.marginal, wantQ)
			}
			status := eval[string](p, `document.getElementById("status-text").textContent`)
			if strings.Contains(status, "and 64 marginal quantiles") != c.marginal {
				t.Errorf("status with the marginal term %v: %q", c.marginal, status)
			}
			t.Logf("64² %s, %s form (%v coefficients, J=%s, marginal term %v): %.1f s in the page, engine %.1f s, %v iterations, relerr %v (%v), marginal TV %.3f (W₂/σ %.3g), spectrum |log ratio| %.3f",
				c.field, c.form, v["count"], c.J, c.marginal, st.Ms/1000, v["seconds"], v["iter"], v["relerr"], v["status"], v["hist_tv"], v["marginal_err"], v["spectrum_log_ratio"])
			p.waitDrawn()
			p.save("scat-synth-64-" + c.field + "-" + c.form)
			// The checkbox writes the link: toggled, it drops the synthesis
			// (another target) and flips marginal=off in the fragment.
			p.click("#scat-marginal")
			if h := eval[string](p, `location.hash`); strings.Contains(h, "marginal=off") != c.marginal {
				t.Errorf("after toggling the marginal term from %v: %s", c.marginal, h)
			}
			if got := checkbox(); got == c.marginal {
				t.Errorf("the checkbox did not toggle")
			}
			if st := p.scatStatus(); st.Synth != nil {
				t.Errorf("the synthesis of the other setting was kept: %v", st.Synth["marginal"])
			}
			p.noConsoleErrors()
		})
	}
}

// The scene works from the single offline file too.
func TestScatSingleFile(t *testing.T) {
	t.Parallel()
	p := open(t, fileURL(filepath.Join(distDir, "scalewise.html"))+"#scene=scat&field=cosmic&size=64&J=4&j=0&k=1")
	st := p.waitScatAnalysed()
	if st.Values["field"] != "cosmic" {
		t.Errorf("analysed %v", st.Values["field"])
	}
	assertNotBlank(t, p.canvas())
	p.noConsoleErrors()
}
