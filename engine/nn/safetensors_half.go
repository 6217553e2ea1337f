package nn

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"maps"
)

// Metadata keys that SafetensorsToF16 adds to the float16 copy.
const (
	// MetaDtype is "F16" in a copy written by SafetensorsToF16.
	MetaDtype = "dtype"
	// MetaFrom is the lowercase hex SHA-256 of the F32 file a float16 copy
	// was made from.
	MetaFrom = "from"
)

// SafetensorsToF16 returns a copy of the safetensors file src (every tensor
// F32) with every tensor stored as F16 (IEEE 754-2008 binary16, little
// endian, each value rounded to the nearest half, ties to even): half the
// data bytes, 11 significant bits per weight. The metadata are kept, with
// MetaDtype set to "F16" and MetaFrom to the hex SHA-256 of src. It fails
// when src is malformed (as ReadSafetensors says), already
// holds an F16 tensor, or has a value that would round beyond ±65504.
func SafetensorsToF16(src []byte) ([]byte, error) {
	ts, dtypes, md, err := readSafetensors(bytes.NewReader(src), 0)
	if err != nil {
		return nil, err
	}
	for i, d := range dtypes {
		if d != DtypeF32 {
			return nil, stErrorf("tensor %s is already %s: convert the F32 original", ts[i].Name, d)
		}
	}
	out := maps.Clone(md)
	if out == nil {
		out = map[string]string{}
	}
	sum := sha256.Sum256(src)
	out[MetaDtype] = DtypeF16
	out[MetaFrom] = hex.EncodeToString(sum[:])
	var buf bytes.Buffer
	buf.Grow(len(src) / 2)
	if err := WriteSafetensorsDtype(&buf, ts, out, DtypeF16); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
