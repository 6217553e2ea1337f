package data

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// The SWDG sprite encoding, all integers little-endian:
//
//	offset 0: magic "SWDG" (4 bytes)
//	offset 4: version (1 byte, SpriteVersion)
//	offset 5: N, the digit count (uint16)
//	offset 7: Size, the image side (uint8)
//	offset 8: N labels (1 byte each, 0..9)
//	then:     N·Size·Size pixels (uint8, row-major, digit after digit)
//
// and nothing after.
const (
	SpriteMagic   = "SWDG"
	SpriteVersion = 1
	spriteHeader  = 8
)

// Encode writes s in the SWDG encoding (see SpriteMagic): the magic "SWDG", a
// version byte, N as a little-endian uint16, Size as a uint8, the N labels as
// bytes and the N·Size² pixels.
func (s *Sprite) Encode(w io.Writer) error {
	if err := s.validate(); err != nil {
		return err
	}
	hdr := make([]byte, spriteHeader, spriteHeader+s.N)
	copy(hdr, SpriteMagic)
	hdr[4] = SpriteVersion
	binary.LittleEndian.PutUint16(hdr[5:7], uint16(s.N))
	hdr[7] = byte(s.Size)
	for _, l := range s.Labels {
		hdr = append(hdr, byte(l))
	}
	if _, err := w.Write(hdr); err != nil {
		return fmt.Errorf("data: writing sprite: %w", err)
	}
	if _, err := w.Write(s.Pixels); err != nil {
		return fmt.Errorf("data: writing sprite: %w", err)
	}
	return nil
}

// DecodeSprite reads a sprite in the SWDG encoding (see SpriteMagic). It
// returns an error, never panics, on a bad magic or version, a zero count or
// size, a label outside 0..9, truncated input or trailing bytes; it allocates
// no more than the input actually provides.
func DecodeSprite(r io.Reader) (*Sprite, error) {
	hdr := make([]byte, spriteHeader)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, truncated("header", err)
	}
	if string(hdr[:4]) != SpriteMagic {
		return nil, fmt.Errorf("data: bad sprite magic %q, want %q", hdr[:4], SpriteMagic)
	}
	if hdr[4] != SpriteVersion {
		return nil, fmt.Errorf("data: unsupported sprite version %d, want %d", hdr[4], SpriteVersion)
	}
	s := &Sprite{N: int(binary.LittleEndian.Uint16(hdr[5:7])), Size: int(hdr[7])}
	if s.N == 0 || s.Size == 0 {
		return nil, fmt.Errorf("data: empty sprite (%d digits of side %d)", s.N, s.Size)
	}
	labels, err := readBytes(r, s.N)
	if err != nil {
		return nil, truncated("labels", err)
	}
	s.Labels = make([]int, s.N)
	for i, l := range labels {
		if l > 9 {
			return nil, fmt.Errorf("data: sprite label %d of digit %d outside 0..9", l, i)
		}
		s.Labels[i] = int(l)
	}
	if s.Pixels, err = readBytes(r, s.N*s.Size*s.Size); err != nil {
		return nil, truncated("pixels", err)
	}
	var extra [1]byte
	if n, _ := io.ReadFull(r, extra[:]); n > 0 {
		return nil, errors.New("data: trailing bytes after sprite")
	}
	return s, nil
}

// readBytes reads exactly n bytes from r, growing its buffer in chunks of at
// most 1 MiB so that a corrupt length cannot force a large allocation.
func readBytes(r io.Reader, n int) ([]byte, error) {
	const chunk = 1 << 20
	var buf bytes.Buffer
	for buf.Len() < n {
		if _, err := io.CopyN(&buf, r, int64(min(n-buf.Len(), chunk))); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// truncated wraps a read error of the named sprite section.
func truncated(section string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("data: sprite truncated in its %s: %w", section, io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("data: reading sprite %s: %w", section, err)
}

// WriteSpriteFile writes s in the SWDG encoding to the file path, replacing
// it if it exists.
func WriteSpriteFile(path string, s *Sprite) error {
	if err := s.validate(); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	w := bufio.NewWriter(f)
	err = s.Encode(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("data: %w", cerr)
	}
	return err
}
