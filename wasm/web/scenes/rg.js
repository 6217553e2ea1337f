// The Renormalise scene: wavelet-conditional RG generation of critical φ⁴,
// coarse to fine (compute.RGSession; the canvas app's "renormalise"
// scene). The engine keeps one RG session: a generation is a Stepper
// loop of bounded "rg_step" requests, the race one of "rg_race" slices.
import { $, showError, addNotice, setStatus, setNumbers, progressBar, job, textDue, fmt, fmtInt, seedInput, randomSeed } from "../ui.js";
import { compute, engine } from "../engine.js";
import { appCall, appStarted, canvasUp, load } from "../app.js";
import { Stepper } from "../loop.js";
import { exportFile, saveFile, forTest } from "../export.js";

const SPF = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const RACE_SECONDS = 60; // a race stops by itself after this long
const rg = {
  key: "",          // keyOf the generation the session holds
  L: 0, J: 0,       // of the current generation
  steps: 0, total: 0,
  ms: 0,            // time spent generating (round trips), pauses excluded
  spf: 4,           // index into SPF
  v: null,          // latest values from the worker
  model: "shipped", // "shipped" or "fitted" (L = 32 only)
  fit: null,        // values of the last fit
  racing: false, race: null, showRace: false,
  raceT0: 0, raceFresh: true,
  error: "",
  sides: [32, 64, 128], // the sides with a shipped model (rg_info)
};
const modelOf = (s) => (rg.model === "fitted" && rg.fit && s.L === 32 ? "fitted" : "shipped");
const keyOf = (s) => JSON.stringify([s.L, s.beta, s.seed, modelOf(s)]);
const fmtAcc = (a) => (a < 0 ? "–" : fmt(a, 2)); // −1: stage not started

let ctx = null;

// The generation: one request per frame, SPF[rg.spf] MALA steps each.
const gen = new Stepper({
  replace: true,
  request: (once) => engine().request("rg_step", { k: once || SPF[rg.spf] }),
  frame(f, ms) {
    const v = f.values;
    rg.ms += ms;
    rg.v = { ...rg.v, ...v };
    rg.steps = v.steps_done;
    showGen(rg.v);
    if (v.done) gen.done = true;
  },
  proceed: () => ctx.shown(scene),
  write: () => writeRG(),
  fail(err) { rg.error = err.message; showError("Generation failed: " + err.message); setStatus("Error."); },
  end() { if (gen.done) applyRG(); writeRG(); },
});

// The race: slices of 80 ms, each side gets 40 ms of the worker per frame
// and the canvas redraws its race plots about 12 times a second. A race
// frame brings only the new points of its curves: none is dropped.
const race = new Stepper({
  bar: false,
  request() {
    const s = ctx.state, reset = rg.raceFresh;
    rg.raceFresh = false;
    return engine().request("rg_race", { L: s.L, beta: s.beta, seed: s.seed, reset, ms: 80 });
  },
  frame(f) {
    rg.race = f.values;
    const timeUp = performance.now() - rg.raceT0 > RACE_SECONDS * 1000;
    if (timeUp) rg.racing = false;
    if (textDue(!rg.racing)) raceText(f.values, timeUp);
  },
  proceed: () => rg.racing && ctx.shown(scene),
  fail(err) { showError("Race failed: " + err.message); },
  end() { rg.racing = false; writeRG(); },
});

function writeRG() {
  const s = ctx.state;
  const have = rg.key !== "" && rg.key === keyOf(s);
  $("rg-pause").textContent = gen.paused ? "Resume" : "Pause";
  $("rg-pause").disabled = !have || gen.done || rg.racing;
  $("rg-step").disabled = !have || gen.done || rg.racing;
  $("rg-j-down").disabled = !gen.done || s.j <= 0;
  $("rg-j-up").disabled = !gen.done || s.j >= rg.J;
  $("rg-j-out").textContent = gen.done ? `j = ${s.j} of ${rg.J}` : (ctx.shown(scene) && rg.J ? `j = ${s.j} (when done)` : `j = ${s.j}`);
  for (const id of ["rg-gif", "rg-png", "rg-npy"]) $(id).disabled = !gen.done;
  $("rg-race").textContent = rg.racing ? "Stop race" : "Race";
  for (const o of $("rg-L").options) {
    o.disabled = !rg.sides.includes(+o.value);
    o.textContent = `${o.value} × ${o.value}${o.disabled ? " (no model shipped)" : ""}`;
  }
  $("rg-model").querySelector('option[value="fitted"]').disabled = !rg.fit;
  $("rg-model").value = modelOf(s); // the fitted model is for L = 32 only
}

function applyRG() {
  // The canvas may still show another scene (a scene switch changes the
  // state first): enter applies the view when it switches.
  if (!canvasUp() || !ctx.shown(scene) || !ctx.onCanvas(scene) || rg.key === "") return;
  appCall("setView", JSON.stringify({ j: Math.min(ctx.state.j, rg.J), mode: rg.showRace ? "race" : "generate" }));
  writeRG();
}

async function recompute() {
  const s = ctx.state;
  if (!rg.sides.includes(s.L) && rg.sides.length > 0) {
    const L = rg.sides.includes(64) ? 64 : rg.sides[rg.sides.length - 1];
    addNotice(`no model is shipped for L=${s.L} yet; using ${L}`);
    s.L = L;
    ctx.writeControls();
    ctx.pushURL();
  }
  if (rg.key !== "" && keyOf(ctx.state) === rg.key) {
    applyRG();
    gen.enter();
    return;
  }
  return generate();
}

async function generate() {
  rg.racing = false;
  rg.showRace = false;
  const g = gen.reset();
  const id = job();
  Object.assign(rg, { steps: 0, total: 0, ms: 0, error: "" });
  writeRG();
  setStatus("Loading the fitted model…");
  const s = ctx.state;
  const body = { L: s.L, beta: s.beta, seed: s.seed, model: modelOf(s) };
  try {
    const t0 = performance.now();
    const f = await compute(id, "rg_start", body);
    if (g !== gen.gen) return;
    await appStarted();
    await load(f);
    if (g !== gen.gen) return;
    const v = f.values;
    const st = ctx.state;
    rg.key = keyOf(st);
    rg.L = v.L; rg.J = v.J; rg.total = v.total_steps; rg.v = v;
    rg.ms = performance.now() - t0;
    if (st.j > rg.J) { addNotice(`j=${st.j} is beyond J=${rg.J} of the L=${v.L} model; using ${rg.J}`); st.j = rg.J; ctx.pushURL(); }
    showError("");
    applyRG();
    showGen(v);
    gen.run(g);
  } catch (err) {
    if (g === gen.gen) { rg.error = err.message; showError("Could not start the generation: " + err.message); setStatus("Error."); }
  }
}

// showGen writes the status line and numbers for the generation.
function showGen(v) {
  if (!ctx.shown(scene) || rg.showRace) return;
  if (!textDue(v.done || !gen.running || gen.paused)) return;
  progressBar.set(v.steps_done, v.total_steps);
  const model = v.model === "fitted" ? "the model fitted in this page" : "the shipped model";
  if (v.done) {
    setStatus(`Generated a ${v.L}×${v.L} φ⁴ field at β = ${v.beta} with ${model} in ${fmtInt(rg.ms)} ms ` +
      `(${fmtInt(v.steps_done)} MALA steps over ${v.J + 1} scales, ${fmt(v.cost.grad_evals, 0)} whole-lattice gradients; engine ${fmtInt(1000 * v.cost.seconds)} ms).`);
    const g = v.generated, t = v.truth;
    setNumbers(`Generated vs ground truth (${t.n} FA-HMC samples): ⟨φ²⟩ ${fmt(g.phi2)} vs ${fmt(t.phi2)}; ` +
      `m ${fmt(g.m)}; histogram TV distance ${fmt(v.hist_tv)}; mean |log P/P_true| over the spectrum ${fmt(v.spectrum_log_ratio)}. ` +
      `Acceptance per stage (x_J, then j = J…1): ${v.acceptance.map(fmtAcc).join(", ")}.`);
  } else {
    const ph = v.phase;
    const what = ph.stage === 0 ? `x_J = x_${ph.j} (${ph.size}×${ph.size})` : `x̄_${ph.j} given x_${ph.j}, forming x_${ph.j - 1} (${ph.size}×${ph.size})`;
    setStatus(`Generating with ${model}: ${what}, MALA step ${ph.step}/${ph.total}; ` +
      `${fmtInt(v.steps_done || 0)} of ${fmtInt(v.total_steps)} steps${gen.paused ? " (paused)" : ""}.`);
    setNumbers(`Cost so far: ${fmt(v.cost.grad_evals, 1)} gradient evaluations of whole-lattice size, ` +
      `${fmtInt(1000 * v.cost.seconds)} ms in the engine. Acceptance per scale so far: ` +
      `${(v.acceptance || []).map(fmtAcc).join(", ") || "–"}.`);
  }
}

// backToGeneration leaves the race view.
function backToGeneration() {
  rg.racing = false;
  if (rg.showRace) { rg.showRace = false; applyRG(); }
}

function pause() {
  if (gen.done) return;
  if (gen.paused) {
    gen.paused = false;
    gen.autoPaused = false;
    backToGeneration();
    writeRG();
    gen.resume();
  } else {
    gen.pause();
    writeRG();
    if (rg.v) showGen(rg.v);
  }
}

async function step() {
  if (gen.done) return;
  gen.pause();
  backToGeneration();
  await gen.step(SPF[rg.spf]);
}

async function fit() {
  rg.racing = false;
  await gen.stop();
  const id = job();
  $("rg-fit").disabled = true;
  $("rg-fit-out").textContent = "Fitting…";
  try {
    const t0 = performance.now();
    const v = (await compute(id, "rg_fit", { L: 32, beta: 0.68 })).values;
    rg.fit = { ...v, roundtrip_ms: performance.now() - t0 };
    rg.model = "fitted";
    $("rg-fit-out").textContent = `Fitted θ for ${v.scales} scales by score matching from ${v.n} of the ${v.shipped} shipped ` +
      `L = 32 samples in ${fmt(v.seconds, 1)} s in this page` +
      (v.shipped_calibrated && !v.calibrated ? " (without the moment-matching calibration of the shipped model, which takes minutes here)" : "") +
      `. The next generation at L = 32 uses this model.`;
    writeRG();
    if (ctx.state.L !== 32) ctx.update({ L: 32 });
    else { rg.key = ""; await generate(); }
  } catch (err) {
    $("rg-fit-out").textContent = "";
    showError("Could not fit: " + err.message);
  } finally {
    $("rg-fit").disabled = false;
  }
}

async function startRace() {
  if (rg.racing) { rg.racing = false; writeRG(); return; }
  await gen.stop();
  const g = race.reset();
  Object.assign(rg, { racing: true, showRace: true, race: null, raceFresh: true, raceT0: performance.now() });
  writeRG();
  applyRG();
  await race.run(g);
}

// raceText writes the status line and numbers of the race.
function raceText(v, timeUp) {
  const r = v.rg, c = v.mcmc;
  const indep = c.tau > 0 ? ` ≈ ${fmt(c.sweeps / (2 * c.tau), 1)} independent samples (τ_int(m²) ≈ ${fmt(c.tau, 0)} sweeps)` : "";
  setStatus(`Race on ${v.L}×${v.L}${rg.racing ? "" : " (stopped)"}: RG ${r.samples} independent samples, ` +
    `local MALA ${fmtInt(c.sweeps)} sweeps${indep}.` +
    (rg.racing ? "" : ` Stopped${timeUp ? ` after ${RACE_SECONDS} s` : ""}; ◀ ▶ or Generate return to the generation.`));
  setNumbers(`RG: ${fmt(r.grad_evals, 0)} whole-lattice gradients, ${fmt(r.seconds, 2)} s, Binder U = ${fmt(r.binder)}. ` +
    `Local MALA: ${fmt(c.grad_evals, 0)} gradients, ${fmt(c.seconds, 2)} s, Binder U = ${fmt(c.binder)} ` +
    `(critical value ≈ 0.61). Each gets the same share of the worker's time.`);
}

const nothing = () => (gen.done ? null : "nothing generated yet");

// stepJ moves j of the finished hierarchy by d (the ◀ ▶ buttons).
function stepJ(d) {
  rg.showRace = false;
  ctx.update({ j: Math.min(rg.J, Math.max(0, ctx.state.j + d)) });
}

export const scene = {
  name: "rg",
  title: "Renormalise",
  blurb: "A critical φ⁴ field generated from the coarsest scale to the finest by a wavelet-conditional renormalisation model.",
  papers: [
    { authors: "T. Marchand, M. Ozawa, G. Biroli, S. Mallat", title: "Multiscale data-driven energy estimation and generation", where: "Phys. Rev. X 13, 041038 (2023); preprint “Wavelet conditional renormalization group”, 2022", arxiv: "2207.04941" },
  ],
  appScene: "renormalise",
  keys: ["L", "beta", "seed", "j"],
  // j runs to the model's J once it is known, to log₂L before.
  jMax: (s) => (rg.J > 0 && rg.L === s.L ? rg.J : Math.log2(s.L)),

  bind(c) {
    ctx = c;
    const update = (changes) => ctx.update(changes);
    $("rg-L").onchange = (e) => update({ L: +e.target.value });
    $("rg-seed").onchange = seedInput(ctx, "seed");
    $("rg-reseed").onclick = () => update({ seed: randomSeed() });
    $("rg-model").onchange = (e) => { rg.model = e.target.value; update({}); };
    $("rg-generate").onclick = () => { rg.key = ""; showError(""); generate(); };
    $("rg-pause").onclick = pause;
    $("rg-step").onclick = () => step();
    $("rg-spf").oninput = (e) => { rg.spf = +e.target.value; $("rg-spf-out").textContent = SPF[rg.spf]; };
    $("rg-j-down").onclick = () => stepJ(-1);
    $("rg-j-up").onclick = () => stepJ(1);
    $("rg-fit").onclick = () => fit();
    $("rg-race").onclick = () => startRace();
    for (const f of ["gif", "png", "npy"]) $(`rg-${f}`).onclick = () => saveFile("rg_export", f, nothing());
  },

  write() {
    const s = ctx.state;
    $("rg-L").value = String(s.L);
    $("rg-beta").value = "0.68";
    $("rg-seed").value = s.seed;
    $("rg-spf").value = rg.spf;
    $("rg-spf-out").textContent = SPF[rg.spf];
    writeRG();
  },

  // info asks the engine which sides have a shipped model.
  async info() {
    try {
      rg.sides = (await engine().request("rg_info", {})).values.sides;
      writeRG();
    } catch (err) {
      showError("Could not list the RG models: " + err.message);
    }
  },
  recompute: () => recompute(),
  enter: () => applyRG(),
  // Leaving pauses the generation and stops the race.
  leave() {
    gen.leave();
    rg.racing = false;
  },
  // ←/→ step j once the hierarchy is generated; space pauses or resumes
  // the generation (as the Pause button, when it is enabled).
  onKey(c, key) {
    if (key === " ") {
      if (rg.key === "" || rg.key !== keyOf(ctx.state) || gen.done || rg.racing) return false;
      pause();
      return true;
    }
    if (!gen.done) return false;
    stepJ(key === "ArrowRight" ? 1 : -1);
    return true;
  },
  pngName: (s) => `scalewise-rg-L${s.L}-seed${s.seed}-j${s.j}.png`,
  api: () => ({
    rgStatus: () => ({
      key: rg.key, L: rg.L, J: rg.J, running: gen.running, paused: gen.paused, done: gen.done,
      steps: rg.steps, total: rg.total, ms: rg.ms, model: modelOf(ctx.state), racing: rg.racing,
      race: rg.race, fit: rg.fit, error: rg.error, values: rg.v,
    }),
    rgExport: async (format) => forTest(await exportFile("rg_export", format, nothing())),
    rgFit: () => fit(),
  }),
};
