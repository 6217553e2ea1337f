package data

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"scalewise/engine/field"
)

// syntheticDigits returns n 4×4 digits with labels i%10 (or label(i)) whose
// pixel j of digit i is ((i·16 + j) mod 256)/255.
func syntheticDigits(n int, label func(i int) int) *Digits {
	d := &Digits{}
	for i := 0; i < n; i++ {
		f := field.New(4, 4)
		for j := range f.Data {
			f.Data[j] = float64((i*16+j)%256) / 255
		}
		d.Images = append(d.Images, f)
		if label == nil {
			d.Labels = append(d.Labels, i%10)
		} else {
			d.Labels = append(d.Labels, label(i))
		}
	}
	return d
}

func TestMakeSprite(t *testing.T) {
	// Labels 9, 8, …, 0, 9, 8, …: digit i has label 9 − i%10.
	d := syntheticDigits(30, func(i int) int { return 9 - i%10 })
	s, err := MakeSprite(d, 2)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 20 || s.Size != 4 || len(s.Labels) != 20 || len(s.Pixels) != 20*16 {
		t.Fatalf("sprite N=%d Size=%d with %d labels, %d pixels", s.N, s.Size, len(s.Labels), len(s.Pixels))
	}
	for k := 0; k < s.N; k++ {
		l := k / 2
		// The first two digits with label l are 9−l and 19−l.
		src := 9 - l + 10*(k%2)
		img, lbl, err := s.Digit(k)
		if err != nil {
			t.Fatal(err)
		}
		if lbl != l || s.Labels[k] != l {
			t.Errorf("digit %d: label %d, want %d", k, lbl, l)
		}
		for j, v := range img.Data {
			if v != d.Images[src].Data[j] {
				t.Fatalf("digit %d pixel %d = %v, want %v (source digit %d)", k, j, v, d.Images[src].Data[j], src)
			}
		}
	}
}

func TestMakeSpriteErrors(t *testing.T) {
	ok := syntheticDigits(20, nil)
	nonSquare := syntheticDigits(20, nil)
	nonSquare.Images[0] = field.New(4, 3)
	mixed := syntheticDigits(20, nil)
	mixed.Images[5] = field.New(5, 5)
	outOfRange := syntheticDigits(20, nil)
	outOfRange.Images[3].Data[2] = 1.5
	badLabel := syntheticDigits(20, nil)
	badLabel.Labels[4] = 10
	short := syntheticDigits(20, nil)
	short.Labels = short.Labels[:19]
	tests := []struct {
		name     string
		d        *Digits
		perClass int
	}{
		{"nil", nil, 1},
		{"empty", &Digits{}, 1},
		{"perClass 0", ok, 0},
		{"perClass too large for the format", ok, 7000},
		{"not enough of a class", ok, 3},
		{"non-square", nonSquare, 1},
		{"mixed sizes", mixed, 1},
		{"value outside [0,1]", outOfRange, 1},
		{"label 10", badLabel, 1},
		{"labels and images differ", short, 1},
	}
	for _, tt := range tests {
		if s, err := MakeSprite(tt.d, tt.perClass); err == nil || s != nil {
			t.Errorf("%s: MakeSprite = %v, %v; want an error", tt.name, s, err)
		}
	}
	if _, err := MakeSprite(ok, 2); err != nil {
		t.Errorf("MakeSprite(ok, 2): %v", err)
	}
}

func testSprite(t *testing.T) *Sprite {
	t.Helper()
	s, err := MakeSprite(syntheticDigits(30, nil), 3)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func encode(t *testing.T, s *Sprite) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSpriteRoundTrip(t *testing.T) {
	s := testSprite(t)
	b := encode(t, s)
	if len(b) != 8+s.N+s.N*s.Size*s.Size {
		t.Errorf("encoding has %d bytes, want %d", len(b), 8+s.N+s.N*s.Size*s.Size)
	}
	if string(b[:4]) != "SWDG" || b[4] != 1 || b[5] != byte(s.N) || b[6] != 0 || b[7] != byte(s.Size) {
		t.Errorf("header % x", b[:8])
	}
	got, err := DecodeSprite(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got.N != s.N || got.Size != s.Size || !slices.Equal(got.Labels, s.Labels) || !bytes.Equal(got.Pixels, s.Pixels) {
		t.Errorf("round trip changed the sprite: %+v", got)
	}
}

func TestDigitErrors(t *testing.T) {
	s := testSprite(t)
	for _, i := range []int{-1, s.N, s.N + 5} {
		if f, _, err := s.Digit(i); err == nil || f != nil {
			t.Errorf("Digit(%d) = %v, %v; want an error", i, f, err)
		}
	}
	broken := *s
	broken.Pixels = broken.Pixels[:10]
	if _, _, err := broken.Digit(0); err == nil {
		t.Error("Digit on a sprite with too few pixels: no error")
	}
	var nilSprite *Sprite
	if _, _, err := nilSprite.Digit(0); err == nil {
		t.Error("Digit on a nil sprite: no error")
	}
}

func TestEncodeErrors(t *testing.T) {
	base := testSprite(t)
	tests := []struct {
		name string
		mod  func(s *Sprite)
	}{
		{"zero N", func(s *Sprite) { s.N = 0 }},
		{"N above uint16", func(s *Sprite) { s.N = 70000 }},
		{"size 0", func(s *Sprite) { s.Size = 0 }},
		{"size 256", func(s *Sprite) { s.Size = 256 }},
		{"labels short", func(s *Sprite) { s.Labels = s.Labels[1:] }},
		{"pixels long", func(s *Sprite) { s.Pixels = append(s.Pixels, 0) }},
		{"label 12", func(s *Sprite) { s.Labels[0] = 12 }},
		{"label -1", func(s *Sprite) { s.Labels[0] = -1 }},
	}
	for _, tt := range tests {
		s := *base
		s.Labels = append([]int(nil), base.Labels...)
		s.Pixels = append([]byte(nil), base.Pixels...)
		tt.mod(&s)
		var buf bytes.Buffer
		if err := s.Encode(&buf); err == nil {
			t.Errorf("%s: Encode succeeded", tt.name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: Encode wrote %d bytes before failing", tt.name, buf.Len())
		}
	}
}

func TestDecodeSpriteErrors(t *testing.T) {
	good := encode(t, testSprite(t))
	with := func(i int, v byte) []byte {
		b := append([]byte(nil), good...)
		b[i] = v
		return b
	}
	tests := []struct {
		name, want string
		in         []byte
	}{
		{"empty", "truncated", nil},
		{"short header", "truncated", good[:5]},
		{"bad magic", "magic", with(0, 'X')},
		{"bad version", "version", with(4, 2)},
		{"zero count", "empty", append([]byte("SWDG\x01\x00\x00\x04"), good[8:]...)},
		{"zero size", "empty", with(7, 0)},
		{"no labels", "truncated", good[:8]},
		{"truncated labels", "truncated", good[:10]},
		{"bad label", "label", with(9, 10)},
		{"no pixels", "truncated", good[:8+30]},
		{"truncated pixels", "truncated", good[:len(good)-1]},
		{"trailing byte", "trailing", append(append([]byte(nil), good...), 0)},
		{"huge count, tiny body", "truncated", append([]byte("SWDG\x01\xff\xff\xff"), 1, 2, 3)},
	}
	for _, tt := range tests {
		s, err := DecodeSprite(bytes.NewReader(tt.in))
		if err == nil || s != nil {
			t.Errorf("%s: DecodeSprite = %v, %v; want an error", tt.name, s, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q does not mention %q", tt.name, err, tt.want)
		}
		if tt.want == "truncated" && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: error %q does not wrap io.ErrUnexpectedEOF", tt.name, err)
		}
	}
	readErr := errors.New("disk on fire")
	if _, err := DecodeSprite(io.MultiReader(bytes.NewReader(good[:20]), errReader{readErr})); !errors.Is(err, readErr) {
		t.Errorf("DecodeSprite with a failing reader: %v, want it to wrap %v", err, readErr)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func FuzzDecodeSprite(f *testing.F) {
	s, err := MakeSprite(syntheticDigits(10, nil), 1)
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Encode(&buf); err != nil {
		f.Fatal(err)
	}
	good := buf.Bytes()
	f.Add(good)
	f.Add(good[:len(good)-3])
	f.Add(good[:9])
	f.Add([]byte("SWDG"))
	f.Add([]byte("SWDG\x01\x01\x00\x01\x07\xff"))
	f.Add([]byte("SWDG\x01\xff\xff\xff\x00"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := DecodeSprite(bytes.NewReader(in))
		if err != nil {
			if s != nil {
				t.Fatalf("sprite %v returned with error %v", s, err)
			}
			return
		}
		var out bytes.Buffer
		if err := s.Encode(&out); err != nil {
			t.Fatalf("re-encoding a decoded sprite: %v", err)
		}
		if !bytes.Equal(out.Bytes(), in) {
			t.Fatalf("re-encoding differs from the input")
		}
		for i := 0; i < s.N; i++ {
			img, l, err := s.Digit(i)
			if err != nil || l < 0 || l > 9 || img.W != s.Size {
				t.Fatalf("Digit(%d) = %v, %d, %v", i, img, l, err)
			}
		}
	})
}

func TestWriteSpriteFile(t *testing.T) {
	s := testSprite(t)
	path := filepath.Join(t.TempDir(), "digits.bin")
	if err := WriteSpriteFile(path, s); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, encode(t, s)) {
		t.Error("file differs from Encode")
	}
	if err := WriteSpriteFile(path, &Sprite{}); err == nil {
		t.Error("WriteSpriteFile of an empty sprite: no error")
	}
	if err := WriteSpriteFile(filepath.Join(t.TempDir(), "no", "such", "dir", "x.bin"), s); err == nil {
		t.Error("WriteSpriteFile into a missing directory: no error")
	}
}

// assetPath is the shipped digit sprite, relative to this package.
const assetPath = "../../assets/mnist-digits.bin"

// TestAssetSprite checks the shipped sprite: 10 digits per class, ordered by
// label, 32×32, and (where the MNIST module is available) exactly
// MakeSprite(test set, 10).
func TestAssetSprite(t *testing.T) {
	f, err := os.Open(assetPath)
	if err != nil {
		t.Fatalf("opening the shipped sprite: %v", err)
	}
	defer f.Close()
	s, err := DecodeSprite(f)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 100 || s.Size != 32 {
		t.Fatalf("asset sprite has %d digits of side %d, want 100 of 32", s.N, s.Size)
	}
	for i, l := range s.Labels {
		if l != i/10 {
			t.Fatalf("asset label %d = %d, want %d", i, l, i/10)
		}
	}
	for i := 0; i < s.N; i++ {
		img, _, err := s.Digit(i)
		if err != nil {
			t.Fatal(err)
		}
		if _, hi := img.MinMax(); hi == 0 {
			t.Errorf("asset digit %d is blank", i)
		}
	}

	_, test := moduleMNIST(t)
	want, err := MakeSprite(test, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Labels, want.Labels) || !bytes.Equal(s.Pixels, want.Pixels) {
		t.Error("shipped sprite differs from MakeSprite(MNIST test set, 10); regenerate assets/mnist-digits.bin")
	}
	// The sprite stores MNIST's own bytes: 32×32 padding of the raw digits.
	for i := 0; i < s.N; i++ {
		img, _, _ := s.Digit(i)
		for y := 0; y < 32; y++ {
			for x := 0; x < 32; x++ {
				if (x < 2 || x >= 30 || y < 2 || y >= 30) && img.At(x, y) != 0 {
					t.Fatalf("asset digit %d padding (%d, %d) = %v", i, x, y, img.At(x, y))
				}
			}
		}
	}
}
