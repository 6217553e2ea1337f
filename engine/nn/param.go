package nn

// Param is a named tensor of a network. Trainable parameters carry a
// gradient of the same length in Grad; state buffers (the running standard
// deviations of batch normalisation) have Grad == nil and are updated by the
// training forward pass instead. Shape uses the PyTorch layout of the
// tensor, e.g. [Cout, Cin, 3, 3] for a 3×3 convolution.
type Param struct {
	Name  string
	Shape []int
	Data  []float32
	Grad  []float32
}

func newParam(name string, trainable bool, shape ...int) *Param {
	n := 1
	for _, d := range shape {
		n *= d
	}
	p := &Param{Name: name, Shape: shape, Data: make([]float32, n)}
	if trainable {
		p.Grad = make([]float32, n)
	}
	return p
}

// Len returns the number of values, the product of Shape.
func (p *Param) Len() int { return len(p.Data) }
