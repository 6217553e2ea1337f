// The Generate scene: images drawn by score diffusion from the prior
// implicit in a bias-free denoiser, and the memorisation → generalisation
// experiment (Kadkhodaie, Guth, Simoncelli, Mallat, ICLR 2024, §2): two
// nets trained on the disjoint MNIST sets S1 and S2 of N digits each
// generate from the same noise, each in its own engine ("gen-s1",
// "gen-s2"), side by side (compute's Generate stepper; the canvas app's
// "generate" scene). A grid of samples from any one net is the other mode.
//
// The data (the sweep's nets, its measured tables and the MNIST training
// digits) are lazy assets: fetched when the scene first needs them, inline
// in the single file (scripts/mkdist, data.go). Each engine is given what
// its run needs with put: its net, and the training set of its side.
import { $, showError, setStatus, setNumbers, progressBar, job, textDue, fmt, fmtInt, seedInput, randomSeed } from "../ui.js";
import { compute, engine } from "../engine.js";
import { appCall, appStarted, canvasUp, load } from "../app.js";
import { Stepper } from "../loop.js";
import { assetBytes, gunzip, assetText } from "../assets.js";
import { download, forTest, panelsPNG, series } from "../export.js";

// The sweep's training-set sizes and the shipped denoisers a grid may use.
export const GEN_N = [1, 10, 100, 1000, 10000, 30000];
export const SHIPPED_NETS = ["drawing", "calpha1", "calpha2", "calpha4"];
const ROLES = ["s1", "s2"];
const SET_SIZE = 30000;   // digits in S1 (the first half of MNIST's training set) and in S2
const DIGIT = 28 * 28;    // bytes of a training digit
const STEP_MS = 30;       // engine time per step request
const GRID_N = 9;         // samples in a grid
const SIZE_NAMES = { small: "small", large: "large" };

const gen = {
  manifest: null,       // the sweep's nets: [{name, size, set, n, params}]
  sweep: {},            // size → the table of scalewise generalise
  sweepCmd: "",
  train: null,          // the 60,000 training digits (until both engines have theirs)
  put: new Map(),       // engine → the names of the blobs it holds
  key: "",              // the pair the engines run (keyOf)
  v: {},                // role → the latest values
  final: {},            // role → the done frame
  done: {},             // role → finished
  pair: null,           // {n, cos, cos_centered, nearest_s1, nearest_s2}
  ms: 0,                // time spent generating (round trips), pauses excluded
  grid: null,           // the latest grid's values
  gridKey: "",
  error: "",
};
const netName = (size, set, n) => `mnist-${size}-${set}-n${n}`;
const keyOf = (s) => JSON.stringify([s.gsize, s.gN, s.seed, s.sampler, s.preset]);
const gridKeyOf = (s) => JSON.stringify([s.gnet, s.seed, s.sampler, s.preset]);
const haveNet = (name) => gen.manifest !== null && gen.manifest.some((m) => m.name === name);
const engineOf = (role) => `gen-${role}`;

let ctx = null;

// The pair's run: one request per frame to each engine whose run goes on.
const loop = new Stepper({
  request(once) {
    const body = once ? { k: once } : { max_ms: STEP_MS };
    return Promise.all(ROLES.filter((r) => !gen.done[r]).map((r) => engine(engineOf(r)).request("gen_step", body)));
  },
  frame(fs, ms) {
    gen.ms += ms;
    for (const f of fs) {
      const v = f.values;
      gen.v[v.role] = v;
      if (v.done) { gen.done[v.role] = true; gen.final[v.role] = f; }
    }
    if (ROLES.every((r) => gen.done[r])) { loop.done = true; finishPair(); }
    showPair();
  },
  proceed: () => ctx.shown(scene),
  write: () => writeGen(),
  fail(err) { gen.error = err.message; showError("Generation failed: " + err.message); setStatus("Error."); },
  end() { if (loop.done) applyView(); writeGen(); },
});

// loadManifest reads the sweep's manifest and its tables once.
async function loadManifest() {
  if (gen.manifest) return;
  const m = JSON.parse(await assetText("gen/manifest.json"));
  const nets = [];
  for (const e of m.entries || []) {
    const x = /^mnist-(small|large)-(s1|s2)-n(\d+)\.safetensors$/.exec(e.file || "");
    if (x) nets.push({ name: e.file.replace(/\.safetensors$/, ""), size: x[1], set: x[2], n: +x[3], params: e.params });
  }
  gen.manifest = nets;
  const cmds = [];
  // A size's table is measured once its 12 nets have all landed (make
  // sweep-tables).
  for (const size of Object.keys(SIZE_NAMES)) {
    if (nets.filter((x) => x.size === size).length < 2 * GEN_N.length) continue;
    try {
      const t = JSON.parse(await assetText(`gen/sweep-${size}.json`));
      gen.sweep[size] = t.results || [];
      cmds.push(`scalewise generalise --size ${size} --pairs ${t.pairs} --seed ${t.seed} (${t.sampler}, ${t.preset} preset)`);
    } catch (err) { /* not measured yet */ }
  }
  gen.sweepCmd = cmds.join("; ");
  fillNets();
  writeGen();
}

// putOnce gives engine name the blob called blob, made by bytes(), unless
// it has it.
async function putOnce(name, blob, bytes) {
  let have = gen.put.get(name);
  if (!have) gen.put.set(name, (have = new Set()));
  if (have.has(blob)) return;
  await engine(name).put(blob, await bytes());
  have.add(blob);
}

// trainSet returns the training set of role (S1: digits 0…29,999, S2:
// 30,000…59,999) as bytes, downloading the digits once.
async function trainSet(role) {
  if (!gen.train) {
    setStatus("Loading the MNIST training digits…");
    progressBar.on();
    try {
      gen.train = await gunzip(await assetBytes("gen/mnist-train.u8.gz", (done, total) => progressBar.set(done, total || 1)));
    } finally {
      progressBar.off();
    }
    if (gen.train.length !== 2 * SET_SIZE * DIGIT) throw new Error(`the training digits hold ${gen.train.length} bytes, not ${2 * SET_SIZE * DIGIT}`);
  }
  const at = role === "s1" ? 0 : SET_SIZE * DIGIT;
  return gen.train.slice(at, at + SET_SIZE * DIGIT);
}

const netBytes = (name) => async () => new Uint8Array(await assetBytes(`gen/${name}.safetensors`));

// generate starts the pair for the current settings: both engines get
// their net and training set, start from the same seed, and the loop
// steps both.
async function generate() {
  const g = loop.reset();
  const s = ctx.state;
  Object.assign(gen, { key: "", v: {}, final: {}, done: {}, pair: null, ms: 0, error: "" });
  writeGen();
  try {
    await loadManifest();
    const nets = ROLES.map((r) => netName(s.gsize, r, s.gN));
    const missing = nets.filter((n) => !haveNet(n));
    if (missing.length) throw new Error(`the ${s.gsize} nets at N = ${fmtInt(s.gN)} have not been trained yet (${missing.join(", ")}: make generalisation-weights)`);
    setStatus("Loading the nets…");
    await Promise.all(ROLES.map((r, i) => putOnce(engineOf(r), `gen/${nets[i]}.safetensors`, netBytes(nets[i]))));
    for (const r of ROLES) await putOnce(engineOf(r), `train/${r}`, () => trainSet(r));
    if (ROLES.every((r) => gen.put.get(engineOf(r)).has(`train/${r}`))) gen.train = null; // the engines hold them now
    if (g !== loop.gen) return;
    setStatus("Starting…");
    const t0 = performance.now();
    const body = (r, i) => ({ net: nets[i], train: `train/${r}`, role: r, seed: s.seed, sample: 0, sampler: s.sampler, preset: s.preset, size: 32 });
    const fs = await Promise.all(ROLES.map((r, i) => engine(engineOf(r)).request("gen_start", body(r, i))));
    if (g !== loop.gen) return;
    await appStarted();
    for (const f of fs) await load(f);
    if (g !== loop.gen) return;
    for (const f of fs) gen.v[f.values.role] = f.values;
    gen.key = keyOf(ctx.state);
    gen.ms = performance.now() - t0;
    showError("");
    applyView();
    showPair();
    loop.run(g);
  } catch (err) {
    if (g === loop.gen) { gen.error = err.message; showError("Could not generate: " + err.message); setStatus("Error."); writeGen(); }
  }
}

// cosines returns the cosine similarity of a and b, raw and with each
// one's mean removed.
function cosines(a, b) {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let ab = 0, aa = 0, bb = 0, cab = 0, caa = 0, cbb = 0;
  for (let i = 0; i < n; i++) {
    ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i];
    const x = a[i] - ma, y = b[i] - mb;
    cab += x * y; caa += x * x; cbb += y * y;
  }
  const r = (p, q, r2) => (q > 0 && r2 > 0 ? p / Math.sqrt(q * r2) : 0);
  return { cos: r(ab, aa, bb), centered: r(cab, caa, cbb) };
}

// finishPair measures the pair once both samples are in.
function finishPair() {
  const a = series([gen.final.s1], "sample_values"), b = series([gen.final.s2], "sample_values");
  if (!a || !b || a.length !== b.length) { gen.error = "the samples did not arrive"; return; }
  const c = cosines(a, b);
  const near = (r) => (gen.final[r].values.nearest ? gen.final[r].values.nearest.cos : null);
  gen.pair = { n: ctx.state.gN, cos: c.cos, cos_centered: c.centered, nearest_s1: near("s1"), nearest_s2: near("s2") };
}

// showPair writes the status line and the numbers of the pair.
function showPair() {
  if (!ctx.shown(scene) || ctx.state.gmode !== "pair") return;
  const a = gen.v.s1, b = gen.v.s2;
  if (!a || !b) return;
  if (!textDue(loop.done || !loop.running || loop.paused)) return;
  progressBar.set(Math.min(a.t, b.t), Math.max(a.max_iter, 1));
  const nets = `the ${a.net.size || ""} nets (${fmtInt(a.net.params)} parameters) trained on S1 and on S2, N = ${fmtInt(ctx.state.gN)} digits each`;
  if (loop.done && gen.pair) {
    const p = gen.pair;
    setStatus(`Generated a pair from the same noise with ${nets}, in ${fmtInt(gen.ms)} ms ` +
      `(${a.t} and ${b.t} iterations; engine ${fmtInt(1000 * a.seconds)} and ${fmtInt(1000 * b.seconds)} ms, in two workers at once).`);
    const memo = Math.min(p.nearest_s1, p.nearest_s2) >= 0.95 && p.cos < Math.min(p.nearest_s1, p.nearest_s2);
    const genl = p.cos >= 0.9 && p.cos > Math.max(p.nearest_s1, p.nearest_s2);
    setNumbers(`Similarity of the two samples: cos ${fmt(p.cos)} (mean removed ${fmt(p.cos_centered)}). ` +
      `Each to its nearest training image: S1 ${fmt(p.nearest_s1)} (${digitName(a, 0)}), S2 ${fmt(p.nearest_s2)} (${digitName(b, SET_SIZE)}). ` +
      (memo ? "Each net reproduces a training image of its own: memorisation." :
        genl ? "The two nets generate nearly the same new image: generalisation." :
          "Between memorising and generalising: compare with the measured curves."));
  } else {
    setStatus(`Generating with ${nets}: t = ${a.t} and ${b.t}, σ_t = ${fmt(a.sigma)} and ${fmt(b.sigma)} ` +
      `(stops at ${fmt(a.sigma_l, 2)})${loop.paused ? " (paused)" : ""}.`);
    setNumbers(`${samplerText(a)}; seed ${a.seed}. Both nets see the same initial noise and the same injected noise at every step.`);
  }
}

// digitName names the nearest training digit of v (index in MNIST's
// training set: the set's first digit is at `first`).
const digitName = (v, first) => (v.nearest ? `MNIST training digit ${fmtInt(first + v.nearest.index)}` : "no search");

const samplerText = (v) => (v.sampler === "reverse-sde" ? "Reverse SDE (Euler–Maruyama)" :
  `Kadkhodaie–Simoncelli ascent, ${v.preset === "code" ? "the authors' code's settings" : "the paper's settings"}`);

// grid draws GRID_N samples of the grid's net in engine gen-s1.
async function grid() {
  const s = ctx.state;
  const id = job();
  gen.gridKey = "";
  gen.error = "";
  try {
    if (!SHIPPED_NETS.includes(s.gnet)) {
      await loadManifest();
      if (!haveNet(s.gnet)) throw new Error(`no net ${s.gnet} is shipped`);
      await putOnce(engineOf("s1"), `gen/${s.gnet}.safetensors`, netBytes(s.gnet));
    }
    const t0 = performance.now();
    const f = await compute(id, "gen_grid", { net: s.gnet, n: GRID_N, seed: s.seed, sampler: s.sampler, preset: s.preset, size: 32 }, engineOf("s1"));
    await appStarted();
    await load(f);
    gen.grid = { ...f.values, roundtrip_ms: performance.now() - t0 };
    gen.gridKey = gridKeyOf(s);
    showError("");
    applyView();
    const v = gen.grid;
    setStatus(`${v.n} samples of ${v.net.name} (${fmtInt(v.net.params)} parameters) in ${fmtInt(v.roundtrip_ms)} ms ` +
      `(engine ${fmt(v.seconds, 2)} s; ${fmtInt(v.iterations.reduce((x, y) => x + y, 0) / Math.max(1, v.iterations.length))} iterations each on average).`);
    setNumbers(`${samplerText(v)}; seed ${s.seed}, samples 0 to ${v.n - 1}, each from its own noise stream.`);
  } catch (err) {
    gen.error = err.message;
    showError("Could not draw the samples: " + err.message);
    setStatus("Error.");
  }
  writeGen();
}

// view is what the canvas shows.
function view() {
  const s = ctx.state;
  const p = gen.pair;
  const pair = p && { n: p.n, cos: p.cos, nearest_s1: p.nearest_s1, nearest_s2: p.nearest_s2 };
  return { mode: s.gmode, show: s.gshow, size: s.gsize, n: s.gN, sweep: gen.sweep, command: gen.sweepCmd, pair };
}

function applyView() {
  if (!canvasUp() || !ctx.shown(scene) || !ctx.onCanvas(scene)) return;
  try {
    appCall("setView", JSON.stringify(view()));
  } catch (err) {
    showError("The canvas refused the view: " + err.message);
  }
}

// fillNets lists the grid's nets: the shipped denoisers and the sweep's.
function fillNets() {
  const sel = $("gen-net");
  const names = [...SHIPPED_NETS, ...(gen.manifest || []).map((m) => m.name)];
  if (sel.options.length === names.length) return;
  sel.textContent = "";
  for (const n of names) {
    const o = document.createElement("option");
    o.value = n;
    const m = (gen.manifest || []).find((x) => x.name === n);
    o.textContent = m ? `${m.size} net, ${m.set.toUpperCase()}, N = ${fmtInt(m.n)}` : `${n} (Draw & denoise)`;
    sel.append(o);
  }
  sel.value = ctx.state.gnet;
}

function writeGen() {
  const s = ctx.state;
  const pair = s.gmode === "pair";
  const have = pair && gen.key !== "" && gen.key === keyOf(s);
  $("gen-pair-controls").style.display = pair ? "" : "none";
  $("gen-grid-controls").style.display = pair ? "none" : "";
  $("gen-pause").textContent = loop.paused ? "Resume" : "Pause";
  $("gen-pause").disabled = !have || loop.done;
  $("gen-step").disabled = !have || loop.done;
  $("gen-cancel").disabled = !have || loop.done;
  for (const id of ["gen-gif", "gen-png", "gen-npy"]) $(id).disabled = !(have && loop.done);
  $("gen-N-out").textContent = `N = ${fmtInt(s.gN)}`;
  for (const o of $("gen-size").options) {
    const missing = gen.manifest !== null && !gen.manifest.some((m) => m.size === o.value && m.n === s.gN);
    o.textContent = `${o.value === "small" ? "small (29k)" : "large (479k)"}${missing ? ", not trained yet" : ""}`;
  }
}

async function recompute() {
  const s = ctx.state;
  if (s.gmode === "grid") {
    if (gen.gridKey !== gridKeyOf(s)) return grid();
    applyView();
    return;
  }
  if (gen.key !== "" && gen.key === keyOf(s)) {
    applyView();
    loop.enter();
    return;
  }
  return generate();
}

function pause() {
  if (loop.done || gen.key === "") return;
  if (loop.paused) { writeGen(); loop.resume(); } else { loop.pause(); writeGen(); showPair(); }
}

async function cancel() {
  loop.reset();
  gen.key = "";
  writeGen();
  await Promise.all(ROLES.map((r) => engine(engineOf(r)).request("gen_cancel", {}).catch(() => {})));
  setStatus("Cancelled. Generate starts again from the same seed.");
  writeGen();
}

// exportPair writes the pair's file: the PNG from the samples and nearest
// training images the engines sent (each engine holds only its own
// training set); the GIF and .npy by the S1 engine, given the S2 engine's
// trajectory.
async function exportPair(format) {
  if (!(loop.done && gen.key === keyOf(ctx.state))) throw new Error("nothing generated yet");
  const s = ctx.state;
  if (format === "png") {
    const tiles = ROLES.flatMap((r) => [{ frame: gen.final[r], name: "sample", caption: `${r.toUpperCase()} sample` }]);
    for (const r of ROLES) tiles.push({ frame: gen.final[r], name: "nearest", caption: `nearest ${r.toUpperCase()} digit, cos ${fmt(gen.final[r].values.nearest ? gen.final[r].values.nearest.cos : NaN)}` });
    const url = panelsPNG(tiles, 2);
    const bytes = Uint8Array.from(atob(url.slice(url.indexOf(",") + 1)), (c) => c.charCodeAt(0));
    return { bytes, mime: "image/png", filename: `scalewise-generate-${s.gsize}-N${s.gN}-seed${s.seed}.png` };
  }
  const id = job();
  const tr = await compute(id, "gen_export", { format: "trajectory" }, engineOf("s2"));
  await engine(engineOf("s1")).put("partner", new Uint8Array(tr.buf));
  const f = await compute(id, "gen_export", { format, partner: "partner", show: ctx.state.gshow }, engineOf("s1"));
  return { bytes: new Uint8Array(f.buf), mime: f.values.mime, filename: f.values.filename };
}

// stepN moves N to the previous or next size of the sweep.
function stepN(d) {
  const i = GEN_N.indexOf(ctx.state.gN);
  const j = Math.min(GEN_N.length - 1, Math.max(0, i + d));
  if (j !== i) ctx.update({ gN: GEN_N[j] });
}

export const scene = {
  name: "gen",
  title: "Generate",
  blurb: "Two networks trained on different digits generate from the same noise: copies of their training images for small N, the same new image for large N.",
  papers: [
    { authors: "Z. Kadkhodaie, F. Guth, E. P. Simoncelli, S. Mallat", title: "Generalization in diffusion models arises from geometry-adaptive harmonic representations", where: "ICLR 2024", arxiv: "2310.02557" },
    { authors: "Z. Kadkhodaie, E. P. Simoncelli", title: "Solving linear inverse problems using the prior implicit in a denoiser", where: "NeurIPS 2021", arxiv: "2007.13640" },
  ],
  appScene: "generate",
  keys: ["gmode", "gsize", "gN", "seed", "sampler", "preset", "gshow", "gnet"],
  alias: { mode: "gmode", size: "gsize", N: "gN", show: "gshow", net: "gnet" },
  keep: (k, s) => (k !== "gnet" || s.gmode === "grid") && (!["gsize", "gN", "gshow"].includes(k) || s.gmode === "pair"),

  bind(c) {
    ctx = c;
    const update = (changes) => ctx.update(changes);
    $("gen-mode").onchange = (e) => update({ gmode: e.target.value });
    $("gen-size").onchange = (e) => update({ gsize: e.target.value });
    $("gen-N").oninput = (e) => update({ gN: GEN_N[+e.target.value] });
    $("gen-net").onchange = (e) => update({ gnet: e.target.value });
    $("gen-seed").onchange = seedInput(ctx, "seed");
    $("gen-reseed").onclick = () => update({ seed: randomSeed() });
    $("gen-sampler").onchange = (e) => update({ sampler: e.target.value });
    $("gen-preset").onchange = (e) => update({ preset: e.target.value });
    $("gen-show").onchange = (e) => { update({ gshow: e.target.value }); applyView(); };
    $("gen-go").onclick = () => { showError(""); if (ctx.state.gmode === "grid") grid(); else generate(); };
    $("gen-pause").onclick = pause;
    $("gen-step").onclick = () => { if (!loop.done) loop.step(1); };
    $("gen-cancel").onclick = () => cancel();
    for (const f of ["gif", "png", "npy"]) {
      $(`gen-${f}`).onclick = async () => {
        try { const e = await exportPair(f); download(e.bytes, e.mime, e.filename); } catch (err) { showError(`Could not export ${f}: ${err.message}`); }
      };
    }
  },

  write() {
    const s = ctx.state;
    $("gen-mode").value = s.gmode;
    $("gen-size").value = s.gsize;
    $("gen-N").value = String(GEN_N.indexOf(s.gN));
    if ($("gen-net").options.length) $("gen-net").value = s.gnet;
    $("gen-seed").value = s.seed;
    $("gen-sampler").value = s.sampler;
    $("gen-preset").value = s.preset;
    $("gen-preset").disabled = s.sampler !== "kadkhodaie";
    $("gen-show").value = s.gshow;
    writeGen();
  },

  recompute: () => recompute(),
  enter: () => { applyView(); loop.enter(); },
  leave: () => loop.leave(),
  // ←/→ the previous or next N; space pauses or resumes.
  onKey(c, key) {
    if (ctx.state.gmode !== "pair") return false;
    if (key === " ") { if (gen.key === "" || loop.done) return false; pause(); return true; }
    stepN(key === "ArrowRight" ? 1 : -1);
    return true;
  },
  pngName: (s) => (s.gmode === "grid" ? `scalewise-samples-${s.gnet}-seed${s.seed}.png` : `scalewise-generate-${s.gsize}-N${s.gN}-seed${s.seed}.png`),
  api: () => ({
    genStatus: () => ({
      key: gen.key, running: loop.running, paused: loop.paused, done: loop.done, ms: gen.ms, pair: gen.pair,
      t: { s1: gen.v.s1 ? gen.v.s1.t : 0, s2: gen.v.s2 ? gen.v.s2.t : 0 },
      nearest: { s1: gen.final.s1 ? gen.final.s1.values.nearest : null, s2: gen.final.s2 ? gen.final.s2.values.nearest : null },
      samples: { s1: series([gen.final.s1], "sample_values"), s2: series([gen.final.s2], "sample_values") },
      grid: gen.grid, gridKey: gen.gridKey, error: gen.error, nets: gen.manifest, sweep: gen.sweep,
    }),
    genExport: async (format) => forTest(await exportPair(format)),
  }),
};
