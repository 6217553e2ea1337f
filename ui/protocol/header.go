package protocol

// Image locates one RGBA panel (4·W·H bytes, row-major) inside a frame
// buffer. A series of float32 values travels as an image one pixel high
// whose 4-byte cells are the values (little endian).
type Image struct {
	Name string `json:"name"`
	W    int    `json:"w"`
	H    int    `json:"h"`
	Off  int    `json:"off"`
}

// Header is the JSON header of an answer: the scene its frames are for,
// the table of its images in the buffer, and the operation's values (V is
// one of the *Values types of this package; the worker encodes it as a
// pointer, a reader decodes into the type it expects).
type Header[V any] struct {
	Scene  string  `json:"scene"`
	Images []Image `json:"images"`
	Values V       `json:"values"`
}
