package compute

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The series codec: numbers for the canvas app's plots travel in the
// frame buffer, not in the JSON header, whose decoding in wasm costs much
// more. A series is a one-row entry of the image table whose 4-byte cells
// are float32 values (little endian).

// AddSeries stores xs as float32 values under name. NaN and ±Inf become 0.
func (fr *Frames) AddSeries(name string, xs []float64) error {
	if len(xs) == 0 {
		return fmt.Errorf("series %s is empty", name)
	}
	b := make([]byte, 4*len(xs))
	for i, v := range xs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(v)))
	}
	return fr.AddRGBA(name, len(xs), 1, b)
}

// namedSeries is a series and its name in the image table.
type namedSeries struct {
	name string
	xs   []float64
}

// addSeries stores each series, in order.
func (fr *Frames) addSeries(ss ...namedSeries) error {
	for _, s := range ss {
		if err := fr.AddSeries(s.name, s.xs); err != nil {
			return err
		}
	}
	return nil
}
