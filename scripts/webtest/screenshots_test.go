package webtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The README's screenshots: every scene on a desktop (1400×1000) and on a
// phone (412×900, touch), each once it has computed what it shows. Run by
// make screenshots (SCALEWISE_SCREENSHOTS=assets/screenshots); skipped
// otherwise.
func TestREADMEScreenshots(t *testing.T) {
	dir := os.Getenv("SCALEWISE_SCREENSHOTS")
	if dir == "" {
		t.Skip("SCALEWISE_SCREENSHOTS is not set (make screenshots)")
	}
	scenes := []struct{ name, link string }{
		{"scales", "#scene=scales&image=calpha&alpha=2&size=128&seed=1&J=4&j=2&view=details"},
		{"draw", "#scene=draw&sigma=0.2&net=drawing"},
		{"rg", "#scene=rg&L=64&seed=3&j=0"},
		{"scat", "#scene=scat&field=cosmic&size=64&J=5&j=1"},
		{"draw-basis", "#scene=draw&sigma=0.1&net=drawing&basis=on&k=16"},
		{"gen", "#scene=gen&mode=pair&size=small&N=1&seed=5"},
		{"geometry", "#scene=geometry&ea=c2&eb=m30000&sb=0.2"},
		{"about", "#scene=about"},
	}
	for _, dev := range []struct {
		name  string
		setup []chromedp.Action[chromedp.Void]
	}{{"desktop", nil}, {"phone", []chromedp.Action[chromedp.Void]{phone()}}} {
		for _, sc := range scenes {
			t.Run(sc.name+"-"+dev.name, func(t *testing.T) {
				p := navigate(t, siteURL+sc.link, dev.setup...)
				if sc.name == "about" { // no canvas
					if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.scalewise && window.scalewise.ready === true`,
						chromedp.WithPollingTimeout(90*time.Second))); err != nil {
						t.Fatalf("page did not become ready: %v", err)
					}
				} else {
					p.waitReady()
				}
				switch sc.name {
				case "rg":
					p.waitRGDone()
				case "gen":
					p.waitGenDone()
				case "draw-basis":
					p.waitBasisDone(0)
				case "geometry":
					p.waitGeometryDone()
				default:
					p.waitScene(sc.name)
				}
				shot := func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
					q := int64(85)
					r, err := cdp.Call(ctx, tg, cdppage.CaptureScreenshot, cdppage.CaptureScreenshotParams{Format: cdppage.CaptureScreenshotFormatJpeg, Quality: &q})
					if err != nil {
						return nil, err
					}
					return r.Data, nil
				}
				b, err := chromedp.Run(p.ctx, chromedp.Action[[]byte](shot))
				if err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(dir, sc.name+"-"+dev.name+".jpg")
				if err := os.WriteFile(out, b, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: %d bytes", out, len(b))
			})
		}
	}
}
