// The Scattering scene: directional wavelets, the modulus and second
// transforms of a field, its scattering spectra, and their microcanonical
// synthesis (compute.ScatSession; the canvas app's "scattering" scene).
// The engine keeps one scattering session: analyses reuse what did not
// change; a synthesis is a Stepper loop of bounded "scat_synth_step"
// requests.
import { $, showError, addNotice, setStatus, setNumbers, progressBar, job, textDue, fmt, fmtInt, seedInput, randomSeed } from "../ui.js";
import { compute, engine } from "../engine.js";
import { appCall, appStarted, canvasUp, load } from "../app.js";
import { Stepper } from "../loop.js";
import { download, exportFile, forTest, panelsPNG, saveFile, series } from "../export.js";

const SCAT_STEP_MS = 40;
const FIELD_NAMES = { phi4: "φ⁴ (β = 0.68)", calpha: "C^α image", drawing: "your drawing", cosmic: "cosmic web", turbulence: "2-D turbulence" };
// The largest J of a directional bank for n×n fields: 2^J ≤ n/2.
const scatMaxJ = (n) => Math.log2(n) - 1;

const scat = {
  fields: ["phi4", "calpha", "drawing"], // the fields this build offers (scat_info)
  // What Synthesise matches besides the spectra (scat_info): the marginal
  // term's quantiles and the power-spectrum term's rings per octave
  // (compute.ScatMarginalQuantiles, scattering.DefaultSynthOptions).
  quantiles: 64, rings: 8,
  akey: "",          // analysis key of the panels the canvas has
  busy: false, again: false,
  ana: null,         // values of the latest analysis
  lastAna: null,     // its Frame (for the panels PNG)
  anaMs: 0, anaRoundMs: 0, analyses: 0,
  skey: "",          // synthesis key of the synthesis the session holds
  v: null,           // latest synthesis values
  lastStart: null, lastStep: null,
  ms: 0,             // synthesis time in this page: round trips, pauses excluded
  wallMs: 0,         // from Synthesise to the end, pauses included
  t0: 0,
  showSynth: false,
  error: "",
};
const bodyOf = (s) => {
  const b = { field: s.field, size: s.ssize, seed: s.seed, kind: s.kind, J: s.sJ, L: s.sL, j: s.sj, k: s.k, by: s.by };
  if (s.field === "calpha") b.alpha = s.alpha;
  if (s.field === "drawing") Object.assign(b, { d: s.d, mode: s.mode, width: s.width, bg: s.bg });
  return b;
};
const anaKey = (s) => JSON.stringify(bodyOf(s));
// The synthesis depends on the field, the bank, the form, the marginal
// term and the seed, not on the wavelet ψ_{j,k} shown.
const synthKey = (s) => { const b = bodyOf(s); delete b.j; delete b.k; delete b.by; return JSON.stringify([b, s.form, s.marginal]); };

let ctx = null;

const synth = new Stepper({
  replace: true,
  request: () => engine().request("scat_synth_step", { max_ms: SCAT_STEP_MS }),
  frame(f, ms) {
    const v = f.values;
    scat.ms += ms;
    scat.v = { ...scat.v, ...v };
    scat.lastStep = f;
    if (v.done) { synth.done = true; scat.wallMs = performance.now() - scat.t0; }
    showSynth(scat.v);
  },
  proceed: () => ctx.shown(scene),
  write: () => writeScat(),
  fail(err) { scat.error = err.message; synth.done = true; showError("Synthesis failed: " + err.message); setStatus("Error."); },
  end() { writeScat(); if (scat.v) showSynth(scat.v, true); },
});

function writeScat() {
  const s = ctx.state;
  const have = scat.skey !== "" && scat.skey === synthKey(s);
  for (const o of $("scat-field").options) {
    const ok = scat.fields.includes(o.value);
    o.disabled = !ok;
    o.textContent = FIELD_NAMES[o.value] + (ok ? "" : o.value === "turbulence" ? " (no snapshot shipped yet)" : " (not in this build)");
  }
  $("scat-field").value = s.field;
  $("scat-size").value = String(s.ssize);
  $("scat-seed").value = s.seed;
  $("scat-alpha").value = s.alpha;
  $("scat-alpha-out").textContent = s.alpha;
  $("scat-alpha-row").style.display = s.field === "calpha" ? "" : "none";
  $("scat-drawing-row").style.display = s.field === "drawing" ? "" : "none";
  $("scat-kind").value = s.kind;
  const J = $("scat-J");
  J.innerHTML = "";
  for (let k = 2; k <= scatMaxJ(s.ssize); k++) J.add(new Option(String(k), String(k)));
  J.value = String(s.sJ);
  $("scat-L").value = String(s.sL);
  $("scat-by").value = s.by;
  $("scat-form").value = s.form;
  $("scat-marginal").checked = s.marginal === "on";
  $("scat-j-out").textContent = `j = ${s.sj} (2^${s.sj} px)`;
  $("scat-j-down").disabled = s.sj <= 0;
  $("scat-j-up").disabled = s.sj >= s.sJ - 1;
  $("scat-k-out").textContent = `k = ${s.k} (θ = ${Math.round(180 * s.k / s.sL)}°)`;
  $("scat-k-down").disabled = s.k <= 0;
  $("scat-k-up").disabled = s.k >= s.sL - 1;
  $("scat-pause").textContent = synth.paused ? "Resume" : "Pause";
  $("scat-pause").disabled = !have || synth.done;
  $("scat-show").textContent = scat.showSynth ? "Show analysis" : "Show synthesis";
  $("scat-show").disabled = !scat.v;
  for (const id of ["scat-gif", "scat-npy"]) $(id).disabled = !have || !scat.v;
  $("scat-png").disabled = !scat.lastAna;
}

function applyScat() {
  if (!canvasUp() || !ctx.shown(scene) || !ctx.onCanvas(scene)) return;
  appCall("setView", JSON.stringify({ mode: scat.showSynth && scat.v ? "synth" : "analyse" }));
  writeScat();
}

async function recompute() {
  const s = ctx.state;
  if (!scat.fields.includes(s.field)) {
    addNotice(s.field === "turbulence"
      ? "no 2-D turbulence snapshot ships with this page yet; using phi4"
      : `the ${s.field} field is not in this build; using phi4`);
    s.field = "phi4";
    ctx.writeControls();
    ctx.pushURL();
  }
  // A synthesis of another target is dropped.
  if (scat.skey !== "" && scat.skey !== synthKey(ctx.state)) {
    synth.reset();
    Object.assign(scat, { skey: "", v: null, showSynth: false, lastStart: null, lastStep: null });
  } else {
    synth.enter();
  }
  applyScat();
  return analyse();
}

// analyse computes the panels of the current settings; while the worker
// is busy only the newest settings are computed next.
async function analyse() {
  if (scat.busy) { scat.again = true; return; }
  const key = anaKey(ctx.state);
  if (key === scat.akey) return;
  scat.busy = true;
  const id = job();
  const t0 = performance.now();
  try {
    const f = await compute(id, "scat_analyse", bodyOf(ctx.state));
    if (ctx.shown(scene) && anaKey(ctx.state) === key) {
      await appStarted();
      await load(f);
      const v = f.values;
      Object.assign(scat, { akey: key, ana: v, lastAna: f, anaMs: v.ms, anaRoundMs: performance.now() - t0, analyses: scat.analyses + 1, error: "" });
      showError("");
      applyScat();
      anaText(v);
    }
  } catch (err) {
    if (anaKey(ctx.state) === key) { scat.error = err.message; showError("Could not analyse: " + err.message); setStatus("Error."); }
  } finally {
    scat.busy = false;
    if (scat.again) { scat.again = false; if (ctx.shown(scene)) analyse(); }
  }
}

function anaText(v) {
  if (synth.running || (scat.showSynth && scat.v)) return;
  setStatus(`${v.desc}. Panels computed in ${fmtInt(v.ms)} ms in the engine worker (round trip ${fmtInt(scat.anaRoundMs)} ms).` + (v.note ? ` Note: ${v.note}.` : ""));
  const r = v.regularity;
  const reg = !r ? `Directional regularity needs two scales j′ ≥ j: choose j ≤ J − 2.`
    : r.fitted ? `Directional regularity of ψ_{${v.j},${v.k}}: log₂ D grows with slope ${fmt(r.slope, 2)} over j′ = ${r.jprimes[0]}…${r.jprimes[r.jprimes.length - 1]} (R² ${fmt(r.r2, 2)}); the theorem bounds it by α < ${r.bound} for images that are C² away from piecewise-C² edges.`
      : `Directional regularity: some D(j′) is zero, so no slope can be fitted.`;
  const c = v.counts;
  setNumbers(`${reg} Scattering spectra: ${c.iso.total} coefficients in the isotropic form (S1 ${c.iso.S1}, S2 ${c.iso.S2}, S3 ${c.iso.S3}, S4 ${c.iso.S4}), ` +
    `${c.full.total} in the full form (S1 ${c.full.S1}, S2 ${c.full.S2}, S3 ${c.full.S3}, S4 ${c.full.S4}).` +
    ` Synthesise also matches ${ctx.state.marginal === "on" ? `${scat.quantiles} marginal quantiles (block means of the sorted pixels) and ` : ""}` +
    `the power spectrum (its log power in ${scat.rings} rings per octave).`);
}

async function startSynth() {
  const g = synth.reset();
  const id = job();
  Object.assign(scat, { v: null, ms: 0, wallMs: 0, error: "", showSynth: true, skey: "" });
  writeScat();
  setStatus("Computing the target's statistics…");
  const s = ctx.state;
  const body = { ...bodyOf(s), form: s.form, marginal: s.marginal === "on" };
  const t0 = performance.now();
  scat.t0 = t0;
  try {
    const f = await compute(id, "scat_synth_start", body);
    if (g !== synth.gen) return;
    await appStarted();
    await load(f);
    if (g !== synth.gen) return;
    const v = f.values;
    Object.assign(scat, { skey: synthKey(ctx.state), v, lastStart: f, lastStep: f, ms: performance.now() - t0 });
    showError("");
    applyScat();
    showSynth(v);
    synth.run(g);
  } catch (err) {
    if (g === synth.gen) { scat.error = err.message; showError("Could not start the synthesis: " + err.message); setStatus("Error."); }
  }
}

function showSynth(v, final) {
  if (!ctx.shown(scene)) return;
  if (!textDue(final || v.done || synth.paused)) return;
  progressBar.set(v.iter, v.max_iter);
  const what = `${v.n}×${v.n} ${FIELD_NAMES[v.field] || v.field}`;
  const err = `loss ${v.loss === null ? "–" : v.loss.toExponential(2)}, relative error ${v.relerr === null ? "–" : v.relerr.toExponential(2)}`;
  const stats = `${v.count} coefficients` + (v.marginal ? ` and ${v.marginal_quantiles} marginal quantiles` : ", marginal not matched") +
    (v.power_spectrum > 0 ? `, the power spectrum on ${v.power_spectrum_rings} rings per octave` : "");
  if (v.done) {
    setStatus(`Synthesised a ${what} from white noise (${v.form} form, ${stats}) in ${fmt(scat.ms / 1000, 1)} s in this page (${v.iter} L-BFGS iterations, ${v.evals} evaluations; engine ${fmt(v.seconds, 1)} s): ${err} — ${v.status}.`);
  } else {
    setStatus(`Synthesising a ${what} (${v.form} form, ${stats}): iteration ${v.iter}, ${err}; ${fmt(scat.ms / 1000, 1)} s${synth.paused ? " (paused)" : ""}.`);
  }
  const names = (v.groups || []).map((g) => g.name);
  const t = v.loss_terms || {};
  const terms = [["statistics", t.statistics], ["marginal", t.marginal], ["power spectrum", t.power_spectrum]]
    .filter(([, x]) => x !== null && x !== undefined && x > 0).map(([n, x]) => `${n} ${x.toExponential(2)}`).join(" + ");
  setNumbers(`Synthesis vs target: marginal total variation ${fmt(v.hist_tv)}` +
    (v.marginal_err === null || v.marginal_err === undefined ? "" : ` (W₂/σ ${fmt(v.marginal_err)}${v.marginal ? "" : ", the marginal term off"})`) + `, mean |log P/P_target| over the power spectrum ${fmt(v.spectrum_log_ratio)}` +
    (v.spectrum_err_half_octave === null || v.spectrum_err_half_octave === undefined ? "" : ` (${fmt(v.spectrum_err_half_octave)} over half-octave rings)`) + `. ` +
    (terms ? `Loss terms: ${terms}. ` : "") +
    `Relative error per statistic: ${(v.group_errors || []).map((e, i) => `${names[i]} ${e.toExponential(1)}`).join(", ")}.`);
}

function pause() {
  if (synth.done || !scat.v) return;
  if (synth.paused) {
    synth.paused = false;
    synth.autoPaused = false;
    writeScat();
    synth.resume();
  } else {
    synth.pause();
    writeScat();
    if (scat.v) showSynth(scat.v, true);
  }
}

// panels composes the panels of the analysis (the field, the bank, the
// modulus and the second transforms) and, when there is a synthesis, its
// target and current field.
function panels() {
  if (!scat.lastAna) throw new Error("nothing analysed yet");
  const a = scat.ana, A = scat.lastAna;
  const tiles = [
    { frame: A, name: "a/field", caption: `${FIELD_NAMES[a.field]}, ${a.n}×${a.n}` },
    { frame: A, name: "a/bank", caption: `${a.wavelet} bank, J = ${a.J}, L = ${a.L}` },
    { frame: A, name: "a/modulus", caption: `|x ⋆ ψ_{${a.j},${a.k}}|, θ = ${Math.round(a.theta_deg)}°` },
    ...(a.second || []).map((sec, i) => ({ frame: A, name: `a/second/${i}`, caption: `||x ⋆ ψ_{${a.j},${a.k}}| ⋆ ψ_{${sec.jp},${a.kperp}}|` })),
  ];
  if (scat.v && scat.lastStart && scat.lastStep && scat.skey === synthKey(ctx.state)) {
    tiles.push({ frame: scat.lastStart, name: "s/target", caption: "synthesis target" });
    tiles.push({ frame: scat.lastStep, name: "s/synth", caption: `synthesis, iteration ${scat.v.iter}` });
  }
  return panelsPNG(tiles, 4);
}

const nothing = () => (scat.v ? null : "nothing synthesised yet");

// stepJ moves j of the wavelet shown by d within 0…J − 1 (◀ ▶).
function stepJ(d) {
  const sj = Math.min(ctx.state.sJ - 1, Math.max(0, ctx.state.sj + d));
  if (sj !== ctx.state.sj) ctx.update({ sj });
}

export const scene = {
  name: "scat",
  title: "Scattering",
  blurb: "Directional wavelets find a field's edges; the statistics of their moduli resynthesise the field from noise.",
  papers: [
    { authors: "R. Morel, G. Rochette, R. Leonarduzzi, J.-P. Bouchaud, S. Mallat", title: "Scale dependencies and self-similar models with wavelet scattering spectra", where: "2022; Appl. Comput. Harmon. Anal., 2025", arxiv: "2204.10177" },
    { authors: "S. Mallat", title: "Group invariant scattering", where: "Comm. Pure Appl. Math. 65(10), 2012", arxiv: "1101.2286" },
    { authors: "S. Cheng, R. Morel, E. Allys, B. Ménard, S. Mallat", title: "Scattering spectra models for physics", where: "PNAS Nexus 3(4), 2024", arxiv: "2306.17210" },
  ],
  appScene: "scattering",
  keys: ["field", "ssize", "seed", "alpha", "d", "mode", "width", "bg", "kind", "sJ", "sL", "sj", "k", "by", "form", "marginal"],
  // The link of scene=scat says J, L, j and size for its own settings.
  alias: { J: "sJ", L: "sL", j: "sj", size: "ssize" },
  // α is in the link of a C^α field only, the drawing of a drawn one only.
  keep: (k, s) => (k !== "alpha" || s.field === "calpha") && (!["d", "mode", "width", "bg"].includes(k) || s.field === "drawing"),
  // J is at most log₂size − 1, j at most J − 1, k at most L − 1; noted
  // when this scene is shown.
  clamp(s, note, cur) {
    const shown = cur === scene;
    if (s.sJ > scatMaxJ(s.ssize)) {
      if (shown) note(`J=${s.sJ} is too large for a ${s.ssize}×${s.ssize} field; using ${scatMaxJ(s.ssize)}`);
      s.sJ = scatMaxJ(s.ssize);
    }
    if (s.sj > s.sJ - 1) {
      if (shown) note(`j=${s.sj} is beyond the coarsest scale J−1=${s.sJ - 1}; using ${s.sJ - 1}`);
      s.sj = s.sJ - 1;
    }
    if (s.k > s.sL - 1) {
      if (shown) note(`k=${s.k} is beyond the L=${s.sL} orientations 0…${s.sL - 1}; using ${s.sL - 1}`);
      s.k = s.sL - 1;
    }
  },

  bind(c) {
    ctx = c;
    const update = (changes) => ctx.update(changes);
    const st = () => ctx.state;
    $("scat-field").onchange = (e) => update({ field: e.target.value });
    $("scat-size").onchange = (e) => update({ ssize: +e.target.value });
    $("scat-seed").onchange = seedInput(ctx, "seed");
    $("scat-reseed").onclick = () => update({ seed: randomSeed() });
    $("scat-alpha").oninput = (e) => { $("scat-alpha-out").textContent = e.target.value; };
    $("scat-alpha").onchange = (e) => update({ alpha: +e.target.value });
    $("scat-kind").onchange = (e) => update({ kind: e.target.value });
    $("scat-J").onchange = (e) => update({ sJ: +e.target.value });
    $("scat-L").onchange = (e) => update({ sL: +e.target.value });
    $("scat-by").onchange = (e) => update({ by: e.target.value });
    $("scat-form").onchange = (e) => update({ form: e.target.value });
    $("scat-marginal").onchange = (e) => {
      update({ marginal: e.target.checked ? "on" : "off" });
      if (scat.ana) anaText(scat.ana);
    };
    $("scat-j-down").onclick = () => stepJ(-1);
    $("scat-j-up").onclick = () => stepJ(1);
    $("scat-k-down").onclick = () => update({ k: Math.max(0, st().k - 1) });
    $("scat-k-up").onclick = () => update({ k: Math.min(st().sL - 1, st().k + 1) });
    $("scat-synth").onclick = () => { showError(""); startSynth(); };
    $("scat-pause").onclick = pause;
    $("scat-show").onclick = () => {
      scat.showSynth = !scat.showSynth;
      applyScat();
      if (scat.showSynth && scat.v) showSynth(scat.v, true); else if (scat.ana) anaText(scat.ana);
    };
    $("scat-png").onclick = () => {
      try { download(panels(), "image/png", `scalewise-scat-${st().field}-${st().ssize}-panels.png`); }
      catch (err) { showError("Could not export the panels: " + err.message); }
    };
    for (const f of ["gif", "npy"]) $(`scat-${f}`).onclick = () => saveFile("scat_export", f, nothing());
  },

  write: () => writeScat(),
  // info asks the engine which fields this build offers.
  async info() {
    try {
      const v = (await engine().request("scat_info", {})).values;
      Object.assign(scat, { fields: v.fields, quantiles: v.marginal_quantiles, rings: v.power_spectrum_rings });
      writeScat();
    } catch (err) {
      showError("Could not list the scattering fields: " + err.message);
    }
  },
  recompute: () => recompute(),
  enter: () => applyScat(),
  leave: () => synth.leave(),
  // ←/→ step j of the wavelet shown; space pauses or resumes the
  // synthesis (as the Pause button, when it is enabled).
  onKey(c, key) {
    if (key !== " ") { stepJ(key === "ArrowRight" ? 1 : -1); return true; }
    if (scat.skey === "" || scat.skey !== synthKey(ctx.state) || synth.done || !scat.v) return false;
    pause();
    return true;
  },
  pngName: (s) => `scalewise-scat-${s.field}-${s.ssize}-seed${s.seed}-j${s.sj}-k${s.k}.png`,
  api: () => ({
    scatStatus: () => ({
      fields: scat.fields, akey: scat.akey, analysed: scat.akey !== "" && scat.akey === anaKey(ctx.state), busy: scat.busy,
      anaMs: scat.anaMs, anaRoundMs: scat.anaRoundMs, analyses: scat.analyses, values: scat.ana,
      synth: scat.v, skey: scat.skey, running: synth.running, paused: synth.paused, done: synth.done, ms: scat.ms,
      wallMs: scat.wallMs, showSynth: scat.showSynth, error: scat.error,
    }),
    scatExport: async (format) => forTest(await exportFile("scat_export", format, nothing())),
    scatPanelsPNG: () => panels(),
    // scatSeries returns a series ("s/loss", "a/s1", …) of the latest
    // synthesis or analysis frames.
    scatSeries: (name) => series([scat.lastStep, scat.lastStart, scat.lastAna], name),
  }),
};
