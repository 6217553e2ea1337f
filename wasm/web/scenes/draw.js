// The Draw & denoise scene: the person draws in the canvas app's "draw"
// scene, the engine adds noise and denoises (compute.Denoise). With
// "Adapted basis" on, an engine of its own ("basis", so that denoising
// stays responsive) then finds the leading eigenvectors e_k of the
// symmetric part of the denoiser's Jacobian at the noisy image by Lanczos,
// a Stepper loop of bounded requests: a bias-free denoiser is locally
// linear, x̂(y) = ∇x̂(y)·y = Σ_k λ_k ⟨y, e_k⟩ e_k (Kadkhodaie, Guth,
// Simoncelli, Mallat, ICLR 2024, §3). A new drawing, σ, noise, net or K
// cancels the run and starts another once the new denoise is shown.
import { $, showError, addNotice, setStatus, setNumbers, progressBar, job, isLatest, textDue, fmt, seedInput, randomSeed } from "../ui.js";
import { compute, engine } from "../engine.js";
import { appCall, appStarted, canvasUp, load } from "../app.js";
import { Stepper } from "../loop.js";
import { panelsPNG, series } from "../export.js";

const KEYS = ["net", "mode", "width", "bg", "sigma", "nseed", "d"];
const drawKey = (s) => JSON.stringify(KEYS.map((k) => s[k]));
const denoiseBody = (s) => ({ d: s.d, mode: s.mode, width: s.width, bg: s.bg, sigma: s.sigma, nseed: s.nseed, net: s.net });

// The adapted basis (protocol.BasisStartRequest, BasisValues).
const BASIS_ENGINE = "basis";
const BASIS_STEP_MS = 30; // engine time per step request
const BASIS_SEED = 1;     // Lanczos' start vector: the same for every link
const basisKey = (s) => JSON.stringify([drawKey(s), s.bk]);

let ctx = null;
// Denoising reruns as the settings move; only the newest settings are
// computed when the worker frees up.
let busy = false, again = false;
let lastDraw = null; // the Frame of the latest denoise

const basis = {
  key: "",          // the settings of the run started last (basisKey); "" for none
  starting: false,  // basis_start is in flight
  cancelled: false, // the person cancelled the run of key
  values: null,     // the latest values
  final: null,      // the done Frame
  ms: 0,            // round trips of the run
  runs: 0,          // runs started
  error: "",
};
let viewSent = ""; // the view the canvas has

// basisLive reports whether a run is starting or stepping (or paused).
const basisLive = () => basis.starting || (basis.key !== "" && !loop.done && !basis.error && !basis.cancelled);

// The run: one step request per display frame to the basis engine; every
// frame goes to the canvas (replace: false), whose progress line follows
// the steps.
const loop = new Stepper({
  request(once) {
    return engine(BASIS_ENGINE).request("basis_step", once ? { k: once } : { max_ms: BASIS_STEP_MS });
  },
  frame(f, ms) {
    basis.ms += ms;
    basis.values = f.values;
    if (f.values.kind === "done") { loop.done = true; basis.final = f; }
    showBasis();
  },
  proceed: () => ctx.shown(scene) && ctx.state.basis === "on",
  write: () => writeBasis(),
  fail(err) { basis.error = err.message; showError("The adapted basis failed: " + err.message); setStatus("Error."); canvasStopped(); writeBasis(); },
  end() { writeBasis(); if (loop.done) showBasis(); },
  replace: false,
});

// maybeBasis starts the basis of the denoise shown when it is on and has
// not been started (or has been stopped) for these settings.
function maybeBasis() {
  const s = ctx.state;
  if (s.basis !== "on" || busy || again || ctx.framesKey !== drawKey(s) || !ctx.shown(scene)) return;
  if (basis.key === basisKey(s)) return; // running, done, failed or cancelled for these settings
  startBasis();
}

// startBasis starts Lanczos in the basis engine for the current settings
// (the denoise request's fields, K and the seed) and runs the loop.
async function startBasis() {
  const g = loop.reset();
  const s = ctx.state;
  Object.assign(basis, { key: basisKey(s), starting: true, cancelled: false, values: null, final: null, ms: 0, error: "", runs: basis.runs + 1 });
  writeBasis();
  const t0 = performance.now();
  try {
    const f = await engine(BASIS_ENGINE).request("basis_start", { ...denoiseBody(s), k: s.bk, seed: BASIS_SEED });
    if (g !== loop.gen) return;
    basis.ms = performance.now() - t0;
    basis.values = f.values;
    await appStarted();
    await load(f);
    if (g !== loop.gen) return;
    basis.starting = false;
    if (f.values.kind === "done") { loop.done = true; basis.final = f; writeBasis(); showBasis(); return; }
    showBasis();
    loop.run(g);
  } catch (err) {
    if (g !== loop.gen) return;
    basis.starting = false;
    basis.error = err.message;
    showError("Could not compute the adapted basis: " + err.message);
    setStatus("Error.");
    canvasStopped();
    writeBasis();
  }
}

// canvasStopped tells the canvas that the run ended unfinished (a frame
// of kind "cancel"): its progress line stops.
function canvasStopped() {
  if (!canvasUp()) return;
  const values = { kind: "cancel", cancelled: true };
  load({ header: JSON.stringify({ scene: "draw", values, images: [] }), scene: "draw", values, images: [], buf: new ArrayBuffer(0) })
    .catch((err) => showError("The canvas refused the cancel: " + err.message));
}

// endRun forgets the run in the engine and in the canvas.
function endRun() {
  loop.reset();
  basis.starting = false;
  progressBar.off();
  engine(BASIS_ENGINE).request("basis_cancel", {}).catch(() => {});
  canvasStopped();
}

// stopBasis ends a live run (the settings changed, or the basis was
// turned off); a finished result keeps its key, so that turning the basis
// off and on again shows it without computing it again.
function stopBasis() {
  if (basisLive()) endRun();
  if (!loop.done) basis.key = "";
  writeBasis();
}

// cancelBasis is the Cancel button: the run ends, and starts again only
// when the settings change or the basis is turned off and on.
function cancelBasis() {
  if (!basisLive()) return;
  endRun();
  basis.cancelled = true;
  setStatus("Adapted basis cancelled. Change the drawing, σ, the net or K, or turn it off and on, to compute it again.");
  writeBasis();
}

// showBasis writes the progress bar and the status line of the run.
function showBasis() {
  const v = basis.values;
  if (!v || !ctx.shown(scene) || ctx.state.basis !== "on") return;
  if (!textDue(loop.done || !loop.running || loop.paused)) return;
  if (loop.done) {
    progressBar.set(v.step, Math.max(v.step, 1));
    setStatus(`Top ${v.k} eigenvectors in ${fmt(v.seconds, 1)} s (${v.step} Lanczos steps${v.converged ? "" : ", not converged"}); ` +
      `tr J = ${fmt(v.trace, 1)} ± ${fmt(v.trace_err, 1)}, antisymmetry ${fmt(v.antisymmetry)} ± ${fmt(v.antisymmetry_err)}.`);
    return;
  }
  progressBar.set(v.step, Math.max(v.krylov, 1));
  const r = typeof v.residual === "number" && v.residual >= 0 ? v.residual.toExponential(1) : "–";
  setStatus(`Adapted basis (K = ${v.k}): Lanczos step ${v.step} of at most ${v.krylov}, residual ${r}${loop.paused ? " (paused)" : ""}.`);
}

function writeBasis() {
  const s = ctx.state;
  $("basis").checked = s.basis === "on";
  $("basis-k").value = String(s.bk);
  $("basis-cancel").disabled = !basisLive();
}

// applyView tells the canvas whether to show the adapted basis.
function applyView() {
  if (!canvasUp() || !ctx.shown(scene) || !ctx.onCanvas(scene)) return;
  const v = JSON.stringify({ basis: ctx.state.basis === "on" });
  if (v === viewSent) return;
  try {
    appCall("setView", v);
    viewSent = v;
  } catch (err) {
    showError("The canvas refused the view: " + err.message);
  }
}

// recompute stops a run the settings no longer ask for, then denoises
// (which starts the basis when it is on).
function recompute() {
  const s = ctx.state;
  applyView();
  if (basis.key !== "" && (s.basis !== "on" || basis.key !== basisKey(s))) stopBasis();
  return redenoise();
}

function drawCommand(cmd) {
  if (!canvasUp()) return;
  try { appCall("drawCommand", JSON.stringify(cmd)); } catch (err) { showError("Drawing: " + err.message); }
}

async function redenoise() {
  if (busy) { again = true; return; }
  const key = drawKey(ctx.state);
  if (key === ctx.framesKey) { maybeBasis(); return; }
  busy = true;
  const id = job();
  const t0 = performance.now();
  try {
    const f = await compute(id, "denoise", denoiseBody(ctx.state));
    if (isLatest(id) && ctx.shown(scene)) {
      await appStarted();
      await load(f);
      ctx.framesKey = key;
      lastDraw = f;
      const v = f.values;
      showError("");
      setStatus(`Denoised with the ${v.net} net in ${Math.round(v.denoise_ms)} ms (round trip ${Math.round(performance.now() - t0)} ms).`);
      setNumbers(`σ = ${v.sigma.toFixed(3)}: PSNR ${v.psnr_in.toFixed(2)} dB → ${v.psnr_out.toFixed(2)} dB. ${v.net_detail}`);
    }
  } catch (err) {
    if (isLatest(id)) { showError("Could not denoise: " + err.message); setStatus("Error."); }
  } finally {
    busy = false;
    if (again) { again = false; redenoise(); } else maybeBasis();
  }
}

// panels composes the four panels of the latest denoise, each 64×64 shown
// at 4×, side by side with their captions.
function panels() {
  if (!lastDraw) throw new Error("nothing denoised yet");
  const v = lastDraw.values;
  const tile = (name, caption) => ({ frame: lastDraw, name, caption });
  return panelsPNG([tile("clean", "clean x"), tile("noisy", `noisy, ${v.psnr_in.toFixed(2)} dB`),
    tile("denoised", `denoised, ${v.psnr_out.toFixed(2)} dB`), tile("residual", "residual f(y)")], 4);
}

export const scene = {
  name: "draw",
  title: "Draw & denoise",
  blurb: "Draw on an image with the mouse or a finger; we add noise and a bias-free network we trained removes it.",
  papers: [
    { authors: "Z. Kadkhodaie, F. Guth, E. P. Simoncelli, S. Mallat", title: "Generalization in diffusion models arises from geometry-adaptive harmonic representations", where: "ICLR 2024", arxiv: "2310.02557" },
  ],
  appScene: "draw",
  touch: true, // a finger draws
  keys: [...KEYS, "basis", "bk"],
  alias: { k: "bk" },
  // The link holds the basis and its K only when it is on.
  keep: (k, s) => !(k === "basis" || k === "bk") || s.basis === "on",

  bind(c) {
    ctx = c;
    const update = (changes) => ctx.update(changes);
    $("net").onchange = (e) => update({ net: e.target.value });
    $("mode").onchange = (e) => update({ mode: e.target.value });
    $("width").oninput = (e) => update({ width: +e.target.value });
    $("sigma").oninput = (e) => update({ sigma: +e.target.value });
    $("bg").onchange = seedInput(ctx, "bg");
    $("nseed").onchange = seedInput(ctx, "nseed");
    $("undo").onclick = () => drawCommand({ op: "undo" });
    $("clear").onclick = () => drawCommand({ op: "clear" });
    $("example").onchange = (e) => { if (e.target.value !== "") drawCommand({ op: "example", k: +e.target.value, seed: randomSeed() }); e.target.value = ""; };
    $("basis").onchange = (e) => update({ basis: e.target.checked ? "on" : "off" });
    $("basis-k").onchange = (e) => update({ bk: +e.target.value });
    $("basis-cancel").onclick = () => cancelBasis();
    // The canvas app reports every finished stroke, undo or clear.
    window.scalewiseDrawingChanged = (code) => update({ d: code });
  },

  write() {
    const s = ctx.state;
    $("net").value = s.net;
    $("mode").value = s.mode;
    $("width").value = s.width;
    $("width-out").textContent = s.width;
    $("width-row").style.display = s.mode === "stroke" ? "" : "none";
    $("bg").value = s.bg;
    $("sigma").value = s.sigma;
    $("sigma-out").textContent = Number(s.sigma).toFixed(3);
    $("nseed").value = s.nseed;
    writeBasis();
  },

  recompute: () => recompute(),
  // The canvas gets the drawing of the link, or a first example, and the
  // view; a run paused when the person left goes on.
  enter() {
    const s = ctx.state;
    applyView();
    loop.enter();
    if (s.d === "") { drawCommand({ op: "example", k: 0 }); return; }
    try { appCall("drawCommand", JSON.stringify({ op: "set", code: s.d })); }
    catch (err) { addNotice(`the drawing in the link could not be read (${err.message}); starting empty`); s.d = ""; ctx.pushURL(); }
  },
  leave: () => loop.leave(),
  busy: () => busy || again,
  savePNG: () => panels(),
  pngName: (s) => `scalewise-draw-${s.view}-j${s.j}.png`,
  api: () => ({
    panelsPNG: () => panels(),
    lastDrawValues: () => (lastDraw ? { ...lastDraw.values } : null),
    // The adapted basis: done once the run of the current settings has
    // finished; runs counts the runs started.
    basisStatus: () => {
      const v = basis.values || {};
      return {
        running: basisLive(), done: loop.done && basis.key === basisKey(ctx.state), cancelled: basis.cancelled,
        k: v.k || ctx.state.bk, steps: v.step || 0, krylov: v.krylov || 0, seconds: v.seconds || 0, ms: basis.ms,
        trace: v.trace, trace_err: v.trace_err, converged: !!v.converged, runs: basis.runs, error: basis.error,
        eigenvalues: series([basis.final], "eigenvalues"),
      };
    },
  }),
};
