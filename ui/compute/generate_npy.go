package compute

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"scalewise/engine/field"
)

// writeNPY32 writes the float32 values of parts, one after the other, as a
// .npy array of the given shape (format 1.0, little-endian '<f4', C order,
// the header padded to a multiple of 64 bytes, as numpy.save writes it),
// without converting the trajectory to float64 first.
func writeNPY32(w io.Writer, shape []int, parts ...[]float32) error {
	n, total := 1, 0
	dims := make([]string, len(shape))
	for i, d := range shape {
		if d < 1 {
			return fmt.Errorf("npy: shape %v", shape)
		}
		n *= d
		dims[i] = strconv.Itoa(d)
	}
	for _, p := range parts {
		total += len(p)
	}
	if total != n {
		return fmt.Errorf("npy: %d values for shape %v", total, shape)
	}
	tuple := strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	dict := "{'descr': '<f4', 'fortran_order': False, 'shape': (" + tuple + "), }"
	hlen := len(dict) + 1
	pad := (64 - (10+hlen)%64) % 64
	if hlen+pad > math.MaxUint16 {
		return fmt.Errorf("npy: header of %d bytes", hlen+pad)
	}
	hdr := make([]byte, 0, 10+hlen+pad)
	hdr = append(hdr, "\x93NUMPY\x01\x00"...)
	hdr = binary.LittleEndian.AppendUint16(hdr, uint16(hlen+pad))
	hdr = append(hdr, dict...)
	hdr = append(hdr, bytes.Repeat([]byte{' '}, pad)...)
	hdr = append(hdr, '\n')
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	buf := make([]byte, 0, 32<<10)
	for _, p := range parts {
		for _, v := range p {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	_, err := w.Write(buf)
	return err
}

// readGenTrajectory reads a "trajectory" export of a size×size run (from
// the other engine): a .npy array of shape (R, 2, size, size), R ≥ 1, of
// finite real values (field.ReadArray: any version, dtype and order
// numpy writes), as its rows.
func readGenTrajectory(data []byte, size int) ([]genRow, error) {
	a, err := field.ReadArray(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	s := a.Shape
	if len(s) != 4 || s[0] < 1 || s[1] != 2 || s[2] != size || s[3] != size {
		return nil, fmt.Errorf("shape %v is not a trajectory of %d×%d images (want [rows, 2, %d, %d], the trajectory export of a run of size %d)",
			s, size, size, size, size, size)
	}
	n := size * size
	rows := make([]genRow, s[0])
	for i := range rows {
		r := genRow{t: i, y: make([]float32, n), xh: make([]float32, n)}
		for k := range n {
			y, xh := a.Data[(2*i)*n+k], a.Data[(2*i+1)*n+k]
			if math.IsNaN(y+xh) || math.IsInf(y+xh, 0) {
				return nil, fmt.Errorf("row %d holds a non-finite value", i)
			}
			r.y[k], r.xh[k] = float32(y), float32(xh)
		}
		rows[i] = r
	}
	return rows, nil
}
