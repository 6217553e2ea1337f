package webtest

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A Go panic in the engine worker or in the canvas app is recovered at the
// boundary, shown in the page, and the page keeps working.
func TestPanicsAreRecovered(t *testing.T) {
	p := open(t, siteURL+"#seed=2&J=3")
	msg := eval[string](p, `window.scalewise.compute("panic", {}).then(() => "no error", (e) => e.message)`)
	if !strings.Contains(msg, "engine panic") {
		t.Errorf("worker panic surfaced as %q", msg)
	}
	// The worker still computes.
	eval[any](p, `(e => { e.value = "5"; e.dispatchEvent(new Event("change")); })(document.getElementById("seed")), null`)
	p.waitReadyAgain()

	for _, where := range []string{"update", "draw"} {
		before := p.canvas()
		if r := eval[map[string]any](p, `window.scalewise.app().panicTest("`+where+`")`); r["error"] != nil {
			t.Fatalf("panicTest: %v", r["error"])
		}
		if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`document.getElementById("error").textContent.includes("self-test panic")`,
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("%s panic not shown in the page: %v", where, err)
		}
		// The app keeps running: stepping the scale redraws the canvas.
		p.click("#j-up")
		p.waitDrawn()
		if d := differing(before, p.canvas(), 8); d < 0.02 {
			t.Errorf("after a panic in %s the canvas did not change on a step (%.2f%%)", where, 100*d)
		}
		if e := eval[string](p, `document.getElementById("error").textContent`); e != "" {
			t.Errorf("error still shown after the next action: %q", e)
		}
	}
}

// The hosted site keeps working offline once visited: its service worker
// serves every file from the cache when the server is gone.
func TestOfflineAfterVisit(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(distDir))}
	go srv.Serve(ln)
	url := "http://" + ln.Addr().String() + "/#seed=11"
	p := open(t, url)
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`navigator.serviceWorker.controller !== null`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("service worker never controlled the page: %v", err)
	}
	p.waitReady()
	srv.Close()
	if err := chromedp.Do(p.ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	p.waitReady()
	assertNotBlank(t, p.canvas())
	if got := eval[int](p, `window.scalewise.state.seed`); got != 11 {
		t.Errorf("offline reload lost the state: seed %d", got)
	}
}
