package compute

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/png"
	"strings"

	"scalewise/engine/field"
	"scalewise/ui/protocol"
)

// genGIFMaxFrames bounds the frames of an exported animation: the rows of
// the trajectories are subsampled to at most this many.
const genGIFMaxFrames = 120

// genExportGap is the gap between the panels of an exported picture, in
// pixels.
const genExportGap = 4

// Export exports the current run (GenExportRequest): the frames carry no
// images, their buffer is the file.
func (s *GenSession) Export(r GenExportRequest, progress Progress) (*Frames, error) {
	run, ok := s.gen.Run().(*genRun)
	if !ok || run == nil {
		return nil, errors.New(s.gen.cfg.NoExport)
	}
	var partner []genRow
	if r.Partner != "" {
		data, ok := s.blobs.Get(r.Partner)
		if !ok {
			return nil, fmt.Errorf("partner %q was not put: put the other run's trajectory export first", r.Partner)
		}
		var err error
		if partner, err = readGenTrajectory(data, run.spec.size); err != nil {
			return nil, fmt.Errorf("partner %s: %w", r.Partner, err)
		}
	}
	f, err := run.export(r, partner, quiet(progress))
	if err != nil {
		return nil, err
	}
	fr := NewFrames(GenScene, &protocol.ExportValues{
		Kind: protocol.KindExport, Format: r.Format, Mime: f.Mime, Filename: f.Name, Size: len(f.Data)})
	fr.buf = f.Data
	return fr, nil
}

// Export is the Run's export without a partner (Stepped.Export).
func (g *genRun) Export(format string, progress Progress) (File, error) {
	return g.export(GenExportRequest{Format: format}, nil, quiet(progress))
}

// export writes the finished run, and the partner's trajectory when
// given, as a file:
//
//	"npy"        float32 [k, H, W]: the sample, then the partner's (the x̂
//	             of its last row)
//	"png"        the sample(s) above the nearest training image(s), ×4
//	"gif"        the trajectory (y_t, or x̂ with Show "xhat"), beside the
//	             partner's, at most genGIFMaxFrames frames
//	"trajectory" float32 [R, 2, H, W]: the rows (y_t, x̂) of the trajectory
//	             (genRow), R = T+1 unless the run passed the cap
//	             (genTrajectory)
func (g *genRun) export(r GenExportRequest, partner []genRow, progress Progress) (File, error) {
	if g.err != nil {
		return File{}, fmt.Errorf("nothing to export: the run failed (%v)", g.err)
	}
	if !g.done {
		return File{}, fmt.Errorf("nothing to export yet: step the run to its sample first (%d iterations so far)", g.smp.State().T)
	}
	n := g.spec.size
	stem := g.stem()
	if partner != nil {
		stem += "-pair"
	}
	var b bytes.Buffer
	switch r.Format {
	case "npy":
		samples := [][]float32{g.traj.rows[len(g.traj.rows)-1].xh}
		if partner != nil {
			samples = append(samples, partner[len(partner)-1].xh)
		}
		if err := writeNPY32(&b, []int{len(samples), n, n}, samples...); err != nil {
			return File{}, err
		}
		return File{Name: stem + ".npy", Mime: "application/octet-stream", Data: b.Bytes()}, nil
	case "trajectory":
		if partner != nil {
			return File{}, fmt.Errorf("a trajectory export is this run's alone: leave partner empty")
		}
		var parts [][]float32
		for _, row := range g.traj.rows {
			parts = append(parts, row.y, row.xh)
		}
		if err := writeNPY32(&b, []int{len(g.traj.rows), 2, n, n}, parts...); err != nil {
			return File{}, err
		}
		return File{Name: stem + "-trajectory.npy", Mime: "application/octet-stream", Data: b.Bytes()}, nil
	case "png":
		if err := png.Encode(&b, g.panel(partner).gray()); err != nil {
			return File{}, err
		}
		return File{Name: stem + ".png", Mime: "image/png", Data: b.Bytes()}, nil
	case "gif":
		xh := false
		switch r.Show {
		case "", "y":
		case "xhat":
			xh = true
		default:
			return File{}, fmt.Errorf("show=%q: want y (the iterate y_t) or xhat (its denoised estimate)", r.Show)
		}
		if err := g.writeGIF(&b, partner, xh, progress); err != nil {
			return File{}, err
		}
		return File{Name: stem + ".gif", Mime: "image/gif", Data: b.Bytes()}, nil
	}
	return File{}, fmt.Errorf("unknown export format %q (npy, png, gif or trajectory)", r.Format)
}

// stem returns the file name of the run, without extension.
func (g *genRun) stem() string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, g.req.Net)
	return fmt.Sprintf("scalewise-gen-%s-%s-%d-seed%d-sample%d", name, g.spec.name(), g.spec.size, g.req.Seed, g.req.Sample)
}

// panel draws the final picture: the sample (and the partner's sample)
// in the top row, each above its nearest training image when the run
// found one (the partner's is not known here: its cell stays black).
func (g *genRun) panel(partner []genRow) *genCanvas {
	n := g.spec.size
	cols, rows := 1, 1
	if partner != nil {
		cols = 2
	}
	if g.nearImg != nil {
		rows = 2
	}
	c := newGenCanvas(cols, rows, n*genScale(n), genExportGap)
	c.put(0, 0, n, g.sample)
	if partner != nil {
		c.put32(1, 0, n, partner[len(partner)-1].xh)
	}
	if g.nearImg != nil {
		c.put(0, 1, n, g.nearImg)
		if partner != nil {
			c.put(1, 1, n, nil)
		}
	}
	return c
}

// writeGIF writes the trajectory animated, beside the partner's: frame f
// of F shows row ⌊f·(R−1)/(F−1)⌉ of the longer trajectory (R rows) and the
// same row of the other, or its last; the last frame holds for two seconds.
func (g *genRun) writeGIF(w *bytes.Buffer, partner []genRow, xh bool, progress Progress) error {
	progress = quiet(progress)
	n := g.spec.size
	trajs := [][]genRow{g.traj.rows}
	if partner != nil {
		trajs = append(trajs, partner)
	}
	rows := 0
	for _, tr := range trajs {
		rows = max(rows, len(tr))
	}
	frames := min(rows, genGIFMaxFrames)
	pal := colormapPalette(field.Gray)
	anim := &gif.GIF{}
	for f := range frames {
		i := 0
		if frames > 1 {
			i = (2*f*(rows-1) + frames - 1) / (2 * (frames - 1))
		}
		c := newGenCanvas(len(trajs), 1, n*genScale(n), genExportGap)
		for k, tr := range trajs {
			row := tr[min(i, len(tr)-1)]
			x := row.y
			if xh {
				x = row.xh
			}
			c.put32(k, 0, n, x)
		}
		im := image.NewPaletted(image.Rect(0, 0, c.w, c.h), pal)
		copy(im.Pix, c.pix)
		delay := 8
		if f == frames-1 {
			delay = 200
		}
		anim.Image = append(anim.Image, im)
		anim.Delay = append(anim.Delay, delay)
		if f%8 == 0 {
			progress(f, frames, "GIF frames")
		}
	}
	if err := gif.EncodeAll(w, anim); err != nil {
		return err
	}
	progress(frames, frames, "GIF frames")
	return nil
}
