package protocol

// ScalesRequest selects the image and the wavelet decomposition of the
// Scales scene (OpScales).
type ScalesRequest struct {
	Image   string  `json:"image"`   // "calpha" or "mnist"
	Seed    uint64  `json:"seed"`    // C^alpha seed; for MNIST, the digit is Seed mod the sprite size
	Alpha   float64 `json:"alpha"`   // C^alpha regularity, in (0, 6]
	Method  string  `json:"method"`  // C^alpha generator: "paper" or "code"
	Size    int     `json:"size"`    // C^alpha size: 32, 64, 128 or 256 (MNIST is 32)
	Wavelet string  `json:"wavelet"` // "haar", "db2" … "db8"
	J       int     `json:"J"`       // number of levels, 1 … log2(size)
}

// ScalesValues answer OpScales: the decomposition of an image x into
// x_J and the detail bands x̄_j, and how exact the orthogonal transform W
// is (Mallat, A Wavelet Tour of Signal Processing, §7.7).
type ScalesValues struct {
	Description string `json:"description"` // the image, in words
	N           int    `json:"n"`           // its side
	J           int    `json:"J"`           // levels
	Wavelet     string `json:"wavelet"`     // the wavelet's name
	Taps        int    `json:"taps"`        // length of its filters
	Moments     int    `json:"vanishing_moments"`
	// ReconRelErr is ‖x − W⁻¹Wx‖/‖x‖.
	ReconRelErr float64 `json:"recon_rel_err"`
	// EnergyRelErr is |‖Wx‖² − ‖x‖²|/‖x‖².
	EnergyRelErr float64 `json:"energy_rel_err"`
	// DetailShare is the share of ‖x‖² in the details of each scale,
	// j = 0 … J (0 at j = 0).
	DetailShare []float64 `json:"detail_energy_share"`
	// ApproxShare is the share of ‖x‖² in x_J.
	ApproxShare float64 `json:"approx_energy_share"`
	// Sizes is the side of x_j, j = 0 … J.
	Sizes []int `json:"sizes"`
}
