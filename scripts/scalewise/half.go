package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"scalewise/engine/data"
	"scalewise/engine/denoise"
	"scalewise/engine/nn"
)

const halfUsage = "half --in W.safetensors --out W16.safetensors [--n 64] [--sigmas 0.02,0.05,0.1,0.2,0.4] [--max-loss 0.05] [--force] [--json]"

// halfMaxLossDB is the largest PSNR loss, in dB at any noise level, that
// float16 storage of a net may cost by default (--max-loss;
// weights/half_test.go checks the sweep nets against the same bound).
const halfMaxLossDB = 0.05

// halfRow is one noise level of scalewise half: the mean PSNR of the same
// noisy held-out images denoised by the float32 net and by its float16 copy.
type halfRow struct {
	Sigma   float64 `json:"sigma"`
	PSNRIn  float64 `json:"psnr_in"`
	PSNRF32 float64 `json:"psnr_f32"`
	PSNRF16 float64 `json:"psnr_f16"`
	// LossDB is PSNRF32 − PSNRF16: positive when float16 is worse.
	LossDB float64 `json:"loss_db"`
}

// halfReport is the output of scalewise half.
type halfReport struct {
	In          string    `json:"in"`
	Out         string    `json:"out"`
	Written     bool      `json:"written"`
	From        string    `json:"from"`
	Params      int       `json:"params"`
	HeldOut     string    `json:"held_out"`
	Images      int       `json:"images_per_sigma"`
	BytesF32    int       `json:"bytes_f32"`
	BytesF16    int       `json:"bytes_f16"`
	GzipF32     int       `json:"gzip_bytes_f32"`
	GzipF16     int       `json:"gzip_bytes_f16"`
	PerSigma    []halfRow `json:"per_sigma"`
	MaxLossDB   float64   `json:"max_abs_loss_db"`
	ToleranceDB float64   `json:"tolerance_db"`
}

// commandData matches the --data flag of a training command.
var commandData = regexp.MustCompile(`--data[ =](\w+)`)

// heldOutSize is the side of the held-out images of a net that netHeldOut
// does not find to be an MNIST net (MNIST digits are smaller).
const heldOutSize = 64

// netHeldOut returns the held-out data of a net from its metadata: the
// MNIST test digits for an MNIST net (metadata "subset", or data starting
// "MNIST"), else heldOutSize×heldOutSize images of the data of its training command (calpha
// with the metadata's alpha, or drawing), as scalewise train validates.
func netHeldOut(md map[string]string) (denoise.Dataset, string, error) {
	kind := ""
	if m := commandData.FindStringSubmatch(md["command"]); m != nil {
		kind = m[1]
	}
	if md["subset"] != "" || strings.HasPrefix(md["data"], "MNIST") || kind == "mnist" {
		// The held-out digits do not depend on the subset; a valid one is
		// needed to open the dataset.
		subset := md["subset"]
		if subset != denoise.MNISTSubsetS2 {
			subset = denoise.MNISTSubsetS1
		}
		n, err := strconv.Atoi(md["n"])
		if err != nil || n < 1 || n > denoise.MNISTMaxSubset {
			n = 1
		}
		ds, err := openDataset("mnist", 0, data.MNISTSize, subset, n)
		return ds, "MNIST test digits", err
	}
	const size = heldOutSize
	switch kind {
	case "calpha":
		alpha, err := strconv.ParseFloat(md["alpha"], 64)
		if err != nil {
			return denoise.Dataset{}, "", fmt.Errorf("a calpha net whose metadata have no valid alpha (%q)", md["alpha"])
		}
		ds, err := denoise.ParseDataset("calpha", alpha, size)
		return ds, fmt.Sprintf("C^alpha images, alpha=%g, %d×%d, held-out seeds", alpha, size, size), err
	case "drawing":
		ds, err := denoise.ParseDataset("drawing", 0, size)
		return ds, fmt.Sprintf("random drawings, %d×%d, held-out seeds", size, size), err
	}
	return denoise.Dataset{}, "", fmt.Errorf("cannot tell the net's training data from its metadata (data %q, command %q)", md["data"], md["command"])
}

// runHalf writes the float16 copy of a net (nn.SafetensorsToF16: every
// tensor IEEE 754-2008 binary16, the metadata kept plus "dtype": "F16" and
// "from": the SHA-256 of the float32 file) and measures what it costs: the
// same noisy held-out images (heldOut: fixed images and noise seeds) are
// denoised by both nets at each σ. The copy is written only when every
// |PSNR_F32 − PSNR_F16| ≤ --max-loss (halfMaxLossDB), or with --force;
// otherwise the command reports the losses and fails.
func runHalf(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("half", flag.ContinueOnError)
	in := fs.String("in", "", "the float32 .safetensors net")
	out := fs.String("out", "", "the float16 copy to write")
	n := fs.Int("n", 64, "held-out images per noise level")
	sigmas := fs.String("sigmas", defaultEvalSigmas, "noise levels (intensities in [0,1])")
	maxLoss := fs.Float64("max-loss", halfMaxLossDB, "largest |PSNR loss| in dB allowed at any noise level")
	force := fs.Bool("force", false, "write the copy even when it loses more than --max-loss")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return fmt.Errorf("--in and --out are required")
	}
	if *maxLoss < 0 {
		return fmt.Errorf("--max-loss %g: want a loss in dB ≥ 0", *maxLoss)
	}
	if *in == *out {
		return fmt.Errorf("--out %s: would overwrite --in", *out)
	}
	// The net's held-out images are at most heldOutSize×heldOutSize.
	ss, err := parseHeldOut(*n, heldOutSize, *sigmas)
	if err != nil {
		return err
	}
	// The file is read whole: check its size first.
	st, err := os.Stat(*in)
	if err != nil {
		return err
	}
	if st.Size() > nn.MaxWeightsBytes {
		return fmt.Errorf("%s: %d bytes, over the %d of a weights file", *in, st.Size(), nn.MaxWeightsBytes)
	}
	src, err := os.ReadFile(*in)
	if err != nil {
		return err
	}
	u32, md, err := nn.LoadUNet(bytes.NewReader(src))
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	half, err := nn.SafetensorsToF16(src)
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	u16, md16, err := nn.LoadUNet(bytes.NewReader(half))
	if err != nil {
		return fmt.Errorf("the float16 copy of %s does not load: %w", *in, err)
	}
	ds, heldOutName, err := netHeldOut(md)
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	rep := halfReport{
		In: *in, Out: *out, From: md16[nn.MetaFrom], Params: u32.NumParams(), HeldOut: heldOutName, Images: *n,
		BytesF32: len(src), BytesF16: len(half), GzipF32: gzipLen(src), GzipF16: gzipLen(half),
		ToleranceDB: *maxLoss,
	}
	bar := newProgress(stderr, 2)
	r32, err := evalNet(u32, ds, *n, ss, denoise.HeldOutSeed)
	if err != nil {
		return err
	}
	bar.update(1, "float32", true)
	r16, err := evalNet(u16, ds, *n, ss, denoise.HeldOutSeed)
	if err != nil {
		return err
	}
	bar.update(2, "float16", true)
	for i, s := range ss {
		row := halfRow{Sigma: s, PSNRIn: r32[i].PSNRIn, PSNRF32: r32[i].PSNROut, PSNRF16: r16[i].PSNROut}
		row.LossDB = row.PSNRF32 - row.PSNRF16
		rep.PerSigma = append(rep.PerSigma, row)
		rep.MaxLossDB = math.Max(rep.MaxLossDB, math.Abs(row.LossDB))
	}
	over := !(rep.MaxLossDB <= *maxLoss) // NaN counts as over
	if !over || *force {
		if err := writeFileAtomic(*out, func(w io.Writer) error {
			_, err := w.Write(half)
			return err
		}); err != nil {
			return err
		}
		rep.Written = true
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printHalf(stdout, rep)
	}
	if over {
		msg := fmt.Sprintf("float16 loses up to %.4f dB, over the tolerance of %g dB", rep.MaxLossDB, *maxLoss)
		if !*force {
			return fmt.Errorf("%s: %s; %s not written (--force writes it)", *in, msg, *out)
		}
		fmt.Fprintf(stderr, "warning: %s: %s; written anyway (--force)\n", *in, msg)
	}
	return nil
}

// printHalf prints the report of scalewise half as text.
func printHalf(w io.Writer, r halfReport) {
	verb := "wrote"
	if !r.Written {
		verb = "did not write"
	}
	fmt.Fprintf(w, "%s → %s (%s): %d params, %d → %d bytes (gzip %d → %d)\n",
		r.In, r.Out, verb, r.Params, r.BytesF32, r.BytesF16, r.GzipF32, r.GzipF16)
	fmt.Fprintf(w, "held out: %s, %d per noise level\n", r.HeldOut, r.Images)
	fmt.Fprintln(w, "  sigma   input   F32     F16     loss (dB)")
	for _, x := range r.PerSigma {
		fmt.Fprintf(w, "  %-6g %6.2f  %6.2f  %6.2f  %+8.4f\n", x.Sigma, x.PSNRIn, x.PSNRF32, x.PSNRF16, x.LossDB)
	}
	fmt.Fprintf(w, "  largest |loss| %.4f dB (tolerance %g dB)\n", r.MaxLossDB, r.ToleranceDB)
}

// gzipLen returns the size of b gzipped at the best compression, as the
// single-file page stores its assets.
func gzipLen(b []byte) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}
