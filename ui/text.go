//go:build js

package ui

import (
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"
)

// Every scene prints through the functions of this file, so that the font
// is chosen here alone. For now it is Ebiten's debug font: white, in fixed
// cells charWidth wide and 16 pixels high.
const charWidth = 6

// label prints text (lines separated by "\n") with its top-left corner at
// (x, y).
func label(dst *ebiten.Image, text string, x, y float32) {
	ebitenutil.DebugPrintAt(dst, text, int(x), int(y))
}

// labelLeftOf prints text ending just left of x, its top at y.
func labelLeftOf(dst *ebiten.Image, text string, x, y float32) {
	label(dst, text, x-3-textWidth(text), y)
}

// message prints a scene's message while it has nothing to show (it is
// computing or waiting), near the canvas's top-left corner.
func message(dst *ebiten.Image, text string) {
	label(dst, text, 40, 40)
}

// textWidth returns the width of text's longest line in pixels.
func textWidth(text string) float32 {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		n = max(n, len(line))
	}
	return float32(charWidth * n)
}
