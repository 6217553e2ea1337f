package nn

// This file reads and writes the safetensors format of Hugging Face
// (https://huggingface.co/docs/safetensors): an 8-byte little-endian uint64 N,
// N bytes of JSON header, then the raw tensor data. The header maps each
// tensor name to {"dtype", "shape", "data_offsets": [begin, end]}, with the
// offsets relative to the start of the data section, and may hold a
// "__metadata__" object of string values. Tensors are row-major and little
// endian; their data regions tile the data section with no holes or overlaps.
// Two dtypes are supported: F32 (IEEE 754 binary32) and F16 (IEEE 754-2008
// binary16, see half.go); both read as float32, and F32 is what is written
// unless F16 is asked for.

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The safetensors dtypes this package reads and writes.
const (
	// DtypeF32 is IEEE 754 binary32, little endian: 4 bytes per element.
	DtypeF32 = "F32"
	// DtypeF16 is IEEE 754-2008 binary16, little endian: 2 bytes per
	// element, 11 significant bits, finite values up to ±65504 (MaxHalf).
	DtypeF16 = "F16"
)

// stDtypeSize returns the bytes per element of a supported dtype, 0 for
// any other.
func stDtypeSize(dtype string) int64 {
	switch dtype {
	case DtypeF32:
		return 4
	case DtypeF16:
		return 2
	}
	return 0
}

// NamedTensor is a named float32 tensor stored row-major, as read from or
// written to a safetensors file. A scalar has an empty Shape and one element.
type NamedTensor struct {
	Name  string
	Shape []int
	Data  []float32
}

const (
	// stMaxHeaderBytes bounds the JSON header, as the reference
	// implementation does.
	stMaxHeaderBytes = 100_000_000
	// stMetadataKey is the reserved header key for the string metadata.
	stMetadataKey = "__metadata__"
	// stMaxElements bounds the element count of one tensor so that its byte
	// size (at most 4 per element) fits an int64.
	stMaxElements = math.MaxInt64 / 4
)

// stErrorf formats an error with the "safetensors: " prefix.
func stErrorf(format string, args ...any) error {
	return fmt.Errorf("safetensors: "+format, args...)
}

// stNumel returns the number of elements of shape, or an error if a dimension
// is negative or the product overflows.
func stNumel(shape []int) (int64, error) {
	n := int64(1)
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension %d in shape %v", d, shape)
		}
		if d != 0 && n > stMaxElements/int64(d) {
			return 0, fmt.Errorf("shape %v has too many elements", shape)
		}
		n *= int64(d)
	}
	return n, nil
}

// WriteSafetensors writes tensors to w in the safetensors format, as F32
// little endian: WriteSafetensorsDtype with DtypeF32.
func WriteSafetensors(w io.Writer, tensors []NamedTensor, metadata map[string]string) error {
	return WriteSafetensorsDtype(w, tensors, metadata, DtypeF32)
}

// WriteSafetensorsDtype writes tensors to w in the safetensors format, every
// tensor stored as dtype: DtypeF32 (IEEE 754 binary32, exact) or DtypeF16
// (IEEE 754-2008 binary16, each value rounded to the nearest half, ties to
// even; values that round beyond ±65504 are an error, not infinities). The
// header lists the tensors sorted by name (and their data follows in that
// order), so the output is deterministic; it is padded with spaces to a
// multiple of 8 bytes. A non-empty metadata map is written as the
// "__metadata__" entry. It rejects empty, duplicate, reserved ("__metadata__")
// or non-UTF-8 names, non-UTF-8 metadata, negative dimensions, shapes whose
// element count differs from len(Data), NaN or infinite values (weights
// must be finite), values out of the dtype's range and other dtypes, naming
// the offending tensor; nothing is written when the input is rejected.
func WriteSafetensorsDtype(w io.Writer, tensors []NamedTensor, metadata map[string]string, dtype string) error {
	size := stDtypeSize(dtype)
	if size == 0 {
		return stErrorf("cannot write dtype %q (want %s or %s)", dtype, DtypeF32, DtypeF16)
	}
	sorted := slices.Clone(tensors)
	slices.SortFunc(sorted, func(a, b NamedTensor) int { return strings.Compare(a.Name, b.Name) })

	var hdr bytes.Buffer
	hdr.WriteByte('{')
	for k, v := range metadata {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return stErrorf("metadata entry %q is not valid UTF-8", k)
		}
	}
	if len(metadata) > 0 {
		mb, err := json.Marshal(metadata) // map keys come out sorted
		if err != nil {
			return stErrorf("encoding metadata: %v", err)
		}
		hdr.WriteString(`"` + stMetadataKey + `":`)
		hdr.Write(mb)
	}
	var offset int64
	var halves [][]uint16 // F16: each tensor's values, converted before anything is written
	for i, t := range sorted {
		switch {
		case t.Name == "":
			return stErrorf("tensor with empty name")
		case !utf8.ValidString(t.Name):
			return stErrorf("tensor name %q is not valid UTF-8", t.Name)
		case t.Name == stMetadataKey:
			return stErrorf("tensor name %q is reserved", t.Name)
		case i > 0 && sorted[i-1].Name == t.Name:
			return stErrorf("duplicate tensor name %q", t.Name)
		}
		n, err := stNumel(t.Shape)
		if err != nil {
			return stErrorf("tensor %s: %v", t.Name, err)
		}
		if n != int64(len(t.Data)) {
			return stErrorf("tensor %s: shape %v has %d elements but data has %d", t.Name, t.Shape, n, len(t.Data))
		}
		for j, v := range t.Data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return stErrorf("tensor %s: element %d is %v; weights must be finite", t.Name, j, v)
			}
		}
		if dtype == DtypeF16 {
			hs := make([]uint16, len(t.Data))
			for j, v := range t.Data {
				h, err := HalfFromFloat32(v)
				if err != nil {
					return stErrorf("tensor %s: element %d is %v, beyond the F16 range (largest finite ±%d); write it as F32", t.Name, j, v, MaxHalf)
				}
				hs[j] = h
			}
			halves = append(halves, hs)
		}
		name, err := json.Marshal(t.Name)
		if err != nil {
			return stErrorf("encoding name of tensor %s: %v", t.Name, err)
		}
		if hdr.Len() > 1 {
			hdr.WriteByte(',')
		}
		hdr.Write(name)
		hdr.WriteString(`:{"dtype":"` + dtype + `","shape":[`)
		for k, d := range t.Shape {
			if k > 0 {
				hdr.WriteByte(',')
			}
			hdr.WriteString(strconv.Itoa(d))
		}
		end := offset + size*n
		fmt.Fprintf(&hdr, `],"data_offsets":[%d,%d]}`, offset, end)
		offset = end
	}
	hdr.WriteByte('}')
	for hdr.Len()%8 != 0 {
		hdr.WriteByte(' ')
	}
	if hdr.Len() > stMaxHeaderBytes {
		return stErrorf("header of %d bytes exceeds the limit of %d", hdr.Len(), stMaxHeaderBytes)
	}

	bw := bufio.NewWriterSize(w, 1<<16)
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(hdr.Len()))
	bw.Write(lenBuf[:])
	bw.Write(hdr.Bytes())
	var chunk [4 * 1024]byte
	if dtype == DtypeF16 {
		for _, hs := range halves {
			for len(hs) > 0 {
				k := min(len(hs), len(chunk)/2)
				for j, h := range hs[:k] {
					binary.LittleEndian.PutUint16(chunk[2*j:], h)
				}
				bw.Write(chunk[:2*k])
				hs = hs[k:]
			}
		}
	} else {
		for _, t := range sorted {
			for len(t.Data) > 0 {
				k := min(len(t.Data), len(chunk)/4)
				for j, v := range t.Data[:k] {
					binary.LittleEndian.PutUint32(chunk[4*j:], math.Float32bits(v))
				}
				bw.Write(chunk[:4*k])
				t.Data = t.Data[k:]
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return stErrorf("write: %w", err)
	}
	return nil
}

// stEntry is one tensor of a parsed header.
type stEntry struct {
	name       string
	dtype      string // DtypeF32 or DtypeF16
	shape      []int
	begin, end int64
}

// stRawEntry is the JSON form of a tensor's header entry. Pointers tell
// missing fields from empty ones.
type stRawEntry struct {
	Dtype       *string            `json:"dtype"`
	Shape       *[]json.RawMessage `json:"shape"`
	DataOffsets *[]json.RawMessage `json:"data_offsets"`
}

// stParseHeader decodes and validates the JSON header: the tensor entries,
// sorted by data offset, and the metadata (nil when absent). It checks that
// the entries tile [0, dataLen) exactly and returns dataLen.
func stParseHeader(hdr []byte) (entries []stEntry, metadata map[string]string, dataLen int64, err error) {
	dec := json.NewDecoder(bytes.NewReader(hdr))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, 0, stErrorf("invalid JSON header: %v", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, 0, stErrorf("header is not a JSON object")
	}
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, 0, stErrorf("invalid JSON header: %v", err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, nil, 0, stErrorf("invalid JSON header: unexpected %v", tok)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, 0, stErrorf("invalid JSON header: %v", err)
		}
		if seen[name] {
			return nil, nil, 0, stErrorf("duplicate header key %q", name)
		}
		seen[name] = true
		if name == stMetadataKey {
			if metadata, err = stParseMetadata(raw); err != nil {
				return nil, nil, 0, err
			}
			continue
		}
		e, err := stParseEntry(name, raw)
		if err != nil {
			return nil, nil, 0, err
		}
		entries = append(entries, e)
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, nil, 0, stErrorf("invalid JSON header: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, 0, stErrorf("invalid JSON header: data after the header object")
	}

	slices.SortStableFunc(entries, func(a, b stEntry) int {
		if c := cmp.Compare(a.begin, b.begin); c != 0 {
			return c
		}
		return cmp.Compare(a.end, b.end)
	})
	for i, e := range entries {
		switch {
		case i == 0 && e.begin != 0:
			return nil, nil, 0, stErrorf("tensor %s starts at data offset %d; the first tensor must start at 0", e.name, e.begin)
		case i > 0 && e.begin < dataLen:
			return nil, nil, 0, stErrorf("tensor %s (data offsets [%d, %d]) overlaps tensor %s, whose data ends at %d",
				e.name, e.begin, e.end, entries[i-1].name, dataLen)
		case i > 0 && e.begin > dataLen:
			return nil, nil, 0, stErrorf("hole in data section: bytes [%d, %d) before tensor %s belong to no tensor", dataLen, e.begin, e.name)
		}
		dataLen = e.end
	}
	return entries, metadata, dataLen, nil
}

// stParseMetadata decodes the "__metadata__" entry, which must be an object
// of string values.
func stParseMetadata(raw json.RawMessage) (map[string]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, stErrorf("%s is not a JSON object", stMetadataKey)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, stErrorf("invalid %s: %v", stMetadataKey, err)
	}
	md := make(map[string]string, len(m))
	for k, v := range m {
		v = bytes.TrimSpace(v)
		var s string
		if len(v) == 0 || v[0] != '"' || json.Unmarshal(v, &s) != nil {
			return nil, stErrorf("%s value for key %q is %s; want a string", stMetadataKey, k, stClip(v))
		}
		md[k] = s
	}
	return md, nil
}

// stClip shortens b for an error message.
func stClip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}

// stParseCount parses a JSON value that must be a non-negative integer
// literal fitting an int64: no sign, fraction, exponent or quotes.
func stParseCount(raw json.RawMessage) (int64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0, false
	}
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(string(raw), 10, 64)
	return v, err == nil
}

// stParseEntry decodes and checks one tensor entry of the header.
func stParseEntry(name string, raw json.RawMessage) (stEntry, error) {
	e := stEntry{name: name}
	if name == "" {
		return e, stErrorf("tensor with empty name")
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return e, stErrorf("tensor %s: entry is not a JSON object", name)
	}
	var r stRawEntry
	if err := json.Unmarshal(raw, &r); err != nil {
		return e, stErrorf("tensor %s: invalid entry: %v", name, err)
	}
	switch {
	case r.Dtype == nil:
		return e, stErrorf("tensor %s: missing dtype", name)
	case r.Shape == nil:
		return e, stErrorf("tensor %s: missing shape", name)
	case r.DataOffsets == nil:
		return e, stErrorf("tensor %s: missing data_offsets", name)
	}
	size := stDtypeSize(*r.Dtype)
	if size == 0 {
		return e, stErrorf("tensor %s has dtype %s; want %s or %s", name, *r.Dtype, DtypeF32, DtypeF16)
	}
	e.dtype = *r.Dtype
	e.shape = make([]int, len(*r.Shape))
	for i, d := range *r.Shape {
		v, ok := stParseCount(d)
		if !ok || int64(int(v)) != v {
			return e, stErrorf("tensor %s: invalid dimension %s in shape", name, stClip(d))
		}
		e.shape[i] = int(v)
	}
	n, err := stNumel(e.shape)
	if err != nil {
		return e, stErrorf("tensor %s: %v", name, err)
	}
	if len(*r.DataOffsets) != 2 {
		return e, stErrorf("tensor %s: data_offsets has %d values; want 2", name, len(*r.DataOffsets))
	}
	var off [2]int64
	for i, o := range *r.DataOffsets {
		v, ok := stParseCount(o)
		if !ok {
			return e, stErrorf("tensor %s: invalid data offset %s", name, stClip(o))
		}
		off[i] = v
	}
	e.begin, e.end = off[0], off[1]
	if e.begin > e.end {
		return e, stErrorf("tensor %s: data_offsets [%d, %d] end before they begin", name, e.begin, e.end)
	}
	if e.end-e.begin != size*n {
		return e, stErrorf("tensor %s: shape %v needs %d bytes of %s but data_offsets [%d, %d] span %d",
			name, e.shape, size*n, e.dtype, e.begin, e.end, e.end-e.begin)
	}
	return e, nil
}

// ReadSafetensors reads a safetensors file holding F32 or F16 tensors (IEEE
// 754 binary32 or IEEE 754-2008 binary16; a file may mix them) from r,
// converting F16 values to float32 exactly. It returns the tensors sorted
// by name and the "__metadata__" strings (nil when
// the file has none). maxBytes bounds the whole file (length prefix, header
// and data); maxBytes <= 0 means no bound beyond the 100 MB header limit.
// Memory use is proportional to the bytes actually present, whatever the
// header claims: when r can tell how many bytes it holds (an *os.File of a
// regular file, or a reader with a Len method such as *bytes.Reader), a
// header that claims more fails at once, before anything of that size is
// allocated; otherwise the data are read in chunks that grow with the bytes
// read, so a short input fails as soon as it ends.
//
// Every malformed input gives an error prefixed "safetensors: " (never a
// panic): a truncated file, an oversized or invalid header, a dtype other
// than F32 or F16, a shape that overflows or disagrees with its data
// offsets, data regions that overlap, leave holes or extend past the data,
// bytes after the last tensor, NaN or infinite values (of either dtype), and
// non-string metadata.
func ReadSafetensors(r io.Reader, maxBytes int64) (tensors []NamedTensor, metadata map[string]string, err error) {
	tensors, _, metadata, err = readSafetensors(r, maxBytes)
	return tensors, metadata, err
}

// readSafetensors is ReadSafetensors that also returns each tensor's dtype
// in the file (dtypes[i] for tensors[i]).
func readSafetensors(r io.Reader, maxBytes int64) (tensors []NamedTensor, dtypes []string, metadata map[string]string, err error) {
	var lenBuf [8]byte
	if n, err := io.ReadFull(r, lenBuf[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, nil, nil, stErrorf("truncated file: %d bytes, need 8 for the header length", n)
		}
		return nil, nil, nil, stErrorf("read: %w", err)
	}
	hlen := binary.LittleEndian.Uint64(lenBuf[:])
	if hlen > stMaxHeaderBytes {
		return nil, nil, nil, stErrorf("header length %d exceeds the limit of %d bytes", hlen, stMaxHeaderBytes)
	}
	if maxBytes > 0 && int64(hlen) > maxBytes-8 {
		return nil, nil, nil, stErrorf("header length %d exceeds the file size limit of %d bytes", hlen, maxBytes)
	}
	left, sized := stRemaining(r)
	if sized && int64(hlen) > left {
		return nil, nil, nil, stErrorf("truncated file: header length is %d but only %d header bytes follow", hlen, left)
	}
	// Read through a buffer that grows with the input rather than allocating
	// what the header claims up front.
	var hdr bytes.Buffer
	if n, err := io.CopyN(&hdr, r, int64(hlen)); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, nil, stErrorf("truncated file: header length is %d but only %d header bytes follow", hlen, n)
		}
		return nil, nil, nil, stErrorf("read: %w", err)
	}
	entries, metadata, dataLen, err := stParseHeader(hdr.Bytes())
	if err != nil {
		return nil, nil, nil, err
	}
	if maxBytes > 0 && dataLen > maxBytes-8-int64(hlen) {
		return nil, nil, nil, stErrorf("file of %d bytes exceeds the limit of %d bytes", 8+int64(hlen)+dataLen, maxBytes)
	}
	if sized && dataLen > left-int64(hlen) {
		return nil, nil, nil, stErrorf("truncated file: tensors need %d data bytes but only %d follow the header", dataLen, left-int64(hlen))
	}
	buf, err := stReadData(r, dataLen, sized)
	if err != nil {
		return nil, nil, nil, err
	}
	var one [1]byte
	if n, err := io.ReadFull(r, one[:]); n > 0 {
		return nil, nil, nil, stErrorf("trailing garbage after the last tensor (data section should end at %d bytes)", dataLen)
	} else if !errors.Is(err, io.EOF) {
		return nil, nil, nil, stErrorf("read: %w", err)
	}

	slices.SortFunc(entries, func(a, b stEntry) int { return strings.Compare(a.name, b.name) })
	tensors = make([]NamedTensor, len(entries))
	dtypes = make([]string, len(entries))
	for i, e := range entries {
		raw := buf[e.begin:e.end]
		var vals []float32
		if e.dtype == DtypeF16 {
			vals = make([]float32, len(raw)/2)
			for j := range vals {
				vals[j] = HalfToFloat32(binary.LittleEndian.Uint16(raw[2*j:]))
			}
		} else {
			vals = make([]float32, len(raw)/4)
			for j := range vals {
				vals[j] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
			}
		}
		for j, v := range vals {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, nil, nil, stErrorf("tensor %s is corrupted: element %d is %v", e.name, j, v)
			}
		}
		tensors[i] = NamedTensor{Name: e.name, Shape: e.shape, Data: vals}
		dtypes[i] = e.dtype
	}
	return tensors, dtypes, metadata, nil
}

// stChunk is the smallest step by which stReadData grows its buffer when
// the size of the input is unknown.
const stChunk = 1 << 20

// stRemaining returns the number of bytes r holds from its current position
// when r can tell without reading: an *os.File of a regular file (its size
// less the offset) or a reader with a Len method (*bytes.Reader,
// *strings.Reader, *bytes.Buffer). ok is false otherwise.
func stRemaining(r io.Reader) (n int64, ok bool) {
	switch v := r.(type) {
	case *os.File:
		st, err := v.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return 0, false
		}
		off, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, false
		}
		return max(0, st.Size()-off), true
	case interface{ Len() int }:
		return int64(v.Len()), true
	}
	return 0, false
}

// stReadData reads the n bytes of the data section. When the input is known
// to hold them (sized), it allocates them at once; otherwise it reads in
// chunks, at least stChunk and at most doubling what it has, so that memory
// stays proportional to the bytes present and a short input fails as soon
// as it ends.
func stReadData(r io.Reader, n int64, sized bool) ([]byte, error) {
	var buf []byte
	if sized {
		buf = make([]byte, 0, n)
	}
	for int64(len(buf)) < n {
		k := int(min(n-int64(len(buf)), max(int64(len(buf)), stChunk)))
		buf = slices.Grow(buf, k)
		got, err := io.ReadFull(r, buf[len(buf):len(buf)+k])
		buf = buf[:len(buf)+got]
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, stErrorf("truncated file: tensors need %d data bytes but only %d follow the header", n, len(buf))
		}
		if err != nil {
			return nil, stErrorf("read: %w", err)
		}
	}
	return buf, nil
}

// SHA256File returns the lowercase hex SHA-256 digest of the file at path.
func SHA256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("sha256 %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
