package data

import (
	"errors"
	"fmt"
	"math"

	"scalewise/engine/field"
)

// Sprite is a small fixed set of labelled square digit images stored as
// bytes, which the web page ships instead of the MNIST files. Digit i has
// label Labels[i] ∈ {0, …, 9} and the Size×Size row-major pixels
// Pixels[i·Size² : (i+1)·Size²], with intensity = byte/255.
type Sprite struct {
	N, Size int
	Labels  []int
	Pixels  []byte
}

// Sprite limits imposed by the SWDG encoding (a uint16 count and a uint8 side).
const (
	SpriteMaxN    = math.MaxUint16
	SpriteMaxSize = math.MaxUint8
)

// validate checks that s is consistent and encodable.
func (s *Sprite) validate() error {
	if s == nil {
		return errors.New("data: nil sprite")
	}
	if s.N < 1 || s.N > SpriteMaxN {
		return fmt.Errorf("data: sprite count %d outside [1, %d]", s.N, SpriteMaxN)
	}
	if s.Size < 1 || s.Size > SpriteMaxSize {
		return fmt.Errorf("data: sprite size %d outside [1, %d]", s.Size, SpriteMaxSize)
	}
	if len(s.Labels) != s.N {
		return fmt.Errorf("data: sprite has %d labels for %d digits", len(s.Labels), s.N)
	}
	if want := s.N * s.Size * s.Size; len(s.Pixels) != want {
		return fmt.Errorf("data: sprite has %d pixels, want %d (%d digits of %d×%d)", len(s.Pixels), want, s.N, s.Size, s.Size)
	}
	for i, l := range s.Labels {
		if l < 0 || l > 9 {
			return fmt.Errorf("data: sprite label %d of digit %d outside 0..9", l, i)
		}
	}
	return nil
}

// MakeSprite builds a sprite from the first perClass digits of each label
// 0, …, 9 of d (in the order of d), ordered by label: digits
// [l·perClass, (l+1)·perClass) have label l. It is meant for the MNIST test
// set. Pixels are round(255·v) for image values v ∈ [0, 1]; every image must
// be square, of one size, with finite values in [0, 1].
func MakeSprite(d *Digits, perClass int) (*Sprite, error) {
	if d == nil || len(d.Images) == 0 {
		return nil, errors.New("data: MakeSprite needs a non-empty digit set")
	}
	if len(d.Images) != len(d.Labels) {
		return nil, fmt.Errorf("data: digit set has %d images but %d labels", len(d.Images), len(d.Labels))
	}
	if perClass < 1 || 10*perClass > SpriteMaxN {
		return nil, fmt.Errorf("data: perClass %d outside [1, %d]", perClass, SpriteMaxN/10)
	}
	first := d.Images[0]
	if first == nil || first.W != first.H || first.W < 1 || first.W > SpriteMaxSize {
		return nil, errors.New("data: sprite digits must be square images of side 1..255")
	}
	size := first.W

	var picked [10][]int
	for i, l := range d.Labels {
		if l < 0 || l > 9 {
			return nil, fmt.Errorf("data: label %d of digit %d outside 0..9", l, i)
		}
		if len(picked[l]) < perClass {
			picked[l] = append(picked[l], i)
		}
	}
	s := &Sprite{N: 10 * perClass, Size: size}
	s.Labels = make([]int, 0, s.N)
	s.Pixels = make([]byte, 0, s.N*size*size)
	for l, idx := range picked {
		if len(idx) < perClass {
			return nil, fmt.Errorf("data: only %d digits with label %d, want %d", len(idx), l, perClass)
		}
		for _, i := range idx {
			img := d.Images[i]
			if img == nil || img.W != size || img.H != size || len(img.Data) != size*size {
				return nil, fmt.Errorf("data: digit %d is not a %d×%d image", i, size, size)
			}
			for _, v := range img.Data {
				if !(v >= 0 && v <= 1) {
					return nil, fmt.Errorf("data: digit %d has value %v outside [0, 1]", i, v)
				}
				s.Pixels = append(s.Pixels, byte(math.Round(255*v)))
			}
			s.Labels = append(s.Labels, l)
		}
	}
	return s, nil
}

// Digit returns digit i of the sprite as a Size×Size field with values
// byte/255 in [0, 1], and its label.
func (s *Sprite) Digit(i int) (*field.Field, int, error) {
	if err := s.validate(); err != nil {
		return nil, 0, err
	}
	if i < 0 || i >= s.N {
		return nil, 0, fmt.Errorf("data: digit %d outside [0, %d)", i, s.N)
	}
	n := s.Size * s.Size
	f := field.New(s.Size, s.Size)
	for j, b := range s.Pixels[i*n : (i+1)*n] {
		f.Data[j] = float64(b) / 255
	}
	return f, s.Labels[i], nil
}
