package denoise

import (
	"strings"
	"testing"

	"scalewise/engine/data"
	"scalewise/engine/field"
)

// fakeMNIST returns 60,000 training and 100 test "digits", each a 1×1
// field holding its index (training) or −1 − index (test), so that a
// drawn image names where it came from.
func fakeMNIST() (train, test *data.Digits) {
	train, test = &data.Digits{}, &data.Digits{}
	for i := 0; i < 2*MNISTMaxSubset; i++ {
		f := field.New(1, 1)
		f.Data[0] = float64(i)
		train.Images = append(train.Images, f)
		train.Labels = append(train.Labels, i%10)
	}
	for i := 0; i < 100; i++ {
		f := field.New(1, 1)
		f.Data[0] = float64(-1 - i)
		test.Images = append(test.Images, f)
		test.Labels = append(test.Labels, i%10)
	}
	return train, test
}

func TestMNISTSubsets(t *testing.T) {
	train, test := fakeMNIST()
	for _, c := range []struct {
		subset string
		n      int
		first  int
	}{
		{MNISTSubsetS1, 1, 0}, {MNISTSubsetS2, 1, MNISTMaxSubset},
		{MNISTSubsetS1, 10, 0}, {MNISTSubsetS2, 10, MNISTMaxSubset},
		{MNISTSubsetS1, MNISTMaxSubset, 0}, {MNISTSubsetS2, MNISTMaxSubset, MNISTMaxSubset},
	} {
		d, err := NewMNISTDataset(train, test, c.subset, c.n)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(d.TrainingImages()); got != c.n {
			t.Fatalf("%s N=%d: %d training images", c.subset, c.n, got)
		}
		// Every drawn training image lies in [first, first+n): S1 and S2
		// are disjoint, and the draws cover the subset.
		seen := map[int]bool{}
		for seed := uint64(0); seed < uint64(20*c.n+100) && seed < 200000; seed++ {
			x, err := d.Image(seed)
			if err != nil {
				t.Fatal(err)
			}
			i := int(x.Data[0])
			if i < c.first || i >= c.first+c.n {
				t.Fatalf("%s N=%d: seed %d drew training digit %d, outside [%d, %d)", c.subset, c.n, seed, i, c.first, c.first+c.n)
			}
			seen[i] = true
		}
		if c.n <= 1000 && len(seen) != c.n {
			t.Errorf("%s N=%d: draws reached %d of the %d digits", c.subset, c.n, len(seen), c.n)
		}
		// Held-out seeds give test digits, in order.
		for i := uint64(0); i < 3; i++ {
			x, _ := d.Image(HeldOutSeed + i)
			if x.Data[0] != float64(-1-int(i)) {
				t.Errorf("held-out seed %d gave %v, want test digit %d", i, x.Data[0], i)
			}
		}
		// Images are copies: changing one leaves the set alone.
		x, _ := d.Image(0)
		x.Data[0] = 1e9
		if y, _ := d.Image(0); y.Data[0] == 1e9 {
			t.Error("Image returns the stored field, not a copy")
		}
		if s := d.String(); !strings.Contains(s, strings.ToUpper(c.subset)) || !strings.Contains(s, "test digits") {
			t.Errorf("String() = %q", s)
		}
	}
}

func TestMNISTDatasetErrors(t *testing.T) {
	train, test := fakeMNIST()
	short := &data.Digits{Images: train.Images[:100], Labels: train.Labels[:100]}
	cases := []struct {
		name        string
		train, test *data.Digits
		subset      string
		n           int
		want        string
	}{
		{"zero", train, test, MNISTSubsetS1, 0, "outside [1, 30000]"},
		{"too many", train, test, MNISTSubsetS2, MNISTMaxSubset + 1, "outside [1, 30000]"},
		{"subset", train, test, "s3", 10, `subset "s3"`},
		{"short", short, test, MNISTSubsetS1, 10, "needs the 60000 training digits"},
		{"nil", nil, test, MNISTSubsetS1, 10, "needs the 60000 training digits"},
	}
	for _, c := range cases {
		if _, err := NewMNISTDataset(c.train, c.test, c.subset, c.n); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	if _, err := ParseDataset("mnist", 0, 32); err == nil || !strings.Contains(err.Error(), "NewMNISTDataset") {
		t.Errorf("ParseDataset(mnist): %v", err)
	}
	if _, err := (Dataset{Kind: "mnist"}).Image(0); err == nil {
		t.Error("an MNIST Dataset without digits gave an image")
	}
}
