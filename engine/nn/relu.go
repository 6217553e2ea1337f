package nn

// ReLU sets dst = max(x, 0) elementwise; dst may be x.
func ReLU(dst, x *Tensor) error {
	if err := checkSame("relu", dst, x); err != nil {
		return err
	}
	relu(dst.Data, x.Data)
	return nil
}

// ReLUBackward sets dx = dy ⊙ 1[y > 0], the gradient of ReLU given its
// output (or, equivalently, its input) y. The derivative at 0 is taken as 0.
// dx may be dy.
func ReLUBackward(dx, dy, y *Tensor) error {
	if err := checkSame("relu backward", dx, dy); err != nil {
		return err
	}
	if err := checkSame("relu backward", dx, y); err != nil {
		return err
	}
	reluMask(dx.Data, dy.Data, y.Data)
	return nil
}

func relu(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = max(v, 0)
	}
}

// reluMask sets dst[i] = g[i] where y[i] > 0 and 0 elsewhere.
func reluMask(dst, g, y []float32) {
	g, y = g[:len(dst)], y[:len(dst)]
	for i, v := range y {
		if v > 0 {
			dst[i] = g[i]
		} else {
			dst[i] = 0
		}
	}
}

// checkSame validates a and b and requires equal shapes.
func checkSame(what string, a, b *Tensor) error {
	if err := a.Check(); err != nil {
		return err
	}
	if err := b.Check(); err != nil {
		return err
	}
	if !a.SameShape(b) {
		return shapeErr(what, a, b)
	}
	return nil
}
