// The Renormalise scene: wavelet-conditional RG generation of critical φ⁴,
// and of 2-D turbulence, C^α images and drawings of smooth curves by
// hierarchic models with scattering interactions, coarse to fine
// (compute.RGSession; the canvas app's "renormalise" scene). The engine
// keeps one RG session: a generation is a Stepper loop of bounded
// "rg_step" requests, the race one of "rg_race" slices. The field type is
// the state key rfield, the link key field of scene=rg.
import { $, showError, addNotice, setStatus, setNumbers, progressBar, job, textDue, fmt, fmtInt, seedInput, randomSeed } from "../ui.js";
import { compute, engine } from "../engine.js";
import { appCall, appStarted, canvasUp, load } from "../app.js";
import { Stepper } from "../loop.js";
import { SCHEMA } from "../state.js";
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
  sides: [32, 64, 128], // the sides with a shipped φ⁴ model (rg_info)
  // The field types (rg_info's fields; these until it answers).
  fields: [
    { name: "phi4", title: "critical φ⁴", sides: [32, 64, 128], truth: "FA-HMC samples", no_fit: "", no_race: "" },
    { name: "turbulence", title: "2-D turbulence (vorticity)", sides: [64], truth: "held-out snapshots", no_fit: "the turbulence fit takes minutes natively, far over the page's one-minute bound", no_race: "the race is φ⁴'s only" },
    { name: "calpha", title: "Cᵅ images (α = 2)", sides: [32], truth: "held-out images", no_fit: "the Cᵅ fit takes minutes natively, far over the page's one-minute bound", no_race: "the race is φ⁴'s only" },
    { name: "drawings", title: "drawings of smooth curves (32²)", sides: [32], truth: "held-out drawings", no_fit: "the drawings' fit takes minutes natively, far over the page's one-minute bound", no_race: "the race is φ⁴'s only" },
  ],
};
// FIELD_SIDES are the sides each field type is offered at (the clamp's,
// before rg_info answers and for links).
const FIELD_SIDES = { phi4: [32, 64, 128], turbulence: [64], calpha: [32], drawings: [32] };
const fieldOf = (s) => s.rfield || "phi4";
const isPhi4 = (s) => fieldOf(s) === "phi4";
const fieldInfo = (s) => rg.fields.find((f) => f.name === fieldOf(s)) || rg.fields[0];
const modelOf = (s) => (isPhi4(s) && rg.model === "fitted" && rg.fit && s.L === 32 ? "fitted" : "shipped");
const keyOf = (s) => JSON.stringify([fieldOf(s), s.L, s.beta, s.seed, modelOf(s)]);
// What the scene calls a generated field of each type.
const NOUN = { phi4: "φ⁴ field", turbulence: "turbulence vorticity field", calpha: "Cᵅ image", drawings: "drawing of a smooth curve" };
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
    return engine().request("rg_race", { field: fieldOf(s), L: s.L, beta: s.beta, seed: s.seed, reset, ms: 80 });
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
  const fi = fieldInfo(s);
  const sides = isPhi4(s) ? rg.sides : fi.sides;
  for (const o of $("rg-L").options) {
    const offered = (FIELD_SIDES[fieldOf(s)] || []).includes(+o.value);
    o.disabled = !offered || !sides.includes(+o.value);
    o.textContent = `${o.value} × ${o.value}${!offered ? ` (φ⁴ only)` : o.disabled ? " (no model shipped)" : ""}`;
  }
  for (const o of $("rg-field").options) {
    const f = rg.fields.find((x) => x.name === o.value);
    o.disabled = !!f && f.sides.length === 0;
  }
  $("rg-field").value = fieldOf(s);
  // β and the page's fitted model are φ⁴'s; Fit and Race are φ⁴'s only.
  $("rg-beta").closest("label").style.display = isPhi4(s) ? "" : "none";
  if ($("rg-beta-note")) $("rg-beta-note").style.display = isPhi4(s) ? "" : "none";
  $("rg-model").querySelector('option[value="fitted"]').disabled = !rg.fit || !isPhi4(s);
  $("rg-model").value = modelOf(s); // the fitted model is for φ⁴ at L = 32 only
  const noFit = isPhi4(s) ? "" : fi.no_fit, noRace = isPhi4(s) ? "" : fi.no_race;
  $("rg-fit").disabled = rg.fitting || noFit !== "";
  $("rg-fit").title = noFit ? `Not offered for this field: ${noFit}.` : "refit θ by score matching from the shipped L = 32 samples";
  $("rg-race").disabled = noRace !== "";
  $("rg-race").title = noRace ? `Not offered for this field: ${noRace}.` : "RG sampling against local MCMC on the same lattice";
  const why = [noFit && `Fit from data: not offered for this field (${noFit}).`, noRace && `Race: ${noRace}.`].filter(Boolean).join(" ");
  if (!isPhi4(s)) $("rg-fit-out").textContent = why;
  else if (rg.fitOutField) $("rg-fit-out").textContent = "";
  rg.fitOutField = !isPhi4(s);
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
  const fs = fieldInfo(s).sides;
  if (!isPhi4(s) && fs.length > 0 && !fs.includes(s.L)) {
    addNotice(`no ${fieldOf(s)} model is shipped for L=${s.L}; using ${fs[0]}`);
    s.L = fs[0];
    ctx.writeControls();
    ctx.pushURL();
  }
  if (isPhi4(s) && !rg.sides.includes(s.L) && rg.sides.length > 0) {
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
  const body = { field: fieldOf(s), L: s.L, beta: isPhi4(s) ? s.beta : 0, seed: s.seed, model: modelOf(s) };
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
    rg.field = v.field || "phi4";
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
  const field = v.field || "phi4", phi4 = field === "phi4";
  if (v.done) {
    setStatus(`Generated a ${v.L}×${v.L} ${NOUN[field] || field}${phi4 ? ` at β = ${v.beta}` : ""} with ${model} in ${fmtInt(rg.ms)} ms ` +
      `(${fmtInt(v.steps_done)} MALA steps over ${v.J + 1} scales, ${fmt(v.cost.grad_evals, 0)} whole-lattice gradients; engine ${fmtInt(1000 * v.cost.seconds)} ms).`);
    const g = v.generated, t = v.truth;
    const sq = phi4 ? "⟨φ²⟩" : "⟨x²⟩", mean = phi4 ? "m" : "mean";
    setNumbers(`Generated vs ground truth (${t.n} ${t.source || "FA-HMC samples"}): ${sq} ${fmt(g.phi2)} vs ${fmt(t.phi2)}; ` +
      `${mean} ${fmt(g.m)}; histogram TV distance ${fmt(v.hist_tv)}; mean |log P/P_true| over the spectrum ${fmt(v.spectrum_log_ratio)}. ` +
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
  if (!isPhi4(ctx.state)) return; // φ⁴ only: the button is disabled
  rg.racing = false;
  await gen.stop();
  const id = job();
  rg.fitting = true;
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
    rg.fitting = false;
    writeRG();
  }
}

async function startRace() {
  if (rg.racing) { rg.racing = false; writeRG(); return; }
  if (!isPhi4(ctx.state)) return; // φ⁴ only: the button is disabled
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
  blurb: "Critical φ⁴, turbulence, Cᵅ images or drawings of smooth curves generated from the coarsest scale to the finest by wavelet-conditional renormalisation models.",
  papers: [
    { authors: "T. Marchand, M. Ozawa, G. Biroli, S. Mallat", title: "Multiscale data-driven energy estimation and generation", where: "Phys. Rev. X 13, 041038 (2023); preprint “Wavelet conditional renormalization group”, 2022", arxiv: "2207.04941" },
    { authors: "N. Lempereur, S. Mallat", title: "Hierarchic flows to estimate and sample high-dimensional probabilities", where: "2024", arxiv: "2405.03468" },
  ],
  appScene: "renormalise",
  // The link of scene=rg says field for the field type (state key
  // rfield); β only for φ⁴, field only when it is not φ⁴ (links made
  // before the field choice stay as they were).
  keys: ["rfield", "L", "beta", "seed", "j"],
  alias: { field: "rfield" },
  keep: (k, s) => (k !== "beta" || isPhi4(s)) && (k !== "rfield" || !isPhi4(s)),
  // A field type other than φ⁴ has one lattice side: a link's other L is
  // corrected (noted when this scene is shown and the L is not the
  // default, which a link without L has).
  clamp(s, note, cur) {
    const sides = FIELD_SIDES[fieldOf(s)];
    if (isPhi4(s) || !sides || sides.includes(s.L)) return;
    if (cur === scene && s.L !== SCHEMA.L.def) note(`L=${s.L} is not offered for ${fieldOf(s)} (the page ships its ${sides[0]}×${sides[0]} model only); using ${sides[0]}`);
    s.L = sides[0];
  },
  // j runs to the model's J once it is known, to log₂L before.
  jMax: (s) => (rg.J > 0 && rg.L === s.L ? rg.J : Math.log2(s.L)),

  bind(c) {
    ctx = c;
    const update = (changes) => ctx.update(changes);
    // The field choice, first in the scene's Field box.
    if (!$("rg-field")) {
      const label = document.createElement("label");
      label.append("field ");
      const sel = document.createElement("select");
      sel.id = "rg-field";
      for (const f of rg.fields) sel.append(new Option(f.title, f.name));
      label.append(sel);
      const box = $("rg-L").closest("fieldset");
      box.insertBefore(label, box.querySelector("label"));
    }
    const note = $("rg-beta").closest("label").nextElementSibling;
    if (note && note.tagName === "P" && !note.id) note.id = "rg-beta-note";
    $("rg-field").onchange = (e) => {
      const field = e.target.value, sides = FIELD_SIDES[field] || [];
      update(field === "phi4" || sides.includes(ctx.state.L) ? { rfield: field } : { rfield: field, L: sides[0] });
    };
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
      const v = (await engine().request("rg_info", {})).values;
      rg.sides = v.sides;
      if (v.fields && v.fields.length) rg.fields = v.fields;
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
  pngName: (s) => `scalewise-rg-${isPhi4(s) ? "" : fieldOf(s) + "-"}L${s.L}-seed${s.seed}-j${s.j}.png`,
  api: () => ({
    rgStatus: () => ({
      key: rg.key, L: rg.L, J: rg.J, running: gen.running, paused: gen.paused, done: gen.done,
      field: fieldOf(ctx.state), steps: rg.steps, total: rg.total, ms: rg.ms, model: modelOf(ctx.state), racing: rg.racing,
      race: rg.race, fit: rg.fit, error: rg.error, values: rg.v,
    }),
    rgExport: async (format) => forTest(await exportFile("rg_export", format, nothing())),
    rgFit: () => fit(),
  }),
};
