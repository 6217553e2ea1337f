// The Scales scene: an image's orthogonal wavelet transform, scale by
// scale (compute.Scales; the canvas app's "scales" scene).
import { $, showError, setStatus, setNumbers, job, isLatest, seedInput, randomSeed } from "../ui.js";
import { compute } from "../engine.js";
import { appCall, appStarted, canvasUp, load } from "../app.js";

const imageSize = (s) => (s.image === "mnist" ? 32 : s.size);
const maxLevels = (s) => Math.log2(imageSize(s));
// The inputs of the frames: the view (j, what to show) is not one.
const computeKey = (s) => JSON.stringify([s.image, s.image === "calpha" ? [s.alpha, s.method, s.size] : 0, s.seed, s.wavelet, s.J]);

let ctx = null;
let playing = null; // the interval of the animation through the scales
let dir = 1;

// applyView shows j and the view when the canvas has this state's frames.
function applyView() {
  const s = ctx.state;
  if (!canvasUp() || !ctx.shown(scene) || ctx.framesKey !== computeKey(s)) return;
  appCall("setView", JSON.stringify({ j: s.j, show: s.view }));
}

async function rescale() {
  const key = computeKey(ctx.state);
  if (key === ctx.framesKey) return applyView();
  const id = job();
  const t0 = performance.now();
  setStatus("Computing…");
  try {
    const s = ctx.state;
    const body = { image: s.image, seed: s.seed, alpha: s.alpha, method: s.method, size: imageSize(s), wavelet: s.wavelet, J: s.J };
    const f = await compute(id, "scales", body);
    if (!isLatest(id)) return;
    await appStarted();
    await load(f);
    ctx.framesKey = key;
    applyView();
    const v = f.values;
    showError("");
    setStatus(`${v.description}. Computed in ${Math.round(performance.now() - t0)} ms in the engine worker.`);
    setNumbers(`Reconstruction error ‖x − W⁻¹Wx‖/‖x‖ = ${v.recon_rel_err.toExponential(2)}; ` +
      `energy error = ${v.energy_rel_err.toExponential(2)}; x_J keeps ${(100 * v.approx_energy_share).toFixed(2)}% of ‖x‖².`);
  } catch (err) {
    if (isLatest(id)) { showError("Could not compute: " + err.message); setStatus("Error."); }
  }
}

// setPlaying starts or stops the animation back and forth through j.
function setPlaying(on) {
  if (playing) { clearInterval(playing); playing = null; }
  $("play").textContent = on ? "❚❚ pause" : "▶ play";
  if (!on) return;
  playing = setInterval(() => {
    const s = ctx.state;
    if (s.J < 1) return;
    if (s.j + dir > s.J || s.j + dir < 0) dir = -dir;
    ctx.update({ j: s.j + dir });
  }, 700);
}

// step moves j by d within 0…J.
function step(d) {
  const j = Math.min(ctx.state.J, Math.max(0, ctx.state.j + d));
  if (j !== ctx.state.j) ctx.update({ j });
}

export const scene = {
  name: "scales",
  title: "Scales",
  blurb: "An image taken apart scale by scale by an orthogonal wavelet transform, and put back exactly.",
  papers: [
    { authors: "S. Mallat", title: "A Wavelet Tour of Signal Processing: The Sparse Way", where: "3rd edition, Academic Press, 2009" },
    { authors: "S. Mallat", title: "A theory for multiresolution signal decomposition: the wavelet representation", where: "IEEE Trans. Pattern Analysis and Machine Intelligence 11(7), 1989" },
  ],
  appScene: "scales",
  keys: ["image", "alpha", "method", "size", "seed", "wavelet", "J", "j", "view"],
  // The C^α settings are in the link of a C^α image only.
  keep: (k, s) => !((k === "alpha" || k === "method" || k === "size") && s.image !== "calpha"),
  // J is at most log₂ of the image's side; j at most the largest scale
  // the shown scene has (its jMax, else J).
  clamp(s, note, cur) {
    const mj = maxLevels(s);
    if (s.J > mj) {
      note(`J=${s.J} is too large for a ${imageSize(s)}×${imageSize(s)} image; using ${mj}`);
      s.J = mj;
    }
    const jm = cur.jMax ? cur.jMax(s) : s.J;
    if (s.j > jm) {
      note(`j=${s.j} is beyond J=${jm}; using ${jm}`);
      s.j = jm;
    }
  },

  bind(c) {
    ctx = c;
    const update = (changes) => ctx.update(changes);
    $("image").onchange = (e) => update({ image: e.target.value });
    $("alpha").oninput = (e) => { $("alpha-out").textContent = e.target.value; };
    $("alpha").onchange = (e) => update({ alpha: +e.target.value });
    $("method").onchange = (e) => update({ method: e.target.value });
    $("size").onchange = (e) => update({ size: +e.target.value });
    $("seed").onchange = seedInput(ctx, "seed");
    $("reseed").onclick = () => update({ seed: randomSeed() });
    $("wavelet").onchange = (e) => update({ wavelet: e.target.value });
    $("J").onchange = (e) => update({ J: +e.target.value });
    $("j").oninput = (e) => update({ j: +e.target.value });
    $("j-down").onclick = () => step(-1);
    $("j-up").onclick = () => step(1);
    $("play").onclick = () => setPlaying(!playing);
    for (const r of document.querySelectorAll('input[name="view"]')) r.onchange = (e) => update({ view: e.target.value });
  },

  write() {
    const s = ctx.state;
    $("image").value = s.image;
    $("alpha").value = s.alpha;
    $("alpha-out").textContent = s.alpha;
    $("method").value = s.method;
    $("size").value = String(s.size);
    $("seed").value = s.seed;
    $("wavelet").value = s.wavelet;
    const J = $("J");
    const mj = maxLevels(s);
    J.innerHTML = "";
    for (let k = 1; k <= mj; k++) J.add(new Option(String(k), String(k)));
    J.value = String(s.J);
    $("j").max = s.J;
    $("j").value = s.j;
    $("j-out").textContent = `j = ${s.j}`;
    for (const el of document.querySelectorAll(".calpha-only")) el.style.display = s.image === "calpha" ? "" : "none";
    for (const r of document.querySelectorAll('input[name="view"]')) r.checked = r.value === s.view;
  },

  recompute: () => rescale(),
  leave: () => setPlaying(false),
  // ← finer, → coarser (like ◀ ▶), space plays or pauses.
  onKey(c, key) {
    if (key === " ") setPlaying(!playing);
    else step(key === "ArrowRight" ? 1 : -1);
    return true;
  },
  pngName: (s) => `scalewise-scales-${s.view}-j${s.j}.png`,
  api: () => ({ setPlaying }),
};
