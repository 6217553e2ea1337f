package webtest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// geometryStatus is window.scalewise.geometryStatus().
type geometryStatus struct {
	Rate    bool              `json:"rate"`
	Slot    string            `json:"slot"`
	Running bool              `json:"running"`
	Runs    int               `json:"runs"`
	Error   string            `json:"error"`
	Have    map[string]string `json:"have"`
	Current map[string]string `json:"current"`
	Values  map[string]any    `json:"values"`
}

func (p *page) geometryStatus() geometryStatus {
	p.t.Helper()
	var st geometryStatus
	if err := json.Unmarshal([]byte(eval[string](p, `JSON.stringify(window.scalewise.geometryStatus())`)), &st); err != nil {
		p.t.Fatal(err)
	}
	return st
}

// waitGeometryDone waits until both analyses show the current settings'
// results.
func (p *page) waitGeometryDone() geometryStatus {
	p.t.Helper()
	cond := `((s) => s.rate && !s.running && s.have.a === s.current.a && s.have.b === s.current.b)(window.scalewise.geometryStatus())`
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(180*time.Second))); err != nil {
		p.t.Fatalf("the analyses did not finish: %v; %+v", err, p.geometryStatus())
	}
	return p.geometryStatus()
}

// The Geometry scene draws the rate curves and both analyses (a C^α image
// and an MNIST digit), with tiles in both; changing A's σ recomputes A
// only, without a long task; the link keeps the settings.
func TestGeometry(t *testing.T) {
	p := open(t, siteURL+"#scene=geometry&ea=c2&sa=0.1&ia=3&eb=m30000&sb=0.2&ib=7&k=16")
	st := p.waitGeometryDone()
	if st.Error != "" || st.Runs != 2 {
		t.Fatalf("status %+v: want two runs and no error", st)
	}
	logGeometryRun(t, st)
	l := p.panelsNow()
	shot := p.canvas()
	for _, name := range []string{"rate", "trace", "a tiles", "b tiles", "a spectrum", "b spectrum", "a clean", "b clean"} {
		var q appPanel
		for _, x := range l.Panels {
			if x.Name == name {
				q = x
			}
		}
		if q.W == 0 {
			t.Fatalf("no panel %q in %+v", name, l.Panels)
		}
		if c, std := busy(cropPanel(shot, l, q)); c < 40 || std < 8 {
			t.Errorf("panel %s looks blank: %d colours, luminance std %.1f", name, c, std)
		}
	}
	status := eval[string](p, `document.getElementById("status-text").textContent`)
	if !strings.HasPrefix(status, "Analysis B: top 16 eigenvectors") || !strings.Contains(status, "tr J =") {
		t.Errorf("status %q", status)
	}
	p.save("geometry")
	oldB := st.Have["b"]
	p.withoutLongTasks("recomputing analysis A", func() {
		before := p.geometryStatus().Runs
		eval[any](p, `(e => { e.value = e.value === "0.2" ? "0.4" : "0.2"; e.dispatchEvent(new Event("change")); })(document.getElementById("geo-sa")), null`)
		if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise.geometryStatus().runs > `+itoa(before),
			chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Fatalf("σ of A did not start a run: %v", err)
		}
		st = p.waitGeometryDone()
		logGeometryRun(t, st)
		if st.Runs != before+1 {
			t.Errorf("%d runs after σ of A changed, want %d (A only)", st.Runs, before+1)
		}
	})
	if st.Have["b"] != oldB {
		t.Errorf("B changed: %s → %s", oldB, st.Have["b"])
	}
	url := eval[string](p, `location.href`)
	for _, want := range []string{"scene=geometry", "ea=c2", "eb=m30000", "ib=7", "k=16"} {
		if !strings.Contains(url, want) {
			t.Errorf("the link %s lacks %s", url, want)
		}
	}
}

// logGeometryRun logs the last finished analysis's engine time and
// Lanczos steps (the README's page timings of the Geometry scene).
func logGeometryRun(t *testing.T, st geometryStatus) {
	t.Helper()
	v := st.Values
	t.Logf("analysis %v: %v net, σ = %v, top %v eigenvectors in %.1f s of engine time, %v Lanczos steps, antisymmetry %.2f",
		v["slot"], v["net"], v["sigma"], v["k"], v["seconds"], v["step"], v["antisymmetry"])
}
