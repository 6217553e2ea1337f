package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"scalewise/engine/data"
	"scalewise/engine/field"
	"scalewise/engine/turbulence"
)

// phi4AssetCounts is how many ground-truth φ⁴ samples the page ships per
// lattice side: enough at L = 32 for the page's "Fit from data", a few for
// display at L = 64 and 128.
var phi4AssetCounts = map[int]int{32: 256, 64: 16, 128: 8}

// runAssets regenerates the data files the page ships: the MNIST digit
// sprite (10 test digits per class, padded to 32×32) from the GoMNIST
// module's data files and, with --phi4 DIR, the first few ground-truth φ⁴
// samples of DIR/phi4-L{32,64,128}-b0.68.npy (made by `make data`) as
// assets/phi4-L{L}.npy.
func runAssets(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("assets", flag.ContinueOnError)
	out := fs.String("out", "assets", "output folder")
	phi4Dir := fs.String("phi4", "", "folder of the φ⁴ data sets (make data) to cut the shipped samples from")
	only := fs.Int("L", 0, "with --phi4: only this lattice side (0: 32, 64 and 128)")
	turb := fs.Bool("turbulence", false, "simulate stationary 2-D turbulence and write 4 snapshots at 64² and 128² (about 2 minutes)")
	rgHeld := fs.String("rg-heldout", "", "write the first "+fmt.Sprint(rgHeldOutAssetCount)+" held-out snapshots of this turbulence stack (make data: "+rgTurbulenceData+"; its sidecar's split) as rg-turbulence-L64-heldout.npy, the Renormalise scene's truth")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	if *turb {
		return writeTurbulenceAssets(*out, stdout, stderr)
	}
	if *rgHeld != "" {
		return writeRGHeldOutAsset(*rgHeld, *out, stdout)
	}
	if *phi4Dir != "" {
		for _, l := range []int{32, 64, 128} {
			in := filepath.Join(*phi4Dir, fmt.Sprintf("phi4-L%d-b0.68.npy", l))
			if *only != 0 && l != *only {
				continue
			}
			arr, err := field.ReadArrayFile(in)
			if err != nil {
				return err
			}
			fields, err := arr.Fields()
			if err != nil {
				return fmt.Errorf("%s: %w", in, err)
			}
			k := phi4AssetCounts[l]
			if len(fields) < k || fields[0].W != l || fields[0].H != l {
				return fmt.Errorf("%s: want at least %d samples of %d×%d", in, k, l, l)
			}
			sub, err := field.StackArray(fields[:k])
			if err != nil {
				return err
			}
			if err := checkWritable(sub.Data, field.Float32, valuesUpTo(in, sub.Data), "sample value"); err != nil {
				return err
			}
			path := filepath.Join(*out, fmt.Sprintf("phi4-L%d.npy", l))
			if err := field.WriteArrayFile(path, sub, field.Float32); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "wrote %s: %d samples of %d×%d from %s\n", path, k, l, l, in)
		}
		return nil
	}
	dir, err := data.MNISTDataDir()
	if err != nil {
		return err
	}
	_, test, err := data.LoadMNIST(dir)
	if err != nil {
		return err
	}
	s, err := data.MakeSprite(test, 10)
	if err != nil {
		return err
	}
	path := filepath.Join(*out, "mnist-digits.bin")
	if err := data.WriteSpriteFile(path, s); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d digits of %d×%d\n", path, s.N, s.Size, s.Size)
	return nil
}

// writeTurbulenceAssets simulates stationary 2-D forced turbulence
// (engine/turbulence, default parameters, seed 1) at 64² and 128² and
// writes 4 vorticity snapshots one eddy turnover apart, each standardised
// to mean 0 and variance 1 (field.Standardise), as
// turbulence-{n}.npy.
func writeTurbulenceAssets(out string, stdout, stderr io.Writer) error {
	for _, n := range []int{64, 128} {
		sim, err := turbulence.New(turbulence.DefaultParams(n))
		if err != nil {
			return err
		}
		var bar *progress
		phase := ""
		fs, err := sim.Snapshots(4, 1, func(p turbulence.Progress) {
			if bar == nil || p.Phase != phase {
				bar, phase = newProgress(stderr, max(p.Total, 1)), p.Phase
			}
			bar.update(p.Done, fmt.Sprintf("%d² turbulence %s, t = %.1f", n, p.Phase, p.Time), false)
		})
		if err != nil {
			return err
		}
		for i, f := range fs {
			if err := field.Standardise(f.Data); err != nil {
				return fmt.Errorf("%d² turbulence snapshot %d: %w", n, i, err)
			}
		}
		arr, err := field.StackArray(fs)
		if err != nil {
			return err
		}
		path := filepath.Join(out, fmt.Sprintf("turbulence-%d.npy", n))
		if err := field.WriteArrayFile(path, arr, field.Float32); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s: %d snapshots of %d×%d, one eddy turnover apart\n", path, len(fs), n, n)
	}
	return nil
}

// rgHeldOutAssetCount is how many held-out turbulence snapshots the page
// ships as the Renormalise scene's truth.
const rgHeldOutAssetCount = 16

// writeRGHeldOutAsset writes the first rgHeldOutAssetCount held-out
// snapshots of the turbulence stack in (split as rg fit --field turbulence
// splits it: its sidecar, or the second half) as
// rg-turbulence-L{n}-heldout.npy, unchanged: the snapshots of make data are
// already standardised one by one, and the fit uses them as they are.
func writeRGHeldOutAsset(in, out string, stdout io.Writer) error {
	_, held, split, err := readTurbulenceSplit(in)
	if err != nil {
		return err
	}
	if len(held) < rgHeldOutAssetCount {
		return fmt.Errorf("%s: %d held-out snapshots, want at least %d", in, len(held), rgHeldOutAssetCount)
	}
	n := held[0].W
	arr, err := field.StackArray(held[:rgHeldOutAssetCount])
	if err != nil {
		return err
	}
	if err := checkWritable(arr.Data, field.Float32, valuesUpTo(in, arr.Data), "snapshot value"); err != nil {
		return err
	}
	path := filepath.Join(out, fmt.Sprintf("rg-turbulence-L%d-heldout.npy", n))
	if err := field.WriteArrayFile(path, arr, field.Float32); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: the first %d held-out snapshots of %s (%s)\n", path, rgHeldOutAssetCount, in, split)
	return nil
}
