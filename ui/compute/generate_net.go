package compute

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"scalewise/engine/diffusion"
	"scalewise/engine/nn"
	"scalewise/ui/protocol"
)

// The training sets of the sweep: MNIST digits of genDigitSide² bytes,
// which the nets saw padded by genDigitPad zero pixels on each side and
// scaled by 1/255 to [0, 1].
const (
	genDigitSide = 28
	genDigitPad  = 2
	genDigitMax  = 255
	// GenTrainSize is the side of a training image as the nets saw it: a
	// run that searches a training set must have this size.
	GenTrainSize = genDigitSide + 2*genDigitPad
)

// genCache keeps what the session loaded from the blobs: the sweep nets,
// by blob, and the gallery of the last training set searched. An entry is
// reloaded when its blob was put again.
type genCache struct {
	nets map[string]genNetEntry
	gal  genGalleryEntry
}

// genNetEntry is a net loaded from the blob data.
type genNetEntry struct {
	data []byte
	u    *nn.UNet
	md   map[string]string
}

// genGalleryEntry is the gallery of the first n digits of a blob's data.
type genGalleryEntry struct {
	name string
	data []byte
	n    int
	g    *diffusion.ByteGallery
}

// sameBytes reports whether a and b are the same slice (the same blob).
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// prune forgets what was loaded from blobs that were put again or are
// gone, so that the cache never keeps replaced bytes alive.
func (s *GenSession) prune() {
	s.cache.pruneNets(s.blobs)
	if e := s.cache.gal; e.g != nil {
		if data, ok := s.blobs.Get(e.name); !ok || len(data) < len(e.data) || !sameBytes(data[:len(e.data)], e.data) {
			s.cache.gal = genGalleryEntry{}
		}
	}
}

// pruneNets forgets the nets of blobs that were put again or are gone.
func (c *genCache) pruneNets(blobs *Blobs) {
	for name, e := range c.nets {
		if data, ok := blobs.Get(name); !ok || !sameBytes(data, e.data) {
			delete(c.nets, name)
		}
	}
}

// genNet is a net ready to generate, and what the page is told of it.
type genNet struct {
	u    *nn.UNet
	info protocol.GenNet
}

// loadNet returns the net called name: the sweep net of the blob
// BlobNetPrefix+name+".safetensors" when the page put one, else the shipped
// denoiser of that name.
func (s *GenSession) loadNet(name string) (genNet, error) {
	s.prune()
	if name == "" {
		return genNet{}, fmt.Errorf("no net: name a sweep net put as %s<net>.safetensors or a shipped denoiser", protocol.BlobNetPrefix)
	}
	u, md, err := s.cache.net(s.blobs, s.nets, name)
	if err != nil {
		return genNet{}, err
	}
	if s.kernels != "" {
		if err := u.SetKernels(s.kernels); err != nil {
			return genNet{}, err
		}
	}
	if s.workers > 0 {
		u.SetWorkers(s.workers)
	}
	info := protocol.GenNet{Name: name, Params: u.NumParams()}
	info.Size, info.Set, info.N = sweepName(name)
	if v := md["subset"]; v != "" {
		info.Set = v
	}
	if v, err := strconv.Atoi(md["n"]); err == nil && v > 0 {
		info.N = v
	}
	return genNet{u: u, info: info}, nil
}

// net returns the net called name: the sweep net put as the blob
// BlobNetPrefix + name + ".safetensors" (loaded once per put), or else the
// shipped denoiser of that name.
func (c *genCache) net(blobs *Blobs, nets *Nets, name string) (*nn.UNet, map[string]string, error) {
	blob := protocol.BlobNetPrefix + name + ".safetensors"
	data, ok := blobs.Get(blob)
	if !ok {
		u, md, err := nets.Get(name)
		if err != nil {
			return nil, nil, fmt.Errorf("net %q: no blob %s was put, and it is not a shipped denoiser: %w", name, blob, err)
		}
		return u, md, nil
	}
	if c.nets == nil {
		c.nets = map[string]genNetEntry{}
	}
	e, ok := c.nets[blob]
	if !ok || !sameBytes(e.data, data) {
		u, md, err := nn.LoadUNet(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("net %s (blob %s): %w", name, blob, err)
		}
		e = genNetEntry{data: data, u: u, md: md}
		c.nets[blob] = e
	}
	return e.u, e.md, nil
}

// sweepName parses the name of a net of the generalisation sweep,
// "mnist-<size>-<set>-n<N>" (as "mnist-small-s1-n100"), into its size,
// training set and N; zero values for another name.
func sweepName(name string) (size, set string, n int) {
	p := strings.Split(name, "-")
	if len(p) != 4 || !strings.HasPrefix(p[2], "s") || !strings.HasPrefix(p[3], "n") {
		return "", "", 0
	}
	v, err := strconv.Atoi(p[3][1:])
	if err != nil || v < 1 {
		return "", "", 0
	}
	return p[1], p[2], v
}

// gallery returns the gallery of the first n digits of the training set
// put as blob train (all of them for n = 0).
func (s *GenSession) gallery(train string, n int) (*diffusion.ByteGallery, error) {
	data, ok := s.blobs.Get(train)
	if !ok {
		return nil, fmt.Errorf("training set %q was not put (put its digits first, e.g. as %ss1)", train, protocol.BlobTrainPrefix)
	}
	const m = genDigitSide * genDigitSide
	if len(data) == 0 || len(data)%m != 0 {
		return nil, fmt.Errorf("training set %s: %d bytes is not a whole number of %d×%d digits (%d bytes each)", train, len(data), genDigitSide, genDigitSide, m)
	}
	have := len(data) / m
	if n > have {
		return nil, fmt.Errorf("training set %s holds %d digits, but the net was trained on N=%d: put the whole set", train, have, n)
	}
	if n <= 0 {
		n = have
	}
	data = data[:n*m]
	if e := s.cache.gal; e.g != nil && e.name == train && e.n == n && sameBytes(e.data, data) {
		return e.g, nil
	}
	g, err := diffusion.NewByteGallery(data, genDigitSide, genDigitSide, genDigitPad, genDigitMax)
	if err != nil {
		return nil, fmt.Errorf("training set %s: %w", train, err)
	}
	s.cache.gal = genGalleryEntry{name: train, data: data, n: n, g: g}
	return g, nil
}
