package nn

import "fmt"

// AvgPool2 sets dst to the 2×2 average pooling of x with stride 2 and no
// padding (PyTorch AvgPool2d(2, 2), the downsampling of the P24 U-Net):
//
//	dst[n][c][y][x] = ¼ Σ_{dy,dx∈{0,1}} x[n][c][2y+dy][2x+dx].
//
// x.H and x.W must be even; dst is N×C×H/2×W/2.
func AvgPool2(dst, x *Tensor) error {
	if err := checkPool(dst, x); err != nil {
		return err
	}
	avgPool2(dst, x)
	return nil
}

// AvgPool2Backward sets dx to the adjoint of AvgPool2 applied to dy:
//
//	dx[n][c][y][x] = ¼ dy[n][c][⌊y/2⌋][⌊x/2⌋].
func AvgPool2Backward(dx, dy *Tensor) error {
	if err := checkPool(dy, dx); err != nil {
		return err
	}
	avgPool2Back(dx, dy, false)
	return nil
}

func checkPool(small, big *Tensor) error {
	if err := small.Check(); err != nil {
		return err
	}
	if err := big.Check(); err != nil {
		return err
	}
	if big.H%2 != 0 || big.W%2 != 0 || small.N != big.N || small.C != big.C ||
		small.H != big.H/2 || small.W != big.W/2 {
		return fmt.Errorf("%w: 2×2 pooling between %v and %v", ErrShape, big, small)
	}
	return nil
}

func avgPool2(dst, x *Tensor) {
	w, h2, w2 := x.W, dst.H, dst.W
	for p := 0; p < dst.N*dst.C; p++ {
		src := x.Data[p*x.H*w : (p+1)*x.H*w]
		out := dst.Data[p*h2*w2 : (p+1)*h2*w2]
		for y := 0; y < h2; y++ {
			r0 := src[2*y*w : 2*y*w+w]
			r1 := src[(2*y+1)*w : (2*y+1)*w+w]
			o := out[y*w2 : y*w2+w2]
			for x := range o {
				o[x] = 0.25 * (r0[2*x] + r0[2*x+1] + r1[2*x] + r1[2*x+1])
			}
		}
	}
}

// avgPool2Back sets (acc: adds to) dx the adjoint of avgPool2 applied to dy.
func avgPool2Back(dx, dy *Tensor, acc bool) {
	w, h2, w2 := dx.W, dy.H, dy.W
	for p := 0; p < dy.N*dy.C; p++ {
		g := dy.Data[p*h2*w2 : (p+1)*h2*w2]
		out := dx.Data[p*dx.H*w : (p+1)*dx.H*w]
		for y := 0; y < h2; y++ {
			gr := g[y*w2 : y*w2+w2]
			r0 := out[2*y*w : 2*y*w+w]
			r1 := out[(2*y+1)*w : (2*y+1)*w+w]
			for x, v := range gr {
				v *= 0.25
				if acc {
					r0[2*x] += v
					r0[2*x+1] += v
					r1[2*x] += v
					r1[2*x+1] += v
				} else {
					r0[2*x], r0[2*x+1], r1[2*x], r1[2*x+1] = v, v, v, v
				}
			}
		}
	}
}
