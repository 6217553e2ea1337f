package data

import (
	"strings"
	"sync"
	"testing"
)

func TestPad28To32(t *testing.T) {
	for _, n := range []int{0, 1, 783, 785, 1024} {
		if f, err := Pad28To32(make([]byte, n)); err == nil || f != nil {
			t.Errorf("Pad28To32(%d bytes) = %v, %v; want an error", n, f, err)
		}
	}
	img := make([]byte, 28*28)
	for i := range img {
		img[i] = byte(i % 256)
	}
	img[0], img[28*28-1] = 255, 255
	f, err := Pad28To32(img)
	if err != nil {
		t.Fatal(err)
	}
	if f.W != 32 || f.H != 32 {
		t.Fatalf("got %d×%d, want 32×32", f.W, f.H)
	}
	tests := []struct {
		x, y int
		want float64
	}{
		{0, 0, 0}, {1, 1, 0}, {31, 31, 0}, {30, 30, 0}, {2, 1, 0}, {1, 2, 0},
		{2, 2, 1}, {29, 29, 1},
		{3, 2, 1.0 / 255}, {2, 3, float64(28%256) / 255}, {10, 20, float64((18*28+8)%256) / 255},
	}
	for _, tt := range tests {
		if got := f.At(tt.x, tt.y); got != tt.want {
			t.Errorf("At(%d, %d) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
	for y := 0; y < 32; y++ {
		for x := 0; x < 32; x++ {
			inside := x >= 2 && x < 30 && y >= 2 && y < 30
			if !inside && f.At(x, y) != 0 {
				t.Fatalf("border pixel (%d, %d) = %v, want 0", x, y, f.At(x, y))
			}
		}
	}
}

func TestLoadMNISTMissing(t *testing.T) {
	for _, dir := range []string{t.TempDir(), "/nonexistent/scalewise/mnist"} {
		train, test, err := LoadMNIST(dir)
		if err == nil || train != nil || test != nil {
			t.Errorf("LoadMNIST(%q) = %v, %v, %v; want an error", dir, train, test, err)
			continue
		}
		if !strings.Contains(err.Error(), "missing") {
			t.Errorf("LoadMNIST(%q) error %q does not say what is missing", dir, err)
		}
	}
}

// loadModuleMNIST loads MNIST from the GoMNIST module once per test binary,
// skipping where the module cache cannot be reached (e.g. GOOS=js).
var loadModuleMNIST = sync.OnceValues(func() ([2]*Digits, error) {
	dir, err := MNISTDataDir()
	if err != nil {
		return [2]*Digits{}, err
	}
	train, test, err := LoadMNIST(dir)
	return [2]*Digits{train, test}, err
})

func moduleMNIST(t *testing.T) (train, test *Digits) {
	t.Helper()
	if testing.Short() {
		t.Skip("loading MNIST in -short mode")
	}
	if _, err := MNISTDataDir(); err != nil {
		t.Skipf("MNIST module data unavailable: %v", err)
	}
	sets, err := loadModuleMNIST()
	if err != nil {
		t.Fatalf("LoadMNIST: %v", err)
	}
	return sets[0], sets[1]
}

func TestLoadMNIST(t *testing.T) {
	train, test := moduleMNIST(t)
	tests := []struct {
		name      string
		d         *Digits
		n         int
		firstLbl  int
		minPerLbl int
	}{
		// The first training digit is a 5 and the first test digit a 7
		// (LeCun et al.'s file order).
		{"train", train, 60000, 5, 5000},
		{"test", test, 10000, 7, 800},
	}
	for _, tt := range tests {
		if tt.d.Len() != tt.n || len(tt.d.Labels) != tt.n {
			t.Fatalf("%s: %d images, %d labels; want %d", tt.name, tt.d.Len(), len(tt.d.Labels), tt.n)
		}
		if tt.d.Labels[0] != tt.firstLbl {
			t.Errorf("%s: first label %d, want %d", tt.name, tt.d.Labels[0], tt.firstLbl)
		}
		var counts [10]int
		for i, img := range tt.d.Images {
			l := tt.d.Labels[i]
			if l < 0 || l > 9 {
				t.Fatalf("%s: label %d of digit %d", tt.name, l, i)
			}
			counts[l]++
			if img.W != 32 || img.H != 32 || len(img.Data) != 1024 {
				t.Fatalf("%s: digit %d is %d×%d", tt.name, i, img.W, img.H)
			}
			lo, hi := img.MinMax()
			if lo < 0 || hi > 1 || hi == 0 {
				t.Fatalf("%s: digit %d values in [%v, %v]", tt.name, i, lo, hi)
			}
			for y := 0; y < 32; y++ {
				for x := 0; x < 32; x++ {
					if (x < 2 || x >= 30 || y < 2 || y >= 30) && img.At(x, y) != 0 {
						t.Fatalf("%s: digit %d padding pixel (%d, %d) = %v", tt.name, i, x, y, img.At(x, y))
					}
				}
			}
		}
		for l, c := range counts {
			if c < tt.minPerLbl {
				t.Errorf("%s: only %d digits with label %d", tt.name, c, l)
			}
		}
	}
}
