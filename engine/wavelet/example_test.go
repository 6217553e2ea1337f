package wavelet_test

import (
	"fmt"
	"log"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

func ExampleTransform() {
	w, err := wavelet.ByName("haar")
	if err != nil {
		log.Fatal(err)
	}
	t, err := wavelet.NewTransform(w, 2, 2, 1)
	if err != nil {
		log.Fatal(err)
	}
	x := []float64{
		1, 2,
		4, 8,
	}
	if err := t.Forward(x, x); err != nil {
		log.Fatal(err)
	}
	// x_1 and V_1 on the first row, H_1 and D_1 on the second.
	fmt.Printf("%.4g\n", x)
	// Output: [7.5 -2.5 -4.5 1.5]
}

func ExampleNewTransform() {
	w, _ := wavelet.ByName("db4")
	_, err := wavelet.NewTransform(w, 96, 100, 3)
	fmt.Println(err)
	fmt.Println(wavelet.MaxLevels(96, 100))
	// Output:
	// wavelet: 96×100 is not divisible by 2^3 = 8 in height; use a size that is a multiple of 8 or fewer levels (at most 2)
	// 2
}

func ExamplePyramid_Projection() {
	w, _ := wavelet.ByName("db2")
	x := field.New(16, 16)
	for y := range 16 {
		for i := range 16 {
			x.Set(i, y, float64((i/4+y/4)%2)) // a checkerboard of 4×4 squares
		}
	}
	p, err := wavelet.Decompose(w, x, 2)
	if err != nil {
		log.Fatal(err)
	}
	coarse, _ := p.Projection(2) // x_2 shown at full size
	fine1, _ := p.DetailProjection(1)
	fine2, _ := p.DetailProjection(2)
	fmt.Printf("energy: x %.4f = P_V2 %.4f + P_W2 %.4f + P_W1 %.4f\n",
		x.Energy(), coarse.Energy(), fine2.Energy(), fine1.Energy())
	// Output: energy: x 128.0000 = P_V2 87.0308 + P_W2 25.9692 + P_W1 15.0000
}
