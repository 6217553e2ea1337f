package webtest

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"scalewise/engine/field"
)

// setRGSPF sets the Renormalise scene's steps per frame to the k-th
// setting (0: 1 step … 5: 50 … 9: 1000).
func (p *page) setRGSPF(k int) {
	p.t.Helper()
	eval[any](p, `(e => { e.value = "`+itoa(k)+`"; e.dispatchEvent(new Event("input")); })(document.getElementById("rg-spf")), null`)
}

// recordRGSizes starts recording, on every animation frame and every few
// milliseconds, the side of the field the generation is forming (the
// stage's side in the latest start or step values from the worker);
// rgSizes returns the sides seen, in order, without repeats.
func (p *page) recordRGSizes() {
	p.t.Helper()
	eval[any](p, `(() => {
		window.__rgSizes = [];
		const note = () => {
			const v = window.scalewise.rgStatus().values;
			// The finished values of the last generation are not a stage.
			const n = v && v.phase && v.kind !== "done" ? v.phase.size : 0;
			const s = window.__rgSizes;
			if (n > 0 && s[s.length - 1] !== n) s.push(n);
		};
		clearInterval(window.__rgTimer);
		window.__rgTimer = setInterval(note, 4);
		const frame = () => { note(); if (window.__rgTimer) requestAnimationFrame(frame); };
		requestAnimationFrame(frame);
		return null;
	})()`)
}

func (p *page) rgSizes() []int {
	p.t.Helper()
	return eval[[]int](p, `(clearInterval(window.__rgTimer), window.__rgTimer = 0, window.__rgSizes)`)
}

// The turbulence hierarchy fills scale by scale: the field the generation
// forms grows 1 → 2 → 4 → … → 64 as its stages pass (x_J first, then each
// finer scale under its Langevin steps), and the finished hierarchy has
// J+1 = 7 levels. Also logs the time of one 64×64 turbulence sample in
// the page at the fastest setting (the budget is 10 s), checks
// that Fit from data and Race say why they are not offered, that the link
// holds the field and not β, and the exports' names.
func TestRGTurbulenceFills(t *testing.T) {
	p := open(t, siteURL+"#scene=rg&field=turbulence&seed=3")
	first := p.waitRGDone()
	if first.L != 64 || first.J != 6 {
		t.Fatalf("turbulence: L=%d J=%d, want 64 and 6 (status %+v)", first.L, first.J, first)
	}
	st := p.generateCoarseToFine(64)
	assertNotBlank(t, p.canvas())
	status := eval[string](p, `document.getElementById("status-text").textContent`)
	if !strings.Contains(status, "Generated a 64×64 turbulence") {
		t.Errorf("status %q", status)
	}
	p.save("rg-turbulence")

	// One sample at the fastest setting, from Generate to the finished
	// frames: the page's time, and the engine's.
	p.setRGSPF(9)
	p.click("#rg-generate")
	t0 := time.Now()
	time.Sleep(100 * time.Millisecond)
	st = p.waitRGDone()
	cost := eval[map[string]any](p, `window.scalewise.rgStatus().values.cost`)
	t.Logf("turbulence 64×64: generated in %.0f ms in the page (%.1f s to the finished canvas); engine %.0f ms, %.0f whole-lattice gradients, %d steps",
		st.Ms, time.Since(t0).Seconds(), 1000*cost["seconds"].(float64), cost["grad_evals"].(float64), st.Steps)

	// Fit and Race are φ⁴'s: disabled, saying why.
	for _, id := range []string{"rg-fit", "rg-race"} {
		if !eval[bool](p, `document.getElementById("`+id+`").disabled`) {
			t.Errorf("#%s is enabled for turbulence", id)
		}
		if title := eval[string](p, `document.getElementById("`+id+`").title`); !strings.Contains(title, "Not offered") {
			t.Errorf("#%s says %q", id, title)
		}
	}
	if why := eval[string](p, `document.getElementById("rg-fit-out").textContent`); !strings.Contains(why, "one-minute") {
		t.Errorf("the reason shown is %q", why)
	}
	hash := eval[string](p, `location.hash`)
	if !strings.Contains(hash, "field=turbulence") || strings.Contains(hash, "beta=") {
		t.Errorf("link %s", hash)
	}
	get := func(format string) ([]byte, string) {
		v := eval[map[string]string](p, `window.scalewise.rgExport("`+format+`")`)
		b, err := base64.StdEncoding.DecodeString(v["base64"])
		if err != nil {
			t.Fatal(err)
		}
		return b, v["filename"]
	}
	b, name := get("npy")
	if name != "scalewise-rg-turbulence-L64-seed3.npy" {
		t.Errorf("npy name %q", name)
	}
	if arr, err := field.ReadArray(bytes.NewReader(b)); err != nil || !slices.Equal(arr.Shape, []int{64, 64}) {
		t.Errorf("npy: %v %v", err, arr)
	}
	b, name = get("png")
	if img, err := png.Decode(bytes.NewReader(b)); err != nil || img.Bounds().Dx() != 64 || name != "scalewise-rg-turbulence-L64-seed3.png" {
		t.Errorf("png %q: %v", name, err)
	}
	p.noConsoleErrors()
}

// The field choice: the select switches to C^α at its one side (32) and
// back to φ⁴; a link's field is parsed strictly (a bad value is noted and
// φ⁴ used), and a side the field has no model for is corrected with a
// notice (a link without L, whose L is the default 64, silently).
func TestRGFieldChoice(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL+"#scene=rg&L=32&seed=2")
	p.waitRGDone()
	eval[any](p, `(e => { e.value = "calpha"; e.dispatchEvent(new Event("change")); })(document.getElementById("rg-field")), null`)
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`(s => s.field === "calpha" && s.done && !s.running && s.key.includes("calpha"))(window.scalewise.rgStatus())`,
		chromedp.WithPollingTimeout(120*time.Second))); err != nil {
		t.Fatalf("no C^α image: %v; status %+v; console %v", err, p.rgStatus(), p.messages())
	}
	p.waitDrawn()
	st := p.rgStatus()
	if st.L != 32 || st.J != 5 {
		t.Errorf("C^α: L=%d J=%d, want 32 and 5", st.L, st.J)
	}
	if hash := eval[string](p, `location.hash`); !strings.Contains(hash, "field=calpha") || !strings.Contains(hash, "L=32") {
		t.Errorf("link %s", hash)
	}
	assertNotBlank(t, p.canvas())
	p.save("rg-calpha")
	eval[any](p, `(e => { e.value = "phi4"; e.dispatchEvent(new Event("change")); })(document.getElementById("rg-field")), null`)
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`(s => s.field === "phi4" && s.done && !s.running)(window.scalewise.rgStatus())`,
		chromedp.WithPollingTimeout(120*time.Second))); err != nil {
		t.Fatalf("back to φ⁴: %v", err)
	}
	if hash := eval[string](p, `location.hash`); strings.Contains(hash, "field=") || !strings.Contains(hash, "beta=0.68") {
		t.Errorf("φ⁴ link %s", hash)
	}
	if eval[bool](p, `document.getElementById("rg-fit").disabled`) {
		t.Error("Fit from data is disabled for φ⁴")
	}
	p.noConsoleErrors()

	shared := linkPage(t)
	for _, c := range []struct {
		frag  string
		want  []string
		field string
		L     int
	}{
		{"#scene=rg&field=cosmic&L=32", []string{"field=“cosmic”", "phi4, turbulence, calpha or drawings"}, "phi4", 32},
		{"#scene=rg&field=drawing&L=32", []string{"field=“drawing”", "phi4, turbulence, calpha or drawings"}, "phi4", 32},
		{"#scene=rg&field=drawings&L=128", []string{"L=128 is not offered for drawings"}, "drawings", 32},
		{"#scene=rg&field=calpha&L=128", []string{"L=128 is not offered for calpha"}, "calpha", 32},
		{"#scene=rg&field=turbulence&L=128", []string{"L=128 is not offered for turbulence"}, "turbulence", 64},
	} {
		t.Run(c.frag, func(t *testing.T) {
			q := shared(t, c.frag)
			notice := q.noticeWith(c.want...)
			t.Logf("notice: %s", notice)
			for _, w := range c.want {
				if !strings.Contains(notice, w) {
					t.Errorf("the notice %q does not say %q", notice, w)
				}
			}
			if f := eval[string](q, `window.scalewise.rgStatus().field`); f != c.field {
				t.Errorf("field %q, want %q", f, c.field)
			}
			if L := eval[int](q, `window.scalewise.state.L`); L != c.L {
				t.Errorf("L=%d, want %d", L, c.L)
			}
			q.noConsoleErrors()
		})
	}
}

// generateCoarseToFine generates one field of side L at 50 steps per
// request, fewer than any stage has, so that every stage shows: the
// forming field's side runs 1, 2, …, L, the finished hierarchy holds the
// J+1 levels L, L/2, …, 1, and every step was taken. It returns the
// finished status.
func (p *page) generateCoarseToFine(L int) rgStatus {
	t := p.t
	t.Helper()
	p.setRGSPF(5)
	p.recordRGSizes()
	p.click("#rg-generate")
	time.Sleep(100 * time.Millisecond)
	st := p.waitRGDone()
	sizes := p.rgSizes()
	t.Logf("the forming field's side ran %v", sizes)
	var up, down []int
	for n := 1; n <= L; n *= 2 {
		up = append(up, n)
		down = append([]int{n}, down...)
	}
	if !slices.Equal(sizes, up) {
		t.Errorf("the forming field's side ran %v, want %v", sizes, up)
	}
	levels := eval[[]int](p, `window.scalewise.rgStatus().values.sizes`)
	if !slices.Equal(levels, down) || len(levels) != st.J+1 {
		t.Errorf("the finished hierarchy's sides are %v, want %v (J+1 = %d levels)", levels, down, st.J+1)
	}
	if st.Steps != st.Total || st.Total == 0 {
		t.Errorf("finished with %d of %d steps", st.Steps, st.Total)
	}
	return st
}

// A link to the drawings of smooth curves generates a 32×32 hierarchy
// coarse to fine with the shipped model (x_J first, then each finer
// scale: J+1 = 6 levels), shows a gray image beside a held-out drawing,
// keeps field=drawings in the link without β, says why Fit and Race are
// not offered, and names the exports after the field.
func TestRGDrawings(t *testing.T) {
	t.Parallel()
	p := open(t, siteURL+"#scene=rg&field=drawings&seed=4")
	if first := p.waitRGDone(); first.L != 32 || first.J != 5 {
		t.Fatalf("drawings: L=%d J=%d, want 32 and 5 (status %+v)", first.L, first.J, first)
	}
	st := p.generateCoarseToFine(32)
	if st.L != 32 || st.J != 5 {
		t.Fatalf("drawings: L=%d J=%d (status %+v)", st.L, st.J, st)
	}
	t.Logf("generated in %.0f ms in the page", st.Ms)
	if f := eval[string](p, `window.scalewise.rgStatus().field`); f != "drawings" {
		t.Errorf("field %q", f)
	}
	if truth := eval[string](p, `window.scalewise.rgStatus().values.truth.source || ""`); !strings.Contains(truth, "held-out drawings") {
		t.Errorf("truth %q", truth)
	}
	assertNotBlank(t, p.canvas())
	status := eval[string](p, `document.getElementById("status-text").textContent`)
	if !strings.Contains(status, "Generated a 32×32 drawing of a smooth curve") {
		t.Errorf("status %q", status)
	}
	p.save("rg-drawings")
	for _, id := range []string{"rg-fit", "rg-race"} {
		if !eval[bool](p, `document.getElementById("`+id+`").disabled`) {
			t.Errorf("#%s is enabled for the drawings", id)
		}
	}
	if why := eval[string](p, `document.getElementById("rg-fit-out").textContent`); !strings.Contains(why, "one-minute") {
		t.Errorf("the reason shown is %q", why)
	}
	if hash := eval[string](p, `location.hash`); !strings.Contains(hash, "field=drawings") || strings.Contains(hash, "beta=") {
		t.Errorf("link %s", hash)
	}
	v := eval[map[string]string](p, `window.scalewise.rgExport("npy")`)
	b, err := base64.StdEncoding.DecodeString(v["base64"])
	if err != nil {
		t.Fatal(err)
	}
	if arr, err := field.ReadArray(bytes.NewReader(b)); err != nil || !slices.Equal(arr.Shape, []int{32, 32}) || v["filename"] != "scalewise-rg-drawings-L32-seed4.npy" {
		t.Errorf("npy %q: %v %v", v["filename"], err, arr)
	}
	p.noConsoleErrors()
}
