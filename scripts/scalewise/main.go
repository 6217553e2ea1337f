// Command scalewise is the native command line of the Scalewise engine, for
// researchers: the same Go numerics the page runs in WebAssembly.
//
//	scalewise dwt --wavelet db4 --levels 3 [--inverse] IN.npy OUT.npy
//	scalewise calpha --alpha 2 --size 64 --seed 1 [--method code|paper] OUT.npy|OUT.png
//	scalewise serve [--addr 127.0.0.1:8080] [--dir dist]
//	scalewise bench [--json] [--scalar] [--wasm] [--dist dist]
//	scalewise assets [--out assets]
//	scalewise train --data calpha --alpha 2 --size 32 --blocks 3 --base 16 --steps N --seed 1 --out weights/W.safetensors
//	scalewise train --data mnist --subset s1|s2 --n N --size 32 --blocks 2 --base 8 --steps N [--kernels avx2|scalar] --out W.safetensors
//	scalewise land build/generalisation/W.safetensors weights/generalisation
//	scalewise denoise-eval --weights W --data calpha --alpha 2 --json
//	scalewise sample --weights W.safetensors --n 16 --seed 1 [--sampler kadkhodaie|reverse-sde] [--preset paper|code] [--steps S] --out samples.npy
//	scalewise half --in W.safetensors --out W16.safetensors [--n 64] [--max-loss 0.05] [--force] [--json]
//	scalewise generalise --size small|large [--weights weights/generalisation] [--pairs 64] [--seed 1] [--grids DIR] [--json]
//	scalewise phi4 sample --L 64 --beta 0.68 --n 1000 --seed 1 --out phi4.npy
//	scalewise rg fit --data phi4.npy --out weights/rg-phi4-L64.json
//	scalewise rg sample --model weights/rg-phi4-L64.json --n 16 --seed 1 --out samples.npy
//	scalewise rg validate --L 64 [--scaling] [--json]
//	scalewise rg fit --field turbulence|calpha|drawings [--data data/turbulence-64-n512.npy | --alpha 2 --L 32 --n 1024] [--scat-shrink 10] [--scattering=false] --out weights/rg-turbulence-L64.json
//	scalewise rg validate --field turbulence|calpha|drawings [--model M --ablation A] [--n 256] [--seed 1] [--json]
//	scalewise scat stats IN.npy [--J 5] [--L 4] [--kind bump|morlet] [--form iso|full] [--all] [--json]
//	scalewise scat synth --target IN.npy --iters 300 --seed 1 [--J 5] [--L 4] [--kind bump|morlet] [--form iso|full] [--tol 1e-3] [--histogram 0.3] [--histogram-quantiles 64] [--low-pass 0] --out OUT.npy
//	scalewise scat validate [--json] [--seed 1] [--fields phi4,turbulence,cosmic,calpha] [--histogram 0.3] [--histogram-quantiles 64]
//	scalewise scat regularity [IN.npy ...] [--images calpha2,calpha4,curve,stroke,white,gff] [--n 128] [--seeds 3] [--json]
//	scalewise phi4 cost --L 128 --sampler fahmc|cluster --seconds 3600 [--start IN.npy] --out COST.json
//	scalewise eigen --weights W|--net NAME --image IN.png|IN.npy --sigma 0.1 --seed 1 --k 64 [--krylov M] --out basis.npy [--json]
//	scalewise rate --weights W --alpha A [--n 128] [--size 64] [--levels 12] [--fit-lo 20] [--fit-hi 34] [--json]
//	scalewise turbulence --size 64 --n 512 --seed 1 [--runs 2] [--threshold 0.1] [--pilot 256] [--spacing 0] [--work build/turbulence] --out data/turbulence-64-n512.npy
//	scalewise version
//
// Errors go to standard error and exit with status 2.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Version is the release of the engine and its file formats.
const Version = "0.1.0"

// command is one subcommand: its one-line usage and its body.
type command struct {
	usage string
	run   func(args []string, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"dwt":          {"dwt --wavelet db4 --levels 3 [--inverse] IN.npy OUT.npy", runDWT},
		"calpha":       {"calpha --alpha 2 --size 64 --seed 1 [--method code|paper] OUT.npy|OUT.png", runCAlpha},
		"serve":        {"serve [--addr 127.0.0.1:8080] [--dir dist]", runServe},
		"bench":        {"bench [--json] [--scalar] [--wasm] [--dist dist]", runBench},
		"assets":       {"assets [--out assets]", runAssets},
		"train":        {"train --data calpha|drawing|mnist [--alpha 2] [--subset s1|s2 --n N] --size 32 --blocks 3 --base 16 --steps N --seed 1 [--kernels avx2|scalar] --out weights/NAME.safetensors", runTrain},
		"denoise-eval": {"denoise-eval --weights W --data calpha|drawing [--alpha A] [--n 256] [--json]", runDenoiseEval},
		"land":         {"land SRC.safetensors DIR", runLand},
		"sample":       {sampleUsage, runSample},
		"half":         {halfUsage, runHalf},
		"generalise":   {generaliseUsage, runGeneralise},
		"version":      {"version", runVersion},
		"rg":           {rgUsage, runRG},
		"phi4":         {phi4Usage, runPhi4},
		"scat":         {scatUsage, runScat},
		"eigen":        {eigenUsage, runEigen},
		"rate":         {rateUsage, runRate},
		"turbulence":   {turbulenceUsage, runTurbulence},
	}
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run executes a command line and returns the exit status: 0 on success, 2
// on any error (the message goes to stderr).
func run(args []string, stdout, stderr io.Writer) int {
	return runCommands(commands(), args, stdout, stderr)
}

// runCommands is run with the commands cmds. A panic on the command's own
// goroutine is a bug; it too ends with a one-line message and status 2
// rather than a stack trace.
func runCommands(cmds map[string]command, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "scalewise %s: internal error (a bug, please report it with the command line): panic: %v\n", strings.Join(args[:min(1, len(args))], ""), r)
			code = 2
		}
	}()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "scalewise: unknown command %q\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	if err := c.run(args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "scalewise %s: %v\n", args[0], err)
		return 2
	}
	return 0
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: scalewise COMMAND [flags] [args]")
	for _, n := range names {
		fmt.Fprintln(w, "  scalewise "+cmds[n].usage)
	}
}

// parseAnyPositional parses flags placed before, between or after any
// number of positional arguments and returns the positionals. Every float
// flag must be finite (checkFiniteFlags).
func parseAnyPositional(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return nil, err
	}
	if err := checkFiniteFlags(fs); err != nil {
		return nil, err
	}
	return pos, nil
}

// parseFlags is parseAnyPositional without the checks of the values.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	fs.SetOutput(stderr)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// Parse stops at the first non-flag argument or just after a "--"
		// terminator; after "--" every argument is positional.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parse parses flags that may come before or after the positional
// arguments and checks the number of positionals.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer, npos int, posNames string) ([]string, error) {
	pos, err := parseAnyPositional(fs, args, stderr)
	if err != nil {
		return nil, err
	}
	if len(pos) != npos {
		return nil, fmt.Errorf("want %s, got %d argument(s): %s", posNames, len(pos), strings.Join(pos, " "))
	}
	return pos, nil
}

func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "scalewise %s (%s)\n", Version, goVersion())
	return nil
}

// subcommand is one verb of a command that has several (phi4, rg, scat).
type subcommand struct {
	name string
	run  func(args []string, stdout, stderr io.Writer) error
}

// runSubcommand runs the subcommand of subs named by args[0] with the rest
// of args; usage is the command's usage line, printed for help.
func runSubcommand(usage string, subs []subcommand, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("want a subcommand: %s", usage)
	}
	names := make([]string, len(subs))
	for i, sc := range subs {
		if sc.name == args[0] {
			return sc.run(args[1:], stdout, stderr)
		}
		names[i] = sc.name
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprintln(stderr, "usage: scalewise "+usage)
		return flag.ErrHelp
	}
	want := names[len(names)-1]
	if len(names) > 1 {
		want = strings.Join(names[:len(names)-1], ", ") + " or " + want
	}
	return fmt.Errorf("unknown subcommand %q (want %s)", args[0], want)
}
