package nn

import "fmt"

// Concat sets dst to the channel concatenation [a, b] (torch.cat([a, b],
// dim=1), the skip connection of the P24 U-Net decoder): channels 0..a.C−1
// of dst are a and channels a.C..a.C+b.C−1 are b.
func Concat(dst, a, b *Tensor) error {
	if err := checkConcat(dst, a, b); err != nil {
		return err
	}
	concat(dst, a, b)
	return nil
}

// Split is the adjoint of Concat: it sets da and db to the first a.C and the
// last b.C channels of d.
func Split(da, db, d *Tensor) error {
	if err := checkConcat(d, da, db); err != nil {
		return err
	}
	split(da, db, d, false)
	return nil
}

func checkConcat(d, a, b *Tensor) error {
	for _, t := range []*Tensor{d, a, b} {
		if err := t.Check(); err != nil {
			return err
		}
	}
	if a.N != d.N || b.N != d.N || a.H != d.H || b.H != d.H || a.W != d.W || b.W != d.W || a.C+b.C != d.C {
		return fmt.Errorf("%w: concat of %v and %v into %v", ErrShape, a, b, d)
	}
	return nil
}

func concat(dst, a, b *Tensor) {
	na, nb := a.C*a.H*a.W, b.C*b.H*b.W
	for n := 0; n < dst.N; n++ {
		o := dst.Data[n*(na+nb) : (n+1)*(na+nb)]
		copy(o[:na], a.Data[n*na:(n+1)*na])
		copy(o[na:], b.Data[n*nb:(n+1)*nb])
	}
}

// split sets (acc: adds to) da and db the two channel ranges of d.
func split(da, db, d *Tensor, acc bool) {
	na, nb := da.C*da.H*da.W, db.C*db.H*db.W
	for n := 0; n < d.N; n++ {
		g := d.Data[n*(na+nb) : (n+1)*(na+nb)]
		if acc {
			addTo(da.Data[n*na:(n+1)*na], g[:na])
			addTo(db.Data[n*nb:(n+1)*nb], g[na:])
		} else {
			copy(da.Data[n*na:(n+1)*na], g[:na])
			copy(db.Data[n*nb:(n+1)*nb], g[na:])
		}
	}
}

// addTo sets dst[i] += src[i].
func addTo(dst, src []float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] += v
	}
}
