// The Geometry scene: the optimal-rate law and the geometry-adaptive
// harmonic bases (Kadkhodaie, Guth, Simoncelli and Mallat, ICLR 2024, §3).
// The canvas app's "geometry" scene shows the measured rate curves of the
// shipped C^α denoisers (geom_rate: the scalewise rate measurements the
// page ships) and two eigen-analyses, A and B, side by side: the leading
// eigenvectors of the symmetric part of a denoiser's Jacobian at a noisy
// held-out C^α image (with the C^α net of its α) or MNIST digit (with a
// small net of the sweep trained on N digits of S1; the digit comes from
// S2, which that net never saw). An engine of its own ("geometry") runs
// Lanczos as a Stepper loop: A first, then B; a change of either's
// settings cancels the run and computes what changed.
import { $, showError, setStatus, setNumbers, progressBar, textDue, fmt, randomSeed } from "../ui.js";
import { engine } from "../engine.js";
import { appStarted, canvasUp, load } from "../app.js";
import { Stepper } from "../loop.js";
import { assetBytes, gunzip } from "../assets.js";

const ENGINE = "geometry";
const STEP_MS = 30;        // engine time per step request
const LANCZOS_SEED = 1;    // the same start vector for every link
const NOISE_SEED = 1;
const SLOTS = ["a", "b"];
const SET_SIZE = 30000;    // digits in S1 and in S2
const DIGIT = 28 * 28;     // bytes of a digit

// slotKey is what an analysis's result depends on.
const slotKey = (s, x) => JSON.stringify([s["e" + x], s["s" + x], s["i" + x], s.gk]);

let ctx = null;
const geo = {
  rate: false,      // the canvas has the rate curves
  rateTry: null,    // the rate request in flight
  have: { a: "", b: "" },   // the slotKey of each shown result
  failed: { a: "", b: "" }, // the slotKey of a failed or cancelled run (not retried)
  slot: "",         // the analysis being computed
  key: "",          // its slotKey
  starting: false,
  values: null,     // the run's latest values
  runs: 0,
  s2: null,         // the held-out digits (S2), once loaded
  puts: new Set(),  // the nets the engine holds
  error: "",
};

const live = () => geo.starting || (geo.slot !== "" && !loop.done);

const loop = new Stepper({
  request(once) {
    return engine(ENGINE).request("geom_step", once ? { k: once } : { max_ms: STEP_MS });
  },
  frame(f) {
    geo.values = f.values;
    if (f.values.kind === "done") {
      loop.done = true;
      geo.have[geo.slot] = geo.key;
    }
    showProgress();
  },
  proceed: () => ctx.shown(scene),
  write: () => writeCancel(),
  fail(err) { failRun(err); },
  end() {
    writeCancel();
    if (loop.done) { geo.slot = ""; next(); }
  },
  replace: false,
});

// failRun reports a failed run; it is not retried until its settings
// change.
function failRun(err) {
  geo.error = err.message;
  if (geo.slot) geo.failed[geo.slot] = geo.key;
  geo.slot = "";
  geo.starting = false;
  showError(`Analysis failed: ${err.message}`);
  setStatus("Error.");
  canvasCancel();
  writeCancel();
}

// canvasCancel tells the canvas that the run ended unfinished.
function canvasCancel() {
  if (!canvasUp()) return;
  const values = { kind: "cancel", cancelled: true };
  load({ header: JSON.stringify({ scene: "geometry", values, images: [] }), scene: "geometry", values, images: [], buf: new ArrayBuffer(0) })
    .catch((err) => showError("The canvas refused the cancel: " + err.message));
}

// loadRate gives the canvas the measured rate curves, once.
async function loadRate() {
  if (geo.rate || geo.rateTry) return geo.rateTry;
  geo.rateTry = (async () => {
    try {
      const f = await engine(ENGINE).request("geom_rate", {});
      await appStarted();
      await load(f);
      geo.rate = true;
      const c = f.values.curves.map((c) => `α = ${c.alpha}: slope ${fmt(c.slope, 2)} (theory ${fmt(c.theory, 2)})`);
      setNumbers(`Rate on held-out C^α images, PSNR_in ${c.length ? "20–34 dB" : ""}: ${c.join("; ")}.`);
    } catch (err) {
      showError("Could not load the rate curves: " + err.message);
    } finally {
      geo.rateTry = null;
    }
  })();
  return geo.rateTry;
}

// digitOf returns held-out digit i (S2's digit i) as 784 grey levels,
// downloading the digits once.
async function digitOf(i) {
  if (!geo.s2) {
    setStatus("Loading the MNIST digits…");
    progressBar.on();
    try {
      const all = await gunzip(await assetBytes("gen/mnist-train.u8.gz", (done, total) => progressBar.set(done, total || 1)));
      if (all.length !== 2 * SET_SIZE * DIGIT) throw new Error(`the digits hold ${all.length} bytes, not ${2 * SET_SIZE * DIGIT}`);
      geo.s2 = all.slice(SET_SIZE * DIGIT);
    } finally {
      progressBar.off();
    }
  }
  return Array.from(geo.s2.subarray(i * DIGIT, (i + 1) * DIGIT));
}

// putNet gives the engine the sweep net called name, once.
async function putNet(name) {
  if (geo.puts.has(name)) return;
  setStatus("Loading the net…");
  await engine(ENGINE).put(`gen/${name}.safetensors`, new Uint8Array(await assetBytes(`gen/${name}.safetensors`)));
  geo.puts.add(name);
}

// startBody returns the geom_start request of analysis x.
async function startBody(x) {
  const s = ctx.state;
  const e = s["e" + x];
  const base = { slot: x, sigma: s["s" + x], nseed: NOISE_SEED, k: s.gk, lanczos_seed: LANCZOS_SEED };
  if (e[0] === "c") return { ...base, image: "calpha", alpha: +e.slice(1), seed: s["i" + x], size: 32, net: `calpha${e.slice(1)}` };
  const net = `mnist-small-s1-n${e.slice(1)}`;
  await putNet(net);
  return { ...base, image: "mnist", digit: await digitOf(s["i" + x]), digit_index: s["i" + x], net };
}

// next starts the first analysis whose result is not of the current
// settings (and did not fail for them).
function next() {
  if (!ctx.shown(scene) || live()) return;
  const s = ctx.state;
  const x = SLOTS.find((x) => geo.have[x] !== slotKey(s, x) && geo.failed[x] !== slotKey(s, x));
  if (x) start(x);
  else if (geo.values && geo.values.kind === "done") showProgress();
}

// start runs the analysis x.
async function start(x) {
  const g = loop.reset();
  Object.assign(geo, { slot: x, key: slotKey(ctx.state, x), starting: true, values: null, error: "", runs: geo.runs + 1 });
  writeCancel();
  try {
    const body = await startBody(x);
    if (g !== loop.gen) return;
    const f = await engine(ENGINE).request("geom_start", body);
    if (g !== loop.gen) return;
    geo.values = f.values;
    await appStarted();
    await load(f);
    if (g !== loop.gen) return;
    geo.starting = false;
    showError("");
    showProgress();
    loop.run(g);
  } catch (err) {
    if (g !== loop.gen) return;
    failRun(err);
  }
}

// stop ends the run in the engine and the canvas.
function stop() {
  if (!live()) return;
  loop.reset();
  geo.starting = false;
  geo.slot = "";
  progressBar.off();
  engine(ENGINE).request("geom_cancel", {}).catch(() => {});
  canvasCancel();
}

// cancel is the Cancel button: the run ends and is not retried until its
// settings change.
function cancel() {
  if (!live()) return;
  const x = geo.slot, key = geo.key;
  stop();
  geo.failed[x] = key;
  setStatus(`Analysis ${x.toUpperCase()} cancelled. Change its settings to compute it again.`);
  writeCancel();
}

function showProgress() {
  const v = geo.values;
  if (!v || !ctx.shown(scene)) return;
  if (!textDue(loop.done || !loop.running)) return;
  const name = (v.slot || geo.slot || "").toUpperCase();
  if (v.kind === "done") {
    progressBar.set(1, 1);
    setStatus(`Analysis ${name}: top ${v.k} eigenvectors in ${fmt(v.seconds, 1)} s (${v.step} Lanczos steps${v.converged ? "" : ", not converged"}); ` +
      `tr J = ${fmt(v.trace, 1)} ± ${fmt(v.trace_err, 1)}, antisymmetry ${fmt(v.antisymmetry, 2)}.`);
    return;
  }
  progressBar.set(v.step || 0, Math.max(v.krylov || 1, 1));
  setStatus(`Analysis ${name}: Lanczos step ${v.step || 0} of at most ${v.krylov || "…"}.`);
}

function writeCancel() { $("geo-cancel").disabled = !live(); }

// recompute cancels a run its settings no longer ask for, then computes
// what the settings ask for.
function recompute() {
  if (!ctx.shown(scene)) return;
  if (live() && geo.key !== slotKey(ctx.state, geo.slot)) stop();
  loadRate().then(() => next());
}

export const scene = {
  name: "geometry",
  title: "Geometry",
  blurb: "The basis a denoiser adapts to each image (its Jacobian's eigenvectors), compared across α, σ and nets, and the optimal rate on C^α images: MSE ∝ σ^(2α/(α+1)).",
  papers: [
    { authors: "Z. Kadkhodaie, F. Guth, E. P. Simoncelli, S. Mallat", title: "Generalization in diffusion models arises from geometry-adaptive harmonic representations", where: "ICLR 2024, §3", arxiv: "2310.02557" },
    { authors: "C. Dossal, E. Le Pennec, G. Peyré, S. Mallat", title: "Geometrical image estimation with orthogonal bandlet bases (the minimax rate on C^α images)", where: "2005" },
  ],
  appScene: "geometry",
  keys: ["ea", "sa", "ia", "eb", "sb", "ib", "gk"],
  alias: { k: "gk" },

  bind(c) {
    ctx = c;
    const update = (changes) => ctx.update(changes);
    for (const x of SLOTS) {
      $("geo-e" + x).onchange = (e) => update({ ["e" + x]: e.target.value });
      $("geo-s" + x).onchange = (e) => update({ ["s" + x]: +e.target.value });
      $("geo-i" + x).onchange = (e) => {
        const v = Math.round(+e.target.value);
        if (Number.isFinite(v) && v >= 0 && v < SET_SIZE) update({ ["i" + x]: v });
        else { e.target.value = ctx.state["i" + x]; showError(`The image number is 0 to ${SET_SIZE - 1}.`); }
      };
      $("geo-new" + x).onclick = () => update({ ["i" + x]: randomSeed() % SET_SIZE });
    }
    $("geo-k").onchange = (e) => update({ gk: +e.target.value });
    $("geo-cancel").onclick = () => cancel();
  },

  write() {
    const s = ctx.state;
    for (const x of SLOTS) {
      $("geo-e" + x).value = s["e" + x];
      $("geo-s" + x).value = String(s["s" + x]);
      $("geo-i" + x).value = s["i" + x];
    }
    $("geo-k").value = String(s.gk);
    writeCancel();
  },

  recompute: () => recompute(),
  enter() { loop.enter(); },
  leave: () => loop.leave(),
  busy: () => live() || geo.rateTry !== null,
  pngName: (s) => `scalewise-geometry-${s.ea}-${s.eb}.png`,
  api: () => ({
    geometryStatus: () => ({
      rate: geo.rate, slot: geo.slot, running: live(), runs: geo.runs, error: geo.error,
      have: { ...geo.have }, current: { a: slotKey(ctx.state, "a"), b: slotKey(ctx.state, "b") },
      values: geo.values ? { ...geo.values } : null,
    }),
  }),
};
