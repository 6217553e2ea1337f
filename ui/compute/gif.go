package compute

import (
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"io"
)

// gifFrame is one recorded frame of an animation: the palette indices of
// an n×n field.
type gifFrame struct {
	n   int
	pix []uint8
}

// animation records the frames of a run for an animated GIF. With max > 0
// it keeps at most max frames: past it, every other frame is dropped (the
// last stays) and frames fall due half as often.
type animation struct {
	pal    color.Palette
	max    int
	every  int // a frame is due every this many iterations
	frames []gifFrame
}

// newAnimation returns an empty animation in pal keeping at most max
// frames (0: all).
func newAnimation(pal color.Palette, max int) *animation {
	return &animation{pal: pal, max: max, every: 1}
}

// due reports whether a frame is due at iteration it.
func (a *animation) due(it int) bool { return it%a.every == 0 }

// add records the n×n frame pix, thinning the frames when there are too
// many.
func (a *animation) add(n int, pix []uint8) {
	a.frames = append(a.frames, gifFrame{n: n, pix: pix})
	if a.max <= 0 || len(a.frames) <= a.max {
		return
	}
	last := len(a.frames) - 1
	k := 0
	for i := 0; i < last; i += 2 {
		a.frames[k] = a.frames[i]
		k++
	}
	a.frames[k] = a.frames[last]
	a.frames = a.frames[:k+1]
	a.every *= 2
}

// len returns the number of frames recorded.
func (a *animation) len() int { return len(a.frames) }

// write encodes the frames (of any sides) as an animated GIF, each frame
// enlarged by nearest neighbour to side², looping; the last frame holds
// for two seconds.
func (a *animation) write(w io.Writer, side int, progress Progress) error {
	progress = quiet(progress)
	rec := a.frames
	if len(rec) == 0 {
		return fmt.Errorf("no frames were recorded")
	}
	anim := &gif.GIF{LoopCount: 0}
	S := side
	for i, f := range rec {
		im := image.NewPaletted(image.Rect(0, 0, S, S), a.pal)
		for y := 0; y < S; y++ {
			row := f.pix[(y*f.n/S)*f.n : (y*f.n/S+1)*f.n]
			for x := 0; x < S; x++ {
				im.Pix[y*S+x] = row[x*f.n/S]
			}
		}
		delay := 8
		if i == len(rec)-1 {
			delay = 200
		}
		anim.Image = append(anim.Image, im)
		anim.Delay = append(anim.Delay, delay)
		if i%8 == 0 {
			progress(i, len(rec), "GIF frames")
		}
	}
	if err := gif.EncodeAll(w, anim); err != nil {
		return err
	}
	progress(len(rec), len(rec), "GIF frames")
	return nil
}
