# Scalewise: the front door. `make serve` builds the site and serves it;
# `make test` runs every test (installing Debian's chromium when missing and
# we are root).
GO      ?= go
ADDR    ?= 127.0.0.1:8080
GOROOT  := $(shell $(GO) env GOROOT)
WASMENV := GOOS=js GOARCH=wasm
NODEPATH := PATH="$(GOROOT)/lib/wasm:$$PATH"
GOFILES := $(shell find engine ui wasm assets scripts weights -name '*.go' -not -name '*_test.go') go.mod go.sum
WEBFILES := index.html $(wildcard wasm/web/*.js wasm/web/scenes/*.js)
WEIGHTFILES := $(wildcard weights/*.safetensors) $(wildcard weights/f16/*.safetensors) $(wildcard weights/rg-*.json) weights/manifest.json
# The trainer (and benchmark) binary, built with GOAMD64=v3 where the CPU
# has FMA and AVX2 (see weights).
TRAINER := build/scalewise-train
GOAMD64V := $(shell grep -qw fma /proc/cpuinfo 2>/dev/null && grep -qw avx2 /proc/cpuinfo && echo v3 || echo v1)


.PHONY: weights weights-f16 weights-lane-a weights-lane-b data rg-weights generalisation-weights sweep-tables rate-weights rate-tables
.PHONY: all serve dist test test-native test-wasm test-browser vet chromium node bench assets clean screenshots

all: dist

build/app.wasm: $(GOFILES) $(WEIGHTFILES)
	@mkdir -p build
	$(WASMENV) $(GO) build -trimpath -ldflags="-s -w" -o $@ ./wasm/app

# The page's worker embeds the denoisers' float16 copies (-tags pagef16,
# weights/embed_f16.go; make weights-f16).
build/worker.wasm: $(GOFILES) $(WEIGHTFILES)
	@mkdir -p build
	$(WASMENV) $(GO) build -tags pagef16 -trimpath -ldflags="-s -w" -o $@ ./wasm/worker

build/scalewise: $(GOFILES) $(WEIGHTFILES)
	@mkdir -p build
	$(GO) build -trimpath -o $@ ./scripts/scalewise

# dist/: the hosted site (with a cache-first service worker) and
# dist/scalewise.html, one file that opens from disk with no network.
dist: build/app.wasm build/worker.wasm $(WEBFILES) $(wildcard weights/generalisation/*)
	$(GO) run ./scripts/mkdist -app build/app.wasm -worker build/worker.wasm -out dist

serve: dist build/scalewise
	build/scalewise serve --addr $(ADDR) --dir dist

vet:
	@test -z "$$(gofmt -l engine ui wasm assets scripts weights)" || (gofmt -l engine ui wasm assets scripts weights; echo "gofmt: files above need formatting"; exit 1)
	$(GO) vet ./...
	$(WASMENV) $(GO) vet ./ui/... ./wasm/... ./engine/... ./assets/... ./weights/...
	$(WASMENV) $(GO) vet -tags pagef16 ./wasm/worker ./weights/...

# Debian's chromium (browser tests) and nodejs (engine tests under wasm),
# installed when missing and we are root.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium package"; exit 1; fi; }

node:
	@command -v node >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; \
	  else echo "node is missing: install Debian's nodejs package"; exit 1; fi; }

# The nn package twice: the default build compares its fast kernels (AVX2
# assembly where the CPU has it) with the scalar ones in every test, and the
# purego build checks the scalar-only fallback that wasm and other CPUs use.
test-native: node
	$(GO) test -count=1 ./engine/... ./ui/... ./assets/... ./weights/... ./scripts/scalewise/... ./scripts/mkdist/...
	$(GO) test -count=1 -tags purego ./engine/nn/...

test-wasm: node
	$(NODEPATH) $(WASMENV) $(GO) test -count=1 ./engine/... ./ui/compute/... ./weights/...

test-browser: dist chromium
	SCALEWISE_DIST=$(CURDIR)/dist SCALEWISE_REQUIRE_BROWSER=1 $(GO) test -count=1 -parallel 3 -timeout 30m -v ./scripts/webtest/

test: vet test-native test-wasm test-browser

# Benchmarks in one run, as JSON: this build (the trainer's, with the fast
# kernels where the CPU has them), the same built with only the scalar
# kernels (-tags purego, same GOAMD64), and js/wasm under Node; with the
# ratios speedup_over_scalar, wasm_slowdown and wasm_slowdown_vs_scalar.
# The README's screenshots: every scene on a desktop and on a phone, in a
# real browser (scripts/webtest, TestREADMEScreenshots).
screenshots: dist chromium
	SCALEWISE_DIST=$(CURDIR)/dist SCALEWISE_REQUIRE_BROWSER=1 SCALEWISE_SCREENSHOTS=$(CURDIR)/assets/screenshots \
	  $(GO) test -count=1 -timeout 15m -run TestREADMEScreenshots -v ./scripts/webtest/

bench: $(TRAINER) dist
	$(TRAINER) bench --json --scalar --wasm --dist dist

# Train every shipped net from scratch: two lanes, each run on one core
# (`--workers 1`); about 30 minutes on this 2-core machine with the AVX2
# kernels (a 3-block stage 1 took 15 minutes, against 79 with the scalar
# kernels); CI never runs it. The shipped nets were trained with the
# scalar kernels before the AVX2 ones existed (their manifest entries say
# so): rounding differs between kernel sets and training amplifies it, so a
# rerun gives statistically equivalent nets, not the same bits; add
# `--kernels scalar` to NET and NET3 to reproduce the shipped files. Stage 1 (4500 steps,
# loss weight 1/(σ²+0.1²)) gives the drawing net; the C^α nets get a second
# stage (1200 steps from stage 1, lr 3e-4) that trades a little low-noise
# PSNR for high-noise PSNR (loss weight 1/(σ+0.01); α = 2, 4) or the other
# way round for the rough α = 1 images (loss weight 1/(σ²+0.02²)). Each run checkpoints
# beside its output and resumes when rerun. The trainer runs the AVX2
# assembly kernels where the CPU has them (the manifest records the kernel
# set of each net) and is built with GOAMD64=v3 (FMA) where the CPU has it,
# which speeds up the scalar code around the kernels.
NET := --size 32 --blocks 2 --base 16 --batch 16 --val 256 --workers 1
STAGE1 := $(TRAINER) train $(NET) --steps 4500 --lr 0.001 --weighting inv-sigma2 --weight-floor 0.1 --seed 1
STAGE2 := $(TRAINER) train $(NET) --steps 1200 --lr 0.0003 --weighting inv-sigma --weight-floor 0.01 --seed 2
# The α = 1 and α = 2 nets have 3 blocks (479,424 parameters): the 2-block
# α = 2 net missed the 1.5 dB bar at σ = 0.4 by 0.21 dB, and the 2-block
# α = 1 net was 0.1–1.3 dB below the Gaussian filter at σ ≥ 0.1 (the 3-block
# one is 0.6–1.2 dB above it). Stage 1 9000 steps, stage 2 1500.
NET3 := --size 32 --blocks 3 --base 16 --batch 16 --val 256 --workers 1
STAGE1_3 := $(TRAINER) train $(NET3) --steps 9000 --lr 0.001 --weighting inv-sigma2 --weight-floor 0.1 --seed 1
STAGE2_3 := $(TRAINER) train $(NET3) --steps 1500 --lr 0.0003 --weighting inv-sigma --weight-floor 0.01 --seed 2
STAGE2_3_LOW := $(TRAINER) train $(NET3) --steps 1500 --lr 0.0003 --weighting inv-sigma2 --weight-floor 0.02 --seed 2
$(TRAINER): $(GOFILES)
	@mkdir -p build/stage1
	GOAMD64=$(GOAMD64V) $(GO) build -trimpath -o $@ ./scripts/scalewise
weights: $(TRAINER)
	$(MAKE) -j2 weights-lane-a weights-lane-b
weights-lane-a:
	$(STAGE1) --data drawing --out weights/denoiser-drawing.safetensors
	$(STAGE1_3) --data calpha --alpha 1 --out build/stage1/denoiser-calpha1.safetensors
	$(STAGE2_3_LOW) --data calpha --alpha 1 --init build/stage1/denoiser-calpha1.safetensors --out weights/denoiser-calpha1.safetensors
weights-lane-b:
	$(STAGE1_3) --data calpha --alpha 2 --out build/stage1/denoiser-calpha2.safetensors
	$(STAGE2_3) --data calpha --alpha 2 --init build/stage1/denoiser-calpha2.safetensors --out weights/denoiser-calpha2.safetensors
	$(STAGE1) --data calpha --alpha 4 --out build/stage1/denoiser-calpha4.safetensors
	$(STAGE2) --data calpha --alpha 4 --init build/stage1/denoiser-calpha4.safetensors --out weights/denoiser-calpha4.safetensors
	$(MAKE) weights-f16

# The float16 copies of the shipped denoisers that the page embeds (half
# the bytes): scalewise half writes each only when it denoises 64 held-out
# images within 0.05 dB of PSNR of the float32 net at every noise level
# (weights/f16_test.go checks the copies). About 20 s.
DENOISERS = drawing calpha1 calpha2 calpha4
weights-f16: build/scalewise
	@mkdir -p weights/f16
	@for n in $(DENOISERS); do \
	  build/scalewise half --in weights/denoiser-$$n.safetensors --out build/denoiser-$$n-f16.safetensors && \
	  mv build/denoiser-$$n-f16.safetensors weights/f16/denoiser-$$n.safetensors || exit 1; done

# The rate stage (candidates, not shipped yet): `scalewise rate` finds an
# error floor in the C^α nets (a clean image comes back at 44.7 dB for α = 2,
# 47.0 dB for α = 4), so PSNR_out stops rising below σ ≈ 0.01 and the
# slopes fall short of α/(α+1); the loss weights of stages 1 and 2 put under
# 10 % of the loss at σ < 0.02. A third stage from the shipped nets weights
# each image by 1/(σ² + 0.005²), its error relative to its noise, for 6000
# steps at lr 3e-4. It trains into build/rate/ (checkpoints beside it); the
# nets land in weights/ (with make weights updated) only once `scalewise
# rate` shows them nearer the theory without losing PSNR at σ ≥ 0.05.
STAGE3 := --steps 6000 --lr 0.0003 --weighting inv-sigma2 --weight-floor 0.005 --seed 3
rate-weights: $(TRAINER)
	@mkdir -p build/rate
	nice -n 19 $(TRAINER) train $(NET3) $(STAGE3) --data calpha --alpha 2 --init weights/denoiser-calpha2.safetensors --out build/rate/denoiser-calpha2.safetensors
	nice -n 19 $(TRAINER) train $(NET) $(STAGE3) --data calpha --alpha 4 --init weights/denoiser-calpha4.safetensors --out build/rate/denoiser-calpha4.safetensors
	nice -n 19 $(TRAINER) train $(NET3) $(STAGE3) --data calpha --alpha 1 --init weights/denoiser-calpha1.safetensors --out build/rate/denoiser-calpha1.safetensors

# The memorisation → generalisation sweep (Kadkhodaie, Guth, Simoncelli &
# Mallat, ICLR 2024, §2.2): denoisers of two sizes (2 blocks × base 8,
# 28,768 parameters; 3 blocks × base 16, 479,424) trained on the disjoint
# MNIST subsets S1 and S2 of N digits for every N in GEN_N, with one recipe
# (the authors' plain summed loss, Adam lr 1e-3 with step decay, batch 16)
# and one step budget whatever N: 40,000 steps (640,000 images), chosen from
# a pilot of the small net on S1: at N = 10 the held-out PSNR is 15–17 dB at
# every σ after 5,000 steps (memorised: the net returns training digits)
# while the training-set PSNR climbs; at N = 10,000 the held-out PSNR at
# σ = 0.02…0.4 rises by 0.9 dB on average from 5,000 to 10,000 steps, by
# 0.7 dB to 20,000 and by 0.6 dB to 40,000 (36.3, 33.2, 29.3, 26.0, 22.3 dB),
# still rising, while it matches the training-set PSNR to 0.3 dB at every
# budget (generalised, not converged: convergence would take several times
# the compute, and one lane here runs the sweep in about 13 hours). Each net
# is one resumable command: it
# trains into build/generalisation/ (checkpoints beside it; rerun to resume)
# and lands in weights/generalisation/ (with its manifest entry) when
# finished. LANES=1 (one core, the default) or 2; the runs are niced. The
# sweep builds its own trainer once (build/scalewise-gen; delete it to
# rebuild), so changing the source while it runs changes nothing.
LANES     ?= 1
GEN_N     := 1 10 100 1000 10000 30000
GEN_STEPS := 40000
GEN_NICE  ?= nice -n 19
GEN_TRAINER := build/scalewise-gen
GEN_COMMON := --data mnist --size 32 --batch 16 --lr 0.001 --weighting none --seed 1 --val 256 --workers 1 --steps $(GEN_STEPS)
GEN_small := --blocks 2 --base 8
GEN_large := --blocks 3 --base 16
GEN_NETS := $(foreach s,small large,$(foreach n,$(GEN_N),$(foreach set,s1 s2,weights/generalisation/mnist-$(s)-$(set)-n$(n).safetensors)))
define GEN_RULE
weights/generalisation/mnist-$(1)-$(2)-n$(3).safetensors: | $(GEN_TRAINER)
	@mkdir -p build/generalisation
	$(GEN_NICE) $(GEN_TRAINER) train $(GEN_COMMON) $(GEN_$(1)) --subset $(2) --n $(3) --out build/generalisation/mnist-$(1)-$(2)-n$(3).safetensors
	$(GEN_TRAINER) land build/generalisation/mnist-$(1)-$(2)-n$(3).safetensors weights/generalisation
endef
$(foreach s,small large,$(foreach n,$(GEN_N),$(foreach set,s1 s2,$(eval $(call GEN_RULE,$(s),$(set),$(n))))))
$(GEN_TRAINER):
	@mkdir -p build
	GOAMD64=$(GOAMD64V) $(GO) build -trimpath -o $@ ./scripts/scalewise
generalisation-weights:
	$(MAKE) -j$(LANES) $(GEN_NETS)

# The measured tables of the sweep (scalewise generalise, 64 sample pairs
# per N), which the Generate scene plots: one per size whose nets have all
# landed. Written to build/ and moved into place when complete.
GEN_PAIRS ?= 64
sweep-tables: build/scalewise
	@for s in small large; do \
	  if [ $$(ls weights/generalisation/mnist-$$s-s*-n*.safetensors 2>/dev/null | wc -l) -eq 12 ]; then \
	    build/scalewise generalise --size $$s --pairs $(GEN_PAIRS) --json > build/sweep-$$s.json && \
	    mv build/sweep-$$s.json weights/generalisation/sweep-$$s.json || exit 1; \
	  else echo "sweep-tables: the $$s nets have not all landed"; fi; done

# The optimal-rate curves the Geometry scene shows: PSNR_out against
# PSNR_in of each shipped C^α denoiser on 128 held-out C^α images per σ at
# the nets' training size, 32×32, with the slopes over 20–34 dB
# (Kadkhodaie et al., ICLR 2024, §3). About 15 s each.
RATE_ALPHAS = 1 2 4
rate-tables: build/scalewise
	@for a in $(RATE_ALPHAS); do \
	  build/scalewise rate --weights weights/denoiser-calpha$$a.safetensors --alpha $$a --size 32 --json > build/rate-calpha$$a.json && \
	  mv build/rate-calpha$$a.json weights/rate-calpha$$a.json || exit 1; done

# Regenerate the data the page ships (the MNIST digit sprite, stationary
# 2-D turbulence snapshots: about a minute).
assets: build/scalewise
	build/scalewise assets --out assets
	build/scalewise assets --turbulence --out assets

# Ground-truth φ⁴ at β = 0.68, decorrelated (spacing 2τ_int, measured): the
# data the RG models are fitted on and validated against, each with a
# sidecar .json of the chain's cost and τ_int. L = 32 and 64 by
# Fourier-accelerated HMC, L = 128 by the embedded-Ising cluster sampler
# (FA-HMC would take about 12 hours there). The FA-HMC cost at L = 128, the
# gradient-based side of the RG cost ratio, is measured by phi4 cost from an
# equilibrium start (one hour), and the cluster sampler's cost at L = 32 and
# 64 for comparison. About 2 hours on one core; CI never runs it. The page
# ships a few samples of each (assets/phi4-L*.npy). Last, the scattering
# validation: it simulates and caches the 128² turbulence target and
# independent snapshot (data/turbulence-128.npy) and records the verdicts
# of every field type (data/scat-validate-128.json, about a minute). First,
# 512 decorrelated 64² snapshots of stationary 2-D turbulence vorticity for
# the hierarchic models (two independent runs, 256 each: the first half to
# fit, the second held out; snapshot spacing measured from the
# stream-function autocorrelation, 4.6 large-eddy turnovers; about 17 min,
# resumable, with a JSON sidecar of the measurements; 16 of its held-out
# snapshots go to assets/ for the Renormalise scene).
PHI4 := build/scalewise phi4 sample --beta 0.68
data: build/scalewise
	@mkdir -p data
	nice -n 19 build/scalewise turbulence --size 64 --n 512 --seed 1 --out data/turbulence-64-n512.npy
	build/scalewise assets --rg-heldout data/turbulence-64-n512.npy --out assets
	$(PHI4) --L 32 --n 2048 --seed 1 --out data/phi4-L32-b0.68.npy
	$(PHI4) --L 64 --n 1024 --seed 2 --out data/phi4-L64-b0.68.npy
	$(PHI4) --L 128 --n 512 --seed 3 --sampler cluster --out data/phi4-L128-b0.68.npy
	build/scalewise phi4 cost --L 128 --sampler fahmc --seconds 3600 --start data/phi4-L128-b0.68.npy --out data/phi4-cost-L128-fahmc.json
	build/scalewise phi4 cost --L 32 --sampler cluster --seconds 60 --start data/phi4-L32-b0.68.npy --out data/phi4-cost-L32-cluster.json
	build/scalewise phi4 cost --L 64 --sampler cluster --seconds 60 --start data/phi4-L64-b0.68.npy --out data/phi4-cost-L64-cluster.json
	build/scalewise assets --phi4 data --out assets
	build/scalewise scat validate --json > data/scat-validate-128.json

# The wavelet-conditional RG models of critical φ⁴ (engine/rg), fitted by
# score matching to make data's samples, then validated against the
# held-out samples (the metrics go into weights/manifest.json). A few
# minutes per L on this machine (about 15 at L = 128, mostly the 256 RG
# samples of the validation).
rg-weights: build/scalewise
	build/scalewise rg fit --data data/phi4-L32-b0.68.npy --out weights/rg-phi4-L32.json
	build/scalewise rg validate --L 32 --n 256 --record
	build/scalewise rg fit --data data/phi4-L64-b0.68.npy --out weights/rg-phi4-L64.json
	build/scalewise rg validate --L 64 --n 256 --record
	build/scalewise rg fit --data data/phi4-L128-b0.68.npy --out weights/rg-phi4-L128.json
	build/scalewise rg validate --L 128 --n 256 --record
	@mkdir -p build/rg-weights
	build/scalewise rg fit --field turbulence --data data/turbulence-64-n512.npy --out build/rg-weights/rg-turbulence-L64.json
	build/scalewise rg fit --field turbulence --data data/turbulence-64-n512.npy --scattering=false --out build/rg-weights/rg-turbulence-L64-local.json
	build/scalewise rg validate --field turbulence --data data/turbulence-64-n512.npy --model build/rg-weights/rg-turbulence-L64.json --ablation build/rg-weights/rg-turbulence-L64-local.json --n 256 --seed 1 --json --record --land weights > build/rg-weights/rg-turbulence-L64-validate.json
	build/scalewise rg fit --field calpha --alpha 2 --L 32 --n 1024 --out build/rg-weights/rg-calpha-L32.json
	build/scalewise rg fit --field calpha --alpha 2 --L 32 --n 1024 --scattering=false --out build/rg-weights/rg-calpha-L32-local.json
	build/scalewise rg validate --field calpha --alpha 2 --L 32 --model build/rg-weights/rg-calpha-L32.json --ablation build/rg-weights/rg-calpha-L32-local.json --fit-n 1024 --n 64 --synth=false --seed 1 --json --record --land weights > build/rg-weights/rg-calpha-L32-validate.json
	build/scalewise rg fit --field drawings --L 32 --n 1024 --out build/rg-weights/rg-drawings-L32.json
	build/scalewise rg fit --field drawings --L 32 --n 1024 --scattering=false --out build/rg-weights/rg-drawings-L32-local.json
	build/scalewise rg validate --field drawings --L 32 --model build/rg-weights/rg-drawings-L32.json --ablation build/rg-weights/rg-drawings-L32-local.json --fit-n 1024 --n 64 --synth=false --seed 1 --json --record --land weights > build/rg-weights/rg-drawings-L32-validate.json

clean:
	rm -rf build dist
