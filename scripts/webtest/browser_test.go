// Package webtest drives the built site (dist/) in Debian's headless
// Chromium with chromedp: it clicks what a person clicks and reads the
// pixels of CDP screenshots. `make test` builds dist/ and sets
// SCALEWISE_DIST and SCALEWISE_REQUIRE_BROWSER; run alone, the tests skip
// when dist/ or chromium is missing.
//
// Tests that time the page or assert that it has no long task run first,
// one at a time; the rest call t.Parallel and then run in parallel tabs
// (go test -parallel), since they do not time each other.
package webtest

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var (
	distDir    string
	siteURL    string
	browserCtx context.Context
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	require := os.Getenv("SCALEWISE_REQUIRE_BROWSER") != ""
	skip := func(why string) int {
		if require {
			fmt.Fprintln(os.Stderr, "webtest:", why)
			return 1
		}
		fmt.Println("webtest: skipping browser tests:", why)
		return 0
	}
	distDir = os.Getenv("SCALEWISE_DIST")
	if distDir == "" {
		distDir, _ = filepath.Abs("../../dist")
	}
	if _, err := os.Stat(filepath.Join(distDir, "scalewise.html")); err != nil {
		return skip("no built site in " + distDir + " (run make dist)")
	}
	if _, err := exec.LookPath("chromium"); err != nil {
		return skip("chromium is not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return skip(err.Error())
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(distDir))}
	go srv.Serve(ln)
	defer srv.Close()
	siteURL = "http://" + ln.Addr().String() + "/"

	prof, err := os.MkdirTemp("", "scalewise-chromium")
	if err != nil {
		return skip(err.Error())
	}
	defer os.RemoveAll(prof)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("chromium"),
		chromedp.Flag("use-angle", "swiftshader"),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("allow-file-access-from-files", false),
		chromedp.UserDataDir(prof),
		chromedp.WindowSize(1400, 1000),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	if err := chromedp.Do(bctx); err != nil {
		return skip("chromium did not start: " + err.Error())
	}
	browserCtx = bctx
	return m.Run()
}

// page is one tab with the site open and its console watched.
type page struct {
	t   *testing.T
	ctx context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// open opens url in a new tab and waits until the page reports ready (the
// engine computed and the canvas app loaded the frames).
func open(t *testing.T, url string) *page {
	t.Helper()
	return openWith(t, url)
}

// openWith is open with setup run in the new tab before it navigates.
func openWith(t *testing.T, url string, setup ...chromedp.Action[chromedp.Void]) *page {
	t.Helper()
	p := navigate(t, url, setup...)
	p.waitReady()
	return p
}

// navigate opens url in a new tab, with setup run before it navigates and
// its console watched, and returns at once.
func navigate(t *testing.T, url string, setup ...chromedp.Action[chromedp.Void]) *page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx}
	if err := chromedp.Do(ctx, append([]chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(1400, 1000)}, setup...)...); err != nil {
		t.Fatal(err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.console = append(p.console, m)
			p.mu.Unlock()
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *page) waitReady() {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](
		`window.scalewise && window.scalewise.ready === true || (document.getElementById("error").textContent !== "" && (() => { throw new Error(document.getElementById("error").textContent) })())`,
		chromedp.WithPollingTimeout(90*time.Second)))
	if err != nil {
		p.t.Fatalf("page did not become ready: %v; console: %v", err, p.messages())
	}
	p.waitDrawn()
}

// waitDrawn waits until the canvas has drawn the current view state, then a
// few more frames.
func (p *page) waitDrawn() {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`(() => {
		const s = window.scalewise.appStatus();
		if (!s || s.drawn < s.version) { window.__f0 = undefined; return false; }
		if (window.__f0 === undefined) window.__f0 = s.frames;
		return s.frames >= window.__f0 + 3;
	})()`, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		p.t.Fatalf("canvas did not draw: %v", err)
	}
	eval[bool](p, `window.__f0 = undefined, true`)
}

func eval[T any](p *page, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluate %q: %v", js, err)
	}
	return v
}

func (p *page) click(sel string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		p.t.Fatalf("click %s: %v", sel, err)
	}
}

// canvas returns a CDP screenshot of the canvas iframe.
func (p *page) canvas() image.Image {
	p.t.Helper()
	b, err := chromedp.Run(p.ctx, chromedp.Screenshot(chromedp.CSS("#canvas-frame")))
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		p.t.Fatal(err)
	}
	return img
}

// save writes a screenshot next to the test log for a person to look at.
func (p *page) save(name string) {
	b, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err == nil {
		os.MkdirAll(filepath.Join(distDir, "..", "build", "screenshots"), 0o755)
		os.WriteFile(filepath.Join(distDir, "..", "build", "screenshots", name+".png"), b, 0o644)
	}
}

func (p *page) messages() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.console {
		out = append(out, m.String())
	}
	return out
}

// noConsoleErrors fails the test on any console error or uncaught exception.
func (p *page) noConsoleErrors() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.console {
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
			p.t.Errorf("console %s", m.String())
		}
	}
}

// busy measures how far img is from blank: the number of distinct colours
// and the standard deviation of the luminance.
func busy(img image.Image) (colours int, std float64) {
	seen := map[uint32]bool{}
	var s, s2, n float64
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			seen[(r>>8)<<16|(g>>8)<<8|bb>>8] = true
			l := 0.299*float64(r>>8) + 0.587*float64(g>>8) + 0.114*float64(bb>>8)
			s += l
			s2 += l * l
			n++
		}
	}
	m := s / n
	return len(seen), sqrt(s2/n - m*m)
}

// differing returns the fraction of pixels whose colours differ by more than
// tol in some channel (images of different sizes differ everywhere).
func differing(a, b image.Image, tol uint32) float64 {
	if a.Bounds() != b.Bounds() {
		return 1
	}
	bd := a.Bounds()
	d := 0
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if absdiff(r1, r2)>>8 > tol || absdiff(g1, g2)>>8 > tol || absdiff(b1, b2)>>8 > tol {
				d++
			}
		}
	}
	return float64(d) / float64(bd.Dx()*bd.Dy())
}

// visit follows a link within the page: it sets the fragment to frag (it
// must differ from the current one) and returns once the page has handled
// it (its hashchange listener, registered at boot, runs before this one).
// A fresh page load per link costs a tab and two wasm compilations; the
// tests that check many links open the first and visit the rest.
func (p *page) visit(frag string) {
	p.t.Helper()
	eval[any](p, `(window.__visited = false, addEventListener("hashchange", () => { window.__visited = true; }, {once: true}), location.hash = `+jsString(frag)+`, null)`)
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.__visited === true`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		p.t.Fatalf("the page did not take the link %s: %v", frag, err)
	}
}

// noticeWith waits until the notice shows every one of want (all of them
// may come only once the scene has computed) and returns it; "" when it
// is hidden.
func (p *page) noticeWith(want ...string) string {
	p.t.Helper()
	const js = `(e => getComputedStyle(e).display !== "none" ? e.textContent : "")(document.getElementById("notice"))`
	cond := "true"
	for _, w := range want {
		cond += " && n.includes(" + jsString(w) + ")"
	}
	chromedp.Run(p.ctx, chromedp.Poll[bool](`(n => `+cond+`)(`+js+`)`, chromedp.WithPollingTimeout(60*time.Second)))
	return eval[string](p, js)
}

// diffBox returns the smallest rectangle holding every pixel whose colours
// differ by more than tol (empty when none does): where two canvases
// differ, for a failure message.
func diffBox(a, b image.Image, tol uint32) image.Rectangle {
	var box image.Rectangle
	if a.Bounds() != b.Bounds() {
		return a.Bounds().Union(b.Bounds())
	}
	bd := a.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if absdiff(r1, r2)>>8 > tol || absdiff(g1, g2)>>8 > tol || absdiff(b1, b2)>>8 > tol {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

func absdiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func sqrt(x float64) float64 {
	if x <= 0 {
		return 0
	}
	z := x
	for i := 0; i < 60; i++ {
		z = (z + x/z) / 2
	}
	return z
}

func assertNotBlank(t *testing.T, img image.Image) {
	t.Helper()
	c, std := busy(img)
	if c < 64 || std < 10 {
		t.Fatalf("canvas looks blank: %d colours, luminance std %.1f", c, std)
	}
}

func fileURL(path string) string {
	return "file://" + strings.ReplaceAll(path, " ", "%20")
}

// differingIn is differing restricted to the rectangle given as fractions
// of the image's width (x0, x1) and height (y0, y1).
func differingIn(a, b image.Image, x0, x1, y0, y1 float64, tol uint32) float64 {
	ba := a.Bounds()
	r := image.Rect(ba.Min.X+int(x0*float64(ba.Dx())), ba.Min.Y+int(y0*float64(ba.Dy())),
		ba.Min.X+int(x1*float64(ba.Dx())), ba.Min.Y+int(y1*float64(ba.Dy())))
	type sub interface {
		SubImage(image.Rectangle) image.Image
	}
	sa, oka := a.(sub)
	sb, okb := b.(sub)
	if !oka || !okb {
		return differing(a, b, tol)
	}
	return differing(sa.SubImage(r), sb.SubImage(r), tol)
}

// decodeDataURL decodes a PNG data URL.
func decodeDataURL(t *testing.T, url string) image.Image {
	t.Helper()
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(url, prefix) {
		t.Fatalf("not a PNG data URL: %.40s", url)
	}
	b, err := base64.StdEncoding.DecodeString(url[len(prefix):])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}
