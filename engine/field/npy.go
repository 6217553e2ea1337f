package field

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// This file implements the NumPy .npy format, described at
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html:
// the magic string "\x93NUMPY", a major and a minor version byte, the length
// of the header (uint16 little endian in version 1.0, uint32 in 2.0 and 3.0),
// the header (a Python dict literal padded with spaces and a final newline)
// and the raw array data.

const (
	npyMagic     = "\x93NUMPY"
	npyAlign     = 64      // total header length is a multiple of this
	npyGrowth    = 21      // numpy's GROWTH_AXIS_MAX_DIGITS
	maxHeaderLen = 1 << 20 // longest header ReadArray accepts
)

// DType is the element type of the data of a .npy file written by WriteArray
// and WriteNPY. The data are always written little endian.
type DType int

const (
	// Float32 is IEEE 754 binary32, the NumPy dtype '<f4' (numpy.float32).
	// Values are rounded to the nearest float32; values beyond its range
	// become infinities.
	Float32 DType = iota + 1
	// Float64 is IEEE 754 binary64, the NumPy dtype '<f8' (numpy.float64).
	Float64
)

// String returns the NumPy type descriptor of d: "<f4" or "<f8".
func (d DType) String() string {
	switch d {
	case Float32:
		return "<f4"
	case Float64:
		return "<f8"
	}
	return "DType(" + strconv.Itoa(int(d)) + ")"
}

// size returns the number of bytes per element of d, or 0 if d is invalid.
func (d DType) size() int {
	switch d {
	case Float32:
		return 4
	case Float64:
		return 8
	}
	return 0
}

// Array is an n-dimensional array of real values in C (row-major) order, the
// content of a .npy file: the element at index (i0, i1, …, ik) is
// Data[((i0·Shape[1] + i1)·Shape[2] + …)·Shape[k] + ik], and len(Data) is the
// product of Shape.
type Array struct {
	Shape []int
	Data  []float64
	// DType is the narrower of Float32 and Float64 that holds every value
	// of the file's element type exactly, the type to write results
	// derived from the array in: Float32 for float16, float32, bool and
	// integers of 8 and 16 bits, Float64 for float64 and integers of 32
	// and 64 bits. It is zero when the array was made in memory; writers
	// take the dtype as an argument.
	DType DType
}

// ReadArray reads one .npy array from r, leaving r positioned just after the
// array's data, so that consecutive arrays can be read from one stream.
//
// It accepts what numpy.save writes for a real array (NumPy Enhancement
// Proposal 1, "A simple file format for NumPy arrays", and the
// numpy.lib.format documentation): format versions 1.0, 2.0 and 3.0; the
// dtypes float16, float32 and float64 ('f2', 'f4', 'f8'), the signed and
// unsigned integers of 1, 2, 4 and 8 bytes ('i1' … 'i8', 'u1' … 'u8') and
// bool ('b1'), in either byte order ('<' little and '>' big endian, '=' and
// '|' read as little endian); C or Fortran order; and at least one
// dimension, with at most 1<<28 elements in all. Every element is read as a
// float64: integers beyond ±2⁵³ are rounded to the nearest float64, bool is
// 0 or 1 (any non-zero byte is 1), and float16 and float32 values are exact.
// A Fortran-ordered array (fortran_order True: the first index varies
// fastest in the file) is reordered into C order after its data are read,
// which takes a second buffer of its size. Any other input gives an error
// starting with "npy: "; ReadArray does not panic on malformed input.
func ReadArray(r io.Reader) (*Array, error) {
	h, err := readNPYHeader(r)
	if err != nil {
		return nil, err
	}
	et, err := parseDescr(h.descr)
	if err != nil {
		return nil, err
	}
	n, err := shapeLen(h.shape)
	if err != nil {
		return nil, err
	}
	data, err := readNPYData(r, n, et)
	if err != nil {
		return nil, err
	}
	if h.fortranOrder {
		data = fortranToC(data, h.shape)
	}
	return &Array{Shape: h.shape, Data: data, DType: et.dtype()}, nil
}

// readNPYHeader reads the magic string, version, header length and header
// dict of a .npy stream and parses the dict.
func readNPYHeader(r io.Reader) (npyHeader, error) {
	var pre [8]byte
	n, err := io.ReadFull(r, pre[:])
	if n == 0 && err != nil {
		if err == io.EOF {
			return npyHeader{}, errors.New("npy: empty input, not a .npy file")
		}
		return npyHeader{}, fmt.Errorf("npy: reading magic string: %w", err)
	}
	if m := min(n, len(npyMagic)); string(pre[:m]) != npyMagic[:m] {
		return npyHeader{}, fmt.Errorf("npy: bad magic string %s, not a .npy file", strconv.Quote(string(pre[:m])))
	}
	if err != nil {
		return npyHeader{}, truncated("header", n, len(pre), err)
	}
	var lenSize int
	switch major, minor := pre[6], pre[7]; {
	case major == 1 && minor == 0:
		lenSize = 2
	case (major == 2 || major == 3) && minor == 0:
		lenSize = 4
	default:
		return npyHeader{}, fmt.Errorf("npy: unsupported format version %d.%d (want 1.0, 2.0 or 3.0)", major, minor)
	}
	var lb [4]byte
	if n, err := io.ReadFull(r, lb[:lenSize]); err != nil {
		return npyHeader{}, truncated("header length", n, lenSize, err)
	}
	hlen := int(binary.LittleEndian.Uint32(lb[:]))
	if hlen > maxHeaderLen {
		return npyHeader{}, fmt.Errorf("npy: header too long: %d bytes exceeds the limit of %d", hlen, maxHeaderLen)
	}
	hdr := make([]byte, hlen)
	if n, err := io.ReadFull(r, hdr); err != nil {
		return npyHeader{}, truncated("header", n, hlen, err)
	}
	return parseHeader(hdr)
}

// truncated describes a short read of want bytes of which got arrived.
func truncated(what string, got, want int, err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("npy: truncated %s: got %d of %d bytes", what, got, want)
	}
	return fmt.Errorf("npy: reading %s: %w", what, err)
}

// npyType is the element type of the data of a .npy file: its kind ('f'
// IEEE 754 float, 'i' two's-complement signed integer, 'u' unsigned
// integer, 'b' bool), its size in bytes and its byte order.
type npyType struct {
	kind byte
	size int
	big  bool
}

// parseDescr decodes a dtype descriptor such as '<f8', '>i2' or '|u1': a
// byte-order character, a kind and a size in bytes (NumPy's array-interface
// type strings). It accepts the real types ReadArray documents.
func parseDescr(descr string) (npyType, error) {
	var t npyType
	if len(descr) == 3 && strings.IndexByte("<>=|", descr[0]) >= 0 {
		t = npyType{kind: descr[1], size: int(descr[2] - '0'), big: descr[0] == '>'}
	}
	switch {
	case t.kind == 'f' && (t.size == 2 || t.size == 4 || t.size == 8),
		(t.kind == 'i' || t.kind == 'u') && (t.size == 1 || t.size == 2 || t.size == 4 || t.size == 8),
		t.kind == 'b' && t.size == 1:
		return t, nil
	}
	return npyType{}, fmt.Errorf("npy: unsupported dtype %s (want a real number type: float16, float32, float64, a signed or unsigned integer of 1, 2, 4 or 8 bytes, or bool, such as '<f8', '<i4' or '|u1')", quoted(descr))
}

// dtype returns the narrower of Float32 and Float64 that holds every value
// of t exactly.
func (t npyType) dtype() DType {
	if t.size <= 2 || t.kind == 'f' && t.size == 4 {
		return Float32
	}
	return Float64
}

// decode appends the values of the elements of type t in b, whose length is
// a multiple of t.size, to dst.
func (t npyType) decode(dst []float64, b []byte) []float64 {
	var order binary.ByteOrder = binary.LittleEndian
	if t.big {
		order = binary.BigEndian
	}
	switch t.size {
	case 1:
		for _, c := range b {
			switch t.kind {
			case 'b':
				v := 0.0
				if c != 0 {
					v = 1
				}
				dst = append(dst, v)
			case 'i':
				dst = append(dst, float64(int8(c)))
			default:
				dst = append(dst, float64(c))
			}
		}
	case 2:
		for i := 0; i < len(b); i += 2 {
			u := order.Uint16(b[i:])
			switch t.kind {
			case 'f':
				dst = append(dst, float16(u))
			case 'i':
				dst = append(dst, float64(int16(u)))
			default:
				dst = append(dst, float64(u))
			}
		}
	case 4:
		for i := 0; i < len(b); i += 4 {
			u := order.Uint32(b[i:])
			switch t.kind {
			case 'f':
				dst = append(dst, float64(math.Float32frombits(u)))
			case 'i':
				dst = append(dst, float64(int32(u)))
			default:
				dst = append(dst, float64(u))
			}
		}
	default:
		for i := 0; i < len(b); i += 8 {
			u := order.Uint64(b[i:])
			switch t.kind {
			case 'f':
				dst = append(dst, math.Float64frombits(u))
			case 'i':
				dst = append(dst, float64(int64(u)))
			default:
				dst = append(dst, float64(u))
			}
		}
	}
	return dst
}

// float16 returns the value of the IEEE 754-2008 binary16 number with bits
// h (IEEE Std 754-2008, §3.6: 1 sign bit, 5 exponent bits with bias 15, 10
// fraction bits). NaNs become math.NaN().
func float16(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, frac := int(h>>10&0x1f), float64(h&0x3ff)
	switch exp {
	case 0: // zero and subnormals: frac·2⁻²⁴
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac == 0 {
			return sign * math.Inf(1)
		}
		return math.NaN()
	}
	return sign * math.Ldexp(1024+frac, exp-25) // (1 + frac/2¹⁰)·2^(exp−15)
}

// fortranToC returns the values of an array of the given shape stored in
// Fortran (column-major) order, first index fastest, in C order. data is
// returned as it is when at most one dimension exceeds 1, where both orders
// agree.
func fortranToC(data []float64, shape []int) []float64 {
	long := 0
	for _, d := range shape {
		if d > 1 {
			long++
		}
	}
	if long <= 1 {
		return data
	}
	k := len(shape)
	stride := make([]int, k) // Fortran strides: 1, d0, d0·d1, …
	stride[0] = 1
	for a := 1; a < k; a++ {
		stride[a] = stride[a-1] * shape[a-1]
	}
	out := make([]float64, len(data))
	idx := make([]int, k)
	src := 0
	for dst := range out {
		out[dst] = data[src]
		for a := k - 1; a >= 0; a-- { // the C index: last axis fastest
			idx[a]++
			src += stride[a]
			if idx[a] < shape[a] {
				break
			}
			src -= stride[a] * shape[a]
			idx[a] = 0
		}
	}
	return out
}

// shapeLen returns the number of elements of an array of the given shape,
// which must have at least one dimension, no negative dimension and at most
// maxElements elements.
func shapeLen(shape []int) (int, error) {
	if len(shape) == 0 {
		return 0, errors.New("npy: 0-d (scalar) arrays are not supported, want at least one dimension")
	}
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("npy: negative dimension in shape %s", formatShape(shape))
		}
		if d == 0 {
			return 0, nil
		}
	}
	n := 1
	for _, d := range shape {
		if d > maxElements/n {
			return 0, fmt.Errorf("npy: shape %s has more than %d elements", formatShape(shape), maxElements)
		}
		n *= d
	}
	return n, nil
}

// formatShape writes shape as a Python tuple: (), (5,), (2, 3).
func formatShape(shape []int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, d := range shape {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}

// readNPYData reads and decodes n elements of type t. It reads in chunks
// and grows the result as data arrive, so that a header announcing a huge
// array followed by little data costs little memory.
func readNPYData(r io.Reader, n int, t npyType) ([]float64, error) {
	total := n * t.size
	data := make([]float64, 0, min(n, 1<<16))
	buf := make([]byte, min(total, 64<<10)) // a multiple of every size
	for done := 0; done < total; {
		chunk := buf[:min(total-done, len(buf))]
		got, err := io.ReadFull(r, chunk)
		if err != nil {
			return nil, truncated("data", done+got, total, err)
		}
		done += got
		data = t.decode(data, chunk)
	}
	return data, nil
}

// WriteArray writes a as a .npy file with element type dt, as numpy.save
// does: format version 1.0 (2.0 only if the header does not fit in 1.0), C
// order, little endian, and a header padded with spaces and a newline to a
// multiple of 64 bytes, including numpy's spare room for growing the first
// axis. NaN and infinite values are written as they are.
//
// a must have at least one dimension, no negative dimension, at most 1<<28
// elements, and exactly as many values in Data as its shape holds.
func WriteArray(w io.Writer, a *Array, dt DType) error {
	hdr, err := encodeNPYHeader(a, dt)
	if err != nil {
		return err
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	return writeNPYData(w, a.Data, dt)
}

// encodeNPYHeader checks a and dt and returns the complete .npy header.
func encodeNPYHeader(a *Array, dt DType) ([]byte, error) {
	if a == nil {
		return nil, errors.New("npy: nil array")
	}
	if dt.size() == 0 {
		return nil, fmt.Errorf("npy: unsupported dtype %v (want Float32 or Float64)", dt)
	}
	n, err := shapeLen(a.Shape)
	if err != nil {
		return nil, err
	}
	if n != len(a.Data) {
		return nil, fmt.Errorf("npy: shape %s holds %d values but Data has %d", formatShape(a.Shape), n, len(a.Data))
	}
	dict := "{'descr': '" + dt.String() + "', 'fortran_order': False, 'shape': " + formatShape(a.Shape) + ", }"
	dict += strings.Repeat(" ", max(0, npyGrowth-len(strconv.Itoa(a.Shape[0]))))
	hlen := len(dict) + 1 // with the final newline
	version, lenSize := byte(1), 2
	pad := npyAlign - (len(npyMagic)+2+lenSize+hlen)%npyAlign
	if hlen+pad > math.MaxUint16 {
		version, lenSize = 2, 4
		pad = npyAlign - (len(npyMagic)+2+lenSize+hlen)%npyAlign
	}
	hdr := make([]byte, 0, len(npyMagic)+2+lenSize+hlen+pad)
	hdr = append(hdr, npyMagic...)
	hdr = append(hdr, version, 0)
	if lenSize == 2 {
		hdr = binary.LittleEndian.AppendUint16(hdr, uint16(hlen+pad))
	} else {
		hdr = binary.LittleEndian.AppendUint32(hdr, uint32(hlen+pad))
	}
	hdr = append(hdr, dict...)
	for range pad {
		hdr = append(hdr, ' ')
	}
	return append(hdr, '\n'), nil
}

// writeNPYData writes data little endian as dt through a fixed-size buffer.
func writeNPYData(w io.Writer, data []float64, dt DType) error {
	size := dt.size()
	buf := make([]byte, 0, min(len(data)*size, 32<<10))
	for len(data) > 0 {
		k := min(len(data), cap(buf)/size)
		buf = buf[:0]
		if dt == Float32 {
			for _, v := range data[:k] {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(v)))
			}
		} else {
			for _, v := range data[:k] {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
			}
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		data = data[k:]
	}
	return nil
}

// ReadNPY reads a .npy array of shape (H, W) or (1, H, W) from r as a W×H
// field. Other shapes, including ones with a zero dimension, are errors; see
// ReadArray for the accepted files.
func ReadNPY(r io.Reader) (*Field, error) {
	a, err := ReadArray(r)
	if err != nil {
		return nil, err
	}
	return a.field()
}

// field returns a as a field sharing its data, if its shape is (H, W) or
// (1, H, W).
func (a *Array) field() (*Field, error) {
	var w, h int
	switch s := a.Shape; {
	case len(s) == 2:
		h, w = s[0], s[1]
	case len(s) == 3 && s[0] == 1:
		h, w = s[1], s[2]
	default:
		return nil, fmt.Errorf("npy: shape %s is not a 2-D field (want (H, W) or (1, H, W))", formatShape(a.Shape))
	}
	if w == 0 || h == 0 {
		return nil, fmt.Errorf("npy: shape %s is an empty field", formatShape(a.Shape))
	}
	return FromSlice(w, h, a.Data)
}

// WriteNPY writes f as a .npy array of shape (H, W) with element type dt.
func WriteNPY(w io.Writer, f *Field, dt DType) error {
	if err := checkField(f); err != nil {
		return err
	}
	return WriteArray(w, &Array{Shape: []int{f.H, f.W}, Data: f.Data}, dt)
}

// ReadArrayFile reads the .npy file at path; see ReadArray.
func ReadArrayFile(path string) (*Array, error) {
	fd, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	a, err := ReadArray(bufio.NewReader(fd))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// ReadNPYFile reads the .npy file at path as a field; see ReadNPY.
func ReadNPYFile(path string) (*Field, error) {
	a, err := ReadArrayFile(path)
	if err != nil {
		return nil, err
	}
	f, err := a.field()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// WriteArrayFile writes a to a .npy file at path, creating or truncating it;
// see WriteArray. Invalid input is reported before the file is touched, and
// on a write error the partial file is removed.
func WriteArrayFile(path string, a *Array, dt DType) error {
	hdr, err := encodeNPYHeader(a, dt)
	if err != nil {
		return err
	}
	return writeFile(path, func(w io.Writer) error {
		if _, err := w.Write(hdr); err != nil {
			return err
		}
		return writeNPYData(w, a.Data, dt)
	})
}

// WriteNPYFile writes f to a .npy file of shape (H, W) at path; see
// WriteArrayFile.
func WriteNPYFile(path string, f *Field, dt DType) error {
	if err := checkField(f); err != nil {
		return err
	}
	return WriteArrayFile(path, &Array{Shape: []int{f.H, f.W}, Data: f.Data}, dt)
}

// writeFile creates path, writes it through a buffer with write and closes
// it, removing the file if anything fails.
func writeFile(path string, write func(io.Writer) error) error {
	fd, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(fd)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := fd.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return err
	}
	return nil
}
