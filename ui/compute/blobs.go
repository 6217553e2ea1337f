package compute

import (
	"fmt"
	"sync"

	"scalewise/ui/protocol"
)

// MaxBlobBytes bounds the bytes an engine keeps from the page's puts, all
// blobs together: a pair of sweep nets (≈120 KB each, 3 MB for the larger
// ones) and a training set (30,000 MNIST digits: 23.5 MB) fit many times.
const MaxBlobBytes = 256 << 20

// MaxBlobName bounds the length of a blob's name.
const MaxBlobName = 256

// Blobs is the store of named byte slices that the page puts into an
// engine (protocol.PutRequest): the weights of the Generate scene's nets
// and its training sets. The engine owns one (Sources.Blobs). A put
// replaces the blob of the same name; the store refuses a put that would
// take it over its limit. Safe for concurrent use (the worker puts from its
// serving goroutine, between requests).
type Blobs struct {
	mu    sync.Mutex
	limit int
	total int
	blobs map[string][]byte
}

// NewBlobs returns an empty store holding at most limit bytes in all
// (limit ≤ 0: MaxBlobBytes).
func NewBlobs(limit int) *Blobs {
	if limit <= 0 {
		limit = MaxBlobBytes
	}
	return &Blobs{limit: limit, blobs: map[string][]byte{}}
}

// Store keeps data under name, replacing any blob of that name. The store
// keeps data itself: the caller must not modify it afterwards. An empty
// name, a name longer than MaxBlobName or a total past the limit is an
// error, and the store is then left as it was.
func (b *Blobs) Store(name string, data []byte) error {
	switch {
	case name == "":
		return fmt.Errorf("put: a blob needs a name")
	case len(name) > MaxBlobName:
		return fmt.Errorf("put: blob name of %d bytes (at most %d)", len(name), MaxBlobName)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	total := b.total - len(b.blobs[name]) + len(data)
	if total > b.limit {
		return fmt.Errorf("put %q: %s would bring the engine's blobs to %s, over its limit of %s; reload the page to free them",
			name, mib(len(data)), mib(total), mib(b.limit))
	}
	b.blobs[name] = data
	b.total = total
	return nil
}

// Get returns the blob called name; the caller must not modify it.
func (b *Blobs) Get(name string) ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.blobs[name]
	return data, ok
}

// Delete forgets the blob called name and reports whether there was one.
func (b *Blobs) Delete(name string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.blobs[name]
	if ok {
		b.total -= len(data)
		delete(b.blobs, name)
	}
	return ok
}

// Size returns the bytes stored, all blobs together.
func (b *Blobs) Size() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.total
}

// Put serves a put: it stores r.Bytes under r.Name and answers with
// protocol.PutValues in frames of the Generate scene (no images).
func (b *Blobs) Put(r protocol.PutRequest) (*Frames, error) {
	if err := b.Store(r.Name, r.Bytes); err != nil {
		return nil, err
	}
	return NewFrames(GenScene, &protocol.PutValues{Kind: protocol.KindPut, Name: r.Name, Size: len(r.Bytes)}), nil
}

// mib formats a size in bytes for a message.
func mib(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
