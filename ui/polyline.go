//go:build js

package ui

import (
	"image/color"
	"scalewise/ui/strokes"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

var whitePixel = func() *ebiten.Image {
	im := ebiten.NewImage(3, 3)
	im.Fill(color.White)
	return im.SubImage(im.Bounds().Inset(1)).(*ebiten.Image)
}()

// maxBatchPoints bounds the points stroked in one DrawTriangles call, so that
// the uint16 vertex indices cannot overflow.
const maxBatchPoints = 3000

// polylines strokes the polylines in as few batched DrawTriangles calls as
// the index range allows.
func polylines(dst *ebiten.Image, lines [][]strokes.XY, toScreen func(strokes.XY) (float32, float32), width float32, c color.RGBA) {
	var batch [][]strokes.XY
	n := 0
	for _, l := range lines {
		for len(l) > maxBatchPoints {
			polylines(dst, [][]strokes.XY{l[:maxBatchPoints]}, toScreen, width, c)
			l = l[maxBatchPoints-1:]
		}
		if n+len(l) > maxBatchPoints {
			strokeBatch(dst, batch, toScreen, width, c)
			batch, n = nil, 0
		}
		batch = append(batch, l)
		n += len(l)
	}
	strokeBatch(dst, batch, toScreen, width, c)
}

func strokeBatch(dst *ebiten.Image, lines [][]strokes.XY, toScreen func(strokes.XY) (float32, float32), width float32, c color.RGBA) {
	var path vector.Path
	n := 0
	for _, l := range lines {
		for i, p := range l {
			x, y := toScreen(p)
			if i == 0 {
				path.MoveTo(x, y)
				if len(l) == 1 {
					path.LineTo(x+0.5, y)
				}
			} else {
				path.LineTo(x, y)
			}
			n++
		}
	}
	if n == 0 {
		return
	}
	op := &vector.StrokeOptions{Width: width, LineJoin: vector.LineJoinRound, LineCap: vector.LineCapRound}
	vs, is := path.AppendVerticesAndIndicesForStroke(nil, nil, op)
	r, g, b, a := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	for i := range vs {
		vs[i].SrcX, vs[i].SrcY = 1, 1
		vs[i].ColorR, vs[i].ColorG, vs[i].ColorB, vs[i].ColorA = r*a, g*a, b*a, a
	}
	dst.DrawTriangles(vs, is, whitePixel, &ebiten.DrawTrianglesOptions{AntiAlias: true})
}
