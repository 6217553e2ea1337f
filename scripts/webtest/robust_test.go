package webtest

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// A Go panic in the engine worker or in the canvas app is recovered at the
// boundary, shown in the page, and the page keeps working.
func TestPanicsAreRecovered(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// A second visit works through /index.html and through /, online and
// offline. Go's file server answers /index.html with a redirect to ./; the
// service worker must never answer a navigation with a cached redirect,
// which the browser refuses (net::ERR_FAILED, a blank page).
func TestSecondVisitThroughIndex(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(distDir))}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String() + "/"
	first := open(t, base+"index.html#seed=2")
	if _, err := chromedp.Run(first.ctx, chromedp.Poll[bool](`navigator.serviceWorker.controller !== null`,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("service worker never controlled the page: %v", err)
	}
	first.noConsoleErrors()
	visits := []struct {
		name, path string
		seed       int
		offline    bool
	}{
		{"online index.html", "index.html#seed=3", 3, false},
		{"online root", "#seed=4", 4, false},
		{"offline index.html", "index.html#seed=5", 5, true},
		{"offline root", "#seed=6", 6, true},
	}
	for _, v := range visits {
		if v.offline {
			srv.Close()
		}
		t.Run(v.name, func(t *testing.T) {
			p := open(t, base+v.path)
			assertNotBlank(t, p.canvas())
			if got := eval[int](p, `window.scalewise.state.seed`); got != v.seed {
				t.Errorf("seed %d, want %d (the link's)", got, v.seed)
			}
			if !eval[bool](p, `navigator.serviceWorker.controller !== null`) {
				t.Errorf("the service worker does not control the second visit")
			}
			if !v.offline {
				p.noConsoleErrors()
			}
		})
	}
}

// cspWatch records, in every frame of a tab, the Content-Security-Policy
// violations reported to it (securitypolicyviolation events) in the top
// window's __csp.
var cspWatch = chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
	_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: `
		addEventListener("securitypolicyviolation", (e) => {
			const w = (() => { try { return top.document && top; } catch (err) { return self; } })();
			(w.__csp = w.__csp || []).push(e.effectiveDirective + " " + (e.blockedURI || "inline") + " (" + location.href.slice(0, 40) + ")");
		}, true);`})
	return err
})

// Both pages carry a Content-Security-Policy that allows only what they use:
// they boot under it with no violation reported, in the page or in the
// canvas frame, and the policy is enforced (an injected inline script is
// refused, and that refusal is seen both by the watch and in the console).
func TestContentSecurityPolicy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, url, scriptSrc string }{
		{"hosted", siteURL + "#seed=3", "script-src 'self' 'wasm-unsafe-eval' 'sha256-"},
		{"single file", fileURL(filepath.Join(distDir, "scalewise.html")) + "#seed=3", "script-src 'wasm-unsafe-eval' 'sha256-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := openWith(t, tc.url, cspWatch)
			assertNotBlank(t, p.canvas())
			csp := eval[string](p, `[...document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')].map((m) => m.content).join(" | ")`)
			if !strings.HasPrefix(csp, "default-src 'none'; ") || !strings.Contains(csp, tc.scriptSrc) || strings.Contains(csp, "|") {
				t.Errorf("policy %q: want one meta element, default-src 'none' and %s…", csp, tc.scriptSrc)
			}
			if !eval[bool](p, `document.getElementById("canvas-frame").contentWindow.__csp === undefined`) {
				t.Errorf("the canvas frame has its own violation list: the watch cannot reach the top window")
			}
			if v := eval[[]string](p, `window.__csp || []`); len(v) > 0 {
				t.Errorf("CSP violations while booting: %v", v)
			}
			p.noConsoleErrors()

			// The policy is enforced in the page and in the canvas frame,
			// and a violation in either would be seen.
			for _, win := range []string{`window`, `document.getElementById("canvas-frame").contentWindow`} {
				if eval[bool](p, `(w => { const s = w.document.createElement("script"); s.textContent = "window.__ran = true"; w.document.body.append(s); return w.__ran === true; })(`+win+`)`) {
					t.Fatalf("an inline script injected in %s ran under %q", win, csp)
				}
			}
			if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`(window.__csp || []).filter((v) => v.startsWith("script-src")).length === 2 && window.__csp.some((v) => v.includes("about:srcdoc"))`,
				chromedp.WithPollingTimeout(10*time.Second))); err != nil {
				t.Errorf("the watch missed a refused inline script: %v; it saw %v", err, eval[[]string](p, `window.__csp || []`))
			}
			reported := func() bool {
				for _, m := range p.messages() {
					if strings.Contains(m, "Content Security Policy") {
						return true
					}
				}
				return false
			}
			for deadline := time.Now().Add(10 * time.Second); !reported() && time.Now().Before(deadline); {
				time.Sleep(100 * time.Millisecond)
			}
			if !reported() {
				t.Errorf("the console did not report a refused inline script: %v", p.messages())
			}
		})
	}
}
