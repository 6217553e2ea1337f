// The Draw & denoise scene: the person draws in the canvas app's "draw"
// scene, the engine adds noise and denoises (compute.Denoise).
import { $, showError, addNotice, setStatus, setNumbers, job, isLatest, seedInput, randomSeed } from "../ui.js";
import { compute } from "../engine.js";
import { appCall, appStarted, canvasUp, load } from "../app.js";
import { panelsPNG } from "../export.js";

const KEYS = ["net", "mode", "width", "bg", "sigma", "nseed", "d"];
const drawKey = (s) => JSON.stringify(KEYS.map((k) => s[k]));

let ctx = null;
// Denoising reruns as the settings move; only the newest settings are
// computed when the worker frees up.
let busy = false, again = false;
let lastDraw = null; // the Frame of the latest denoise

function drawCommand(cmd) {
  if (!canvasUp()) return;
  try { appCall("drawCommand", JSON.stringify(cmd)); } catch (err) { showError("Drawing: " + err.message); }
}

async function redenoise() {
  if (busy) { again = true; return; }
  const key = drawKey(ctx.state);
  if (key === ctx.framesKey) return;
  busy = true;
  const id = job();
  const t0 = performance.now();
  try {
    const s = ctx.state;
    const body = { d: s.d, mode: s.mode, width: s.width, bg: s.bg, sigma: s.sigma, nseed: s.nseed, net: s.net };
    const f = await compute(id, "denoise", body);
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
    if (again) { again = false; redenoise(); }
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
  keys: KEYS,

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
  },

  recompute: () => redenoise(),
  // The canvas gets the drawing of the link, or a first example.
  enter() {
    const s = ctx.state;
    if (s.d === "") { drawCommand({ op: "example", k: 0 }); return; }
    try { appCall("drawCommand", JSON.stringify({ op: "set", code: s.d })); }
    catch (err) { addNotice(`the drawing in the link could not be read (${err.message}); starting empty`); s.d = ""; ctx.pushURL(); }
  },
  busy: () => busy || again,
  savePNG: () => panels(),
  pngName: (s) => `scalewise-draw-${s.view}-j${s.j}.png`,
  api: () => ({
    panelsPNG: () => panels(),
    lastDrawValues: () => (lastDraw ? { ...lastDraw.values } : null),
  }),
};
