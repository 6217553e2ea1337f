// Scalewise page: controls, URL-fragment state, the compute worker and the
// canvas iframe. The numerics run in Go (wasm/worker in a Web Worker); the
// drawing runs in Go too (wasm/app, Ebiten, in an iframe). This file only
// wires them together.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const MAX_SEED = 4294967295;

  // ---- state and the URL fragment -------------------------------------
  // Each key: default, and a parser returning the value or undefined if bad.
  const enumOf = (...vals) => (s) => (vals.includes(s) ? s : undefined);
  const intIn = (lo, hi) => (s) => (/^\d+$/.test(s) && +s >= lo && +s <= hi ? +s : undefined);
  const numIn = (lo, hi) => (s) => (/^\d+(\.\d+)?$/.test(s) && +s >= lo && +s <= hi ? +s : undefined);
  // A link is untrusted input, and the notice shows parts of it: the page
  // reads at most MAX_FRAGMENT characters of the fragment (the longest
  // fragment it writes is a drawing code of at most MAX_CODE characters
  // and a few hundred for the other settings), quotes at most QUOTE_MAX
  // characters of a key or value, and shows the first MAX_NOTES notes, each
  // cut to MAX_NOTE characters.
  const MAX_CODE = 8000;
  const MAX_FRAGMENT = 10000;
  const QUOTE_MAX = 40;
  const MAX_NOTES = 8;
  const MAX_NOTE = 200;
  const clip = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);
  const codeOf = (s) => (s.length <= MAX_CODE && /^[A-Za-z0-9_-]*$/.test(s) ? s : undefined);
  const SCHEMA = {
    scene: { def: "scales", parse: enumOf("scales", "draw", "rg", "scat") },
    image: { def: "calpha", parse: enumOf("calpha", "mnist") },
    alpha: { def: 2, parse: numIn(0.5, 6) },
    method: { def: "code", parse: enumOf("code", "paper") },
    size: { def: 128, parse: (s) => intIn(32, 256)(s) !== undefined && [32, 64, 128, 256].includes(+s) ? +s : undefined },
    seed: { def: 1, parse: intIn(0, MAX_SEED) },
    wavelet: { def: "db4", parse: enumOf("haar", "db2", "db3", "db4", "db5", "db6", "db7", "db8") },
    J: { def: 4, parse: intIn(1, 8) },
    j: { def: 0, parse: intIn(0, 8) },
    view: { def: "approx", parse: enumOf("approx", "details", "mallat", "fourier") },
    // The Draw & denoise scene.
    net: { def: "drawing", parse: enumOf("drawing", "calpha1", "calpha2", "calpha4") },
    mode: { def: "boundary", parse: enumOf("boundary", "stroke") },
    width: { def: 3, parse: numIn(1, 8) },
    bg: { def: 1, parse: intIn(0, MAX_SEED) },
    sigma: { def: 0.1, parse: numIn(0, 0.5) },
    nseed: { def: 1, parse: intIn(0, MAX_SEED) },
    d: { def: "", parse: codeOf },
    // The Renormalise scene (seed and j are shared with the Scales scene).
    L: { def: 64, parse: (s) => (["32", "64", "128"].includes(s) ? +s : undefined), why: "L is 32, 64 or 128" },
    beta: { def: 0.68, parse: (s) => (/^0?\.680*$/.test(s) ? 0.68 : undefined), why: "the page ships models fitted at β = 0.68 only" },
    // The Scattering scene (seed, alpha and the drawing's d, mode, width
    // and bg are shared with the other scenes). Its J, L, j and size are
    // the link keys J, L, j and size of scene=scat (see ALIAS).
    field: { def: "phi4", parse: enumOf("phi4", "calpha", "drawing", "cosmic", "turbulence"), why: "field is phi4, calpha, drawing, cosmic or turbulence" },
    ssize: { def: 64, parse: (s) => (["64", "128"].includes(s) ? +s : undefined), why: "size is 64 or 128" },
    kind: { def: "bump", parse: enumOf("bump", "morlet"), why: "kind is bump or morlet" },
    // J from 2 (the page's smallest bank) to 6, the most scales of the
    // largest size, 128 (compute.scatMaxJ: log₂128 − 1); a J beyond the
    // link's size is lowered to log₂size − 1 below.
    sJ: { def: 5, parse: intIn(2, 6), why: "J is 2 to 6, at most 5 at size 64" },
    sL: { def: 4, parse: (s) => (["2", "4", "6", "8"].includes(s) ? +s : undefined), why: "L is 2, 4, 6 or 8: even, so that the perpendicular orientation is one of the bank's" },
    sj: { def: 1, parse: intIn(0, 7) },
    k: { def: 0, parse: intIn(0, 7) },
    by: { def: "orientation", parse: enumOf("orientation", "scale") },
    form: { def: "iso", parse: enumOf("iso", "full"), why: "form is iso or full" },
    // The synthesis's marginal-matching term (compute.ScatSynthRequest.Marginal):
    // in the link only when off.
    marginal: { def: "on", parse: enumOf("on", "off"), why: "marginal is on (match the 64-quantile marginal, the default) or off" },
  };
  // ALIAS names the state key behind a link key, per scene: the link of
  // scene=scat says J, L, j and size like the other scenes, for its own
  // settings.
  const ALIAS = { scat: { J: "sJ", L: "sL", j: "sj", size: "ssize" } };
  const INTERNAL = new Set(Object.values(ALIAS).flatMap((a) => Object.values(a)));
  const linkKey = (scene, name) => {
    for (const [k, v] of Object.entries(ALIAS[scene] || {})) if (v === name) return k;
    return name;
  };
  const ORDER = Object.keys(SCHEMA);
  const SCENE_KEYS = {
    scales: ["image", "alpha", "method", "size", "seed", "wavelet", "J", "j", "view"],
    draw: ["net", "mode", "width", "bg", "sigma", "nseed", "d"],
    rg: ["L", "beta", "seed", "j"],
    scat: ["field", "ssize", "seed", "alpha", "d", "mode", "width", "bg", "kind", "sJ", "sL", "sj", "k", "by", "form", "marginal"],
  };
  // The canvas app's name of each scene.
  const APP_SCENE = { scales: "scales", draw: "draw", rg: "renormalise", scat: "scattering" };
  // The largest J of a directional bank for n×n fields: 2^J ≤ n/2.
  const scatMaxJ = (n) => Math.log2(n) - 1;

  const defaults = () => Object.fromEntries(ORDER.map((k) => [k, SCHEMA[k].def]));
  const imageSize = (s) => (s.image === "mnist" ? 32 : s.size);
  const maxLevels = (s) => Math.log2(imageSize(s));
  // jMax is the largest scale j the scene of s can show: J for Scales; for
  // Renormalise the model's J once it is known, log2(L) before.
  const jMax = (s) => (s.scene === "rg" ? (rg.J > 0 && rg.L === s.L ? rg.J : Math.log2(s.L)) : s.J);

  // parseFragment returns a complete state and the notices for whatever it
  // had to ignore or correct; it never throws.
  function parseFragment(hash) {
    const s = defaults();
    const notes = [];
    let text = (hash || "").replace(/^#/, "");
    if (text === "") return { state: s, notes };
    if (text.length > MAX_FRAGMENT) {
      // Read whole settings only: cut at the last "&" within the limit.
      const cut = text.lastIndexOf("&", MAX_FRAGMENT);
      notes.push(`the link is too long (${text.length.toLocaleString("en-US")} characters): only its first ` +
        `${MAX_FRAGMENT.toLocaleString("en-US")} were read, and defaults were used for the rest`);
      text = text.slice(0, cut > 0 ? cut : MAX_FRAGMENT);
    }
    // The scene first: it says what J, L, j and size mean.
    let scene = SCHEMA.scene.def;
    for (const part of text.split("&")) {
      const m = /^scene=(.*)$/.exec(part);
      if (m) { try { scene = SCHEMA.scene.parse(decodeURIComponent(m[1])) || scene; } catch (e) { /* reported below */ } }
    }
    for (const part of text.split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      let key, raw;
      try {
        key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
        raw = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
      } catch (e) {
        notes.push(`could not decode “${clip(part, QUOTE_MAX)}”`);
        continue;
      }
      const name = (ALIAS[scene] || {})[key] || key;
      const spec = INTERNAL.has(key) ? undefined : SCHEMA[name];
      if (!spec) {
        notes.push(`unknown setting “${clip(key, QUOTE_MAX)}” ignored`);
        continue;
      }
      const v = spec.parse(raw);
      if (v === undefined) {
        notes.push(`${clip(key, QUOTE_MAX)}=“${clip(raw, QUOTE_MAX)}” is not valid${spec.why ? ` (${spec.why})` : ""}; using ${spec.def}`);
        continue;
      }
      s[name] = v;
    }
    if (s.sJ > scatMaxJ(s.ssize)) {
      if (s.scene === "scat") notes.push(`J=${s.sJ} is too large for a ${s.ssize}×${s.ssize} field; using ${scatMaxJ(s.ssize)}`);
      s.sJ = scatMaxJ(s.ssize);
    }
    if (s.sj > s.sJ - 1) {
      if (s.scene === "scat") notes.push(`j=${s.sj} is beyond the coarsest scale J−1=${s.sJ - 1}; using ${s.sJ - 1}`);
      s.sj = s.sJ - 1;
    }
    if (s.k > s.sL - 1) {
      if (s.scene === "scat") notes.push(`k=${s.k} is beyond the L=${s.sL} orientations 0…${s.sL - 1}; using ${s.sL - 1}`);
      s.k = s.sL - 1;
    }
    const mj = maxLevels(s);
    if (s.J > mj) {
      notes.push(`J=${s.J} is too large for a ${imageSize(s)}×${imageSize(s)} image; using ${mj}`);
      s.J = mj;
    }
    const jm = jMax(s);
    if (s.j > jm) {
      notes.push(`j=${s.j} is beyond J=${jm}; using ${jm}`);
      s.j = jm;
    }
    return { state: s, notes };
  }

  function fragmentOf(s) {
    const keys = ["scene", ...SCENE_KEYS[s.scene]]
      .filter((k) => s.scene !== "scales" || !((k === "alpha" || k === "method" || k === "size") && s.image !== "calpha"))
      .filter((k) => s.scene !== "scat" || k !== "alpha" || s.field === "calpha")
      .filter((k) => s.scene !== "scat" || !["d", "mode", "width", "bg"].includes(k) || s.field === "drawing")
      .filter((k) => !(k === "width" && s.mode !== "stroke"))
      .filter((k) => !(k === "d" && s.d === ""))
      .filter((k) => !(k === "marginal" && s.marginal === SCHEMA.marginal.def));
    return "#" + keys.map((k) => `${linkKey(s.scene, k)}=${encodeURIComponent(s[k])}`).join("&");
  }

  // ---- assets: inline (single file) or fetched (hosted) ----------------
  function inlineAsset(name) {
    const el = document.querySelector(`script[type="application/x-scalewise-asset"][data-name="${name}"]`);
    return el ? el.textContent.trim() : null;
  }
  function fromBase64(b64) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  async function assetBytes(name) {
    const b64 = inlineAsset(name);
    if (b64 !== null) {
      const gz = new Blob([fromBase64(b64)]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Uint8Array(await new Response(gz).arrayBuffer());
    }
    const r = await fetch(name);
    if (!r.ok) throw new Error(`could not load ${name}: HTTP ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  }
  const assetText = async (name) => new TextDecoder().decode(await assetBytes(name));
  const singleFile = () => inlineAsset("app.wasm") !== null;

  // ---- messages to the person ------------------------------------------
  function showError(msg) {
    const el = $("error");
    el.textContent = msg;
    el.classList.toggle("on", !!msg);
  }
  let notices = [];
  const addNotice = (note) => showNotice([...notices, note]);
  // showNotice shows the first MAX_NOTES of notes, each cut to MAX_NOTE
  // characters, and how many more there are.
  function showNotice(notes) {
    notices = notes;
    const el = $("notice");
    const shown = notes.slice(0, MAX_NOTES).map((n) => clip(String(n), MAX_NOTE));
    if (notes.length > MAX_NOTES) shown.push(`… and ${(notes.length - MAX_NOTES).toLocaleString("en-US")} more`);
    el.textContent = notes.length ? "Link settings corrected: " + shown.join("; ") + "." : "";
    el.classList.toggle("on", notes.length > 0);
  }
  function setStatus(text) { $("status-text").textContent = text; }
  window.addEventListener("error", (e) => showError("Page error: " + e.message));
  window.addEventListener("unhandledrejection", (e) => showError("Page error: " + (e.reason && e.reason.message || e.reason)));
  window.scalewiseAppError = (msg) => showError("Canvas error: " + msg);

  // ---- the compute worker ---------------------------------------------
  let worker = null;
  let nextId = 1;
  const waiting = new Map(); // id -> {resolve, reject, onProgress}
  async function startWorker() {
    const [execJS, glueJS, wasm] = await Promise.all([assetText("wasm_exec.js"), assetText("worker.js"), assetBytes("worker.wasm")]);
    const url = URL.createObjectURL(new Blob([execJS, "\n", glueJS], { type: "text/javascript" }));
    worker = new Worker(url);
    const ready = new Promise((resolve, reject) => {
      worker.onmessage = (e) => {
        const m = e.data;
        if (m.type === "ready") return resolve();
        if (m.type === "fatal") { reject(new Error(m.message)); return showError("Engine: " + m.message); }
        const w = waiting.get(m.id);
        if (m.type === "error" && m.id === -1) return showError("Engine: " + m.message);
        if (!w) return;
        if (m.type === "progress") w.onProgress(m.done, m.total, m.stage);
        else if (m.type === "frames") { waiting.delete(m.id); w.resolve(m); }
        else if (m.type === "error") { waiting.delete(m.id); w.reject(new Error(m.message)); }
      };
      worker.onerror = (e) => { reject(new Error(e.message)); showError("Engine worker error: " + e.message); };
    });
    worker.postMessage({ type: "boot", wasm: wasm.buffer }, [wasm.buffer]);
    await ready;
  }
  function request(op, body, onProgress) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject, onProgress });
      worker.postMessage({ type: "request", id, json: JSON.stringify({ op, [op]: body }) });
    });
  }

  // ---- the canvas app ---------------------------------------------------
  let appWin = null;
  let appReady;
  function startApp() {
    appReady = (async () => {
      const execJS = await assetText("wasm_exec.js");
      if (/<\/script/i.test(execJS)) throw new Error("wasm_exec.js cannot be inlined");
      const frame = $("canvas-frame");
      // The frame's one inline script is wasm_exec.js: the page's
      // Content-Security-Policy (scripts/mkdist) allows it by its hash.
      const loaded = new Promise((resolve) => {
        frame.onload = () => { const w = frame.contentWindow; if (w && w.location.href === "about:srcdoc") resolve(w); };
      });
      frame.srcdoc = "<!doctype html><html><head><meta charset=utf-8><style>html,body{margin:0;height:100%;background:#121418;overflow:hidden}</style>" +
        "<script>" + execJS + "</" + "script></head><body></body></html>";
      const win = await loaded;
      if (typeof win.Go !== "function") throw new Error("the canvas frame did not run wasm_exec.js (refused by the Content-Security-Policy?)");
      const bytes = await assetBytes("app.wasm");
      const go = new win.Go();
      const { instance } = await win.WebAssembly.instantiate(bytes, go.importObject);
      go.run(instance).then(() => showError("The canvas app exited."));
      if (!win.scalewiseApp) throw new Error("the canvas app did not start");
      appWin = win;
    })();
    return appReady;
  }
  function appCall(fn, ...args) {
    const r = appWin.scalewiseApp[fn](...args);
    if (r.error) throw new Error(r.error);
    return r.value;
  }

  // ---- wiring -------------------------------------------------------------
  let state = defaults();
  let framesKey = "";   // the compute inputs of the frames the canvas has
  let latest = 0;       // id of the newest compute request
  let playing = null;
  let dir = 1;
  let appScene = "";    // the scene the canvas app shows

  const computeKey = (s) => JSON.stringify([s.image, s.image === "calpha" ? [s.alpha, s.method, s.size] : 0, s.seed, s.wavelet, s.J]);

  function writeControls() {
    for (const b of document.querySelectorAll("#scenes button")) b.setAttribute("aria-selected", String(b.dataset.scene === state.scene));
    for (const el of document.querySelectorAll("[data-scene-only]")) el.style.display = el.dataset.sceneOnly === state.scene ? "" : "none";
    $("net").value = state.net;
    $("mode").value = state.mode;
    $("width").value = state.width;
    $("width-out").textContent = state.width;
    $("width-row").style.display = state.mode === "stroke" ? "" : "none";
    $("bg").value = state.bg;
    $("sigma").value = state.sigma;
    $("sigma-out").textContent = Number(state.sigma).toFixed(3);
    $("nseed").value = state.nseed;
    $("image").value = state.image;
    $("alpha").value = state.alpha;
    $("alpha-out").textContent = state.alpha;
    $("method").value = state.method;
    $("size").value = String(state.size);
    $("seed").value = state.seed;
    $("wavelet").value = state.wavelet;
    const J = $("J");
    const mj = maxLevels(state);
    J.innerHTML = "";
    for (let k = 1; k <= mj; k++) J.add(new Option(String(k), String(k)));
    J.value = String(state.J);
    $("j").max = state.J;
    $("j").value = state.j;
    $("j-out").textContent = `j = ${state.j}`;
    for (const el of document.querySelectorAll(".calpha-only")) el.style.display = state.image === "calpha" ? "" : "none";
    for (const r of document.querySelectorAll('input[name="view"]')) r.checked = r.value === state.view;
    $("rg-L").value = String(state.L);
    $("rg-beta").value = "0.68";
    $("rg-seed").value = state.seed;
    $("rg-spf").value = rg.spf;
    $("rg-spf-out").textContent = SPF[rg.spf];
    writeRG();
    writeScat();
  }

  function pushURL() {
    const f = fragmentOf(state);
    if (location.hash !== f) history.replaceState(null, "", f);
  }

  function applyView() {
    if (!appWin || state.scene !== "scales" || framesKey !== computeKey(state)) return;
    appCall("setView", JSON.stringify({ j: state.j, show: state.view }));
  }

  // withProgress runs a worker request, showing its progress after 150 ms.
  async function withProgress(id, op, body) {
    const bar = $("progress");
    const timer = setTimeout(() => bar.classList.add("on"), 150);
    try {
      return await request(op, body, (done, total, stage) => {
        if (id !== latest) return;
        bar.max = total; bar.value = done;
        setStatus(`Computing: ${stage} (${done}/${total})`);
      });
    } finally {
      clearTimeout(timer);
      if (id === latest) bar.classList.remove("on");
    }
  }

  async function recompute() {
    if (state.scene === "rg") return rgRecompute();
    if (state.scene === "scat") return scatRecompute();
    return state.scene === "draw" ? redenoise() : rescale();
  }

  async function rescale() {
    const key = computeKey(state);
    if (key === framesKey) return applyView();
    const id = ++latest;
    const t0 = performance.now();
    setStatus("Computing…");
    try {
      const body = { image: state.image, seed: state.seed, alpha: state.alpha, method: state.method, size: imageSize(state), wavelet: state.wavelet, J: state.J };
      const m = await withProgress(id, "scales", body);
      if (id !== latest) return;
      await appReady;
      appCall("load", m.header, new appWin.Uint8Array(m.buf));
      framesKey = key;
      applyView();
      const v = JSON.parse(m.header).values;
      showError("");
      setStatus(`${v.description}. Computed in ${Math.round(performance.now() - t0)} ms in the engine worker.`);
      $("numbers").textContent = `Reconstruction error ‖x − W⁻¹Wx‖/‖x‖ = ${v.recon_rel_err.toExponential(2)}; ` +
        `energy error = ${v.energy_rel_err.toExponential(2)}; x_J keeps ${(100 * v.approx_energy_share).toFixed(2)}% of ‖x‖².`;
    } catch (err) {
      if (id === latest) { showError("Could not compute: " + err.message); setStatus("Error."); }
    }
  }

  // Denoising reruns as the settings move; only the newest settings are
  // computed when the worker frees up.
  let denoiseBusy = false, denoiseAgain = false, lastDraw = null;
  const drawKey = (s) => JSON.stringify(SCENE_KEYS.draw.map((k) => s[k]));
  async function redenoise() {
    if (denoiseBusy) { denoiseAgain = true; return; }
    const key = drawKey(state);
    if (key === framesKey) return;
    denoiseBusy = true;
    const id = ++latest;
    const t0 = performance.now();
    try {
      const body = { d: state.d, mode: state.mode, width: state.width, bg: state.bg, sigma: state.sigma, nseed: state.nseed, net: state.net };
      const m = await withProgress(id, "denoise", body);
      if (id === latest && state.scene === "draw") {
        await appReady;
        appCall("load", m.header, new appWin.Uint8Array(m.buf));
        framesKey = key;
        lastDraw = m;
        const v = JSON.parse(m.header).values;
        showError("");
        setStatus(`Denoised with the ${v.net} net in ${Math.round(v.denoise_ms)} ms (round trip ${Math.round(performance.now() - t0)} ms).`);
        $("numbers").textContent = `σ = ${v.sigma.toFixed(3)}: PSNR ${v.psnr_in.toFixed(2)} dB → ${v.psnr_out.toFixed(2)} dB. ${v.net_detail}`;
      }
    } catch (err) {
      if (id === latest) { showError("Could not denoise: " + err.message); setStatus("Error."); }
    } finally {
      denoiseBusy = false;
      if (denoiseAgain) { denoiseAgain = false; redenoise(); }
    }
  }

  function update(changes) {
    showError("");
    Object.assign(state, changes);
    const mj = maxLevels(state);
    if (state.J > mj) state.J = mj;
    if (state.j > jMax(state)) state.j = jMax(state);
    if (state.sJ > scatMaxJ(state.ssize)) state.sJ = scatMaxJ(state.ssize);
    if (state.sj > state.sJ - 1) state.sj = state.sJ - 1;
    if (state.k > state.sL - 1) state.k = state.sL - 1;
    writeControls();
    pushURL();
    recompute();
  }

  function drawCommand(cmd) {
    if (!appWin) return;
    try { appCall("drawCommand", JSON.stringify(cmd)); } catch (err) { showError("Drawing: " + err.message); }
  }
  // The canvas app reports every finished stroke, undo or clear.
  window.scalewiseDrawingChanged = (code) => update({ d: code });

  function switchScene(name) {
    if (name === state.scene) return;
    setPlaying(false);
    if (state.scene === "rg") rgLeave();
    if (state.scene === "scat") scatLeave();
    framesKey = "";
    update({ scene: name });
    enterScene();
  }

  // enterScene shows the current scene in the canvas and gives the Draw
  // scene its drawing (from the link, or a first example).
  function enterScene() {
    if (!appWin) return;
    appCall("setScene", APP_SCENE[state.scene]);
    appScene = state.scene;
    if (state.scene === "rg") applyRG();
    if (state.scene === "scat") applyScat();
    if (state.scene !== "draw") return;
    if (state.d === "") { drawCommand({ op: "example", k: 0 }); return; }
    try { appCall("drawCommand", JSON.stringify({ op: "set", code: state.d })); }
    catch (err) { addNotice(`the drawing in the link could not be read (${err.message}); starting empty`); state.d = ""; pushURL(); }
  }

  function setPlaying(on) {
    if (playing) { clearInterval(playing); playing = null; }
    $("play").textContent = on ? "❚❚ pause" : "▶ play";
    if (!on) return;
    playing = setInterval(() => {
      if (state.J < 1) return;
      if (state.j + dir > state.J || state.j + dir < 0) dir = -dir;
      update({ j: state.j + dir });
    }, 700);
  }

  function bind() {
    $("image").onchange = (e) => update({ image: e.target.value });
    $("alpha").oninput = (e) => { $("alpha-out").textContent = e.target.value; };
    $("alpha").onchange = (e) => update({ alpha: +e.target.value });
    $("method").onchange = (e) => update({ method: e.target.value });
    $("size").onchange = (e) => update({ size: +e.target.value });
    $("seed").onchange = (e) => {
      const v = SCHEMA.seed.parse(String(e.target.value));
      if (v === undefined) { showNotice([`seed must be an integer from 0 to ${MAX_SEED}`]); return writeControls(); }
      update({ seed: v });
    };
    $("reseed").onclick = () => update({ seed: Math.floor(Math.random() * MAX_SEED) });
    $("wavelet").onchange = (e) => update({ wavelet: e.target.value });
    $("J").onchange = (e) => update({ J: +e.target.value });
    $("j").oninput = (e) => update({ j: +e.target.value });
    $("j-down").onclick = () => update({ j: Math.max(0, state.j - 1) });
    $("j-up").onclick = () => update({ j: Math.min(state.J, state.j + 1) });
    $("play").onclick = () => setPlaying(!playing);
    for (const r of document.querySelectorAll('input[name="view"]')) r.onchange = (e) => update({ view: e.target.value });
    for (const b of document.querySelectorAll("#scenes button")) b.onclick = () => switchScene(b.dataset.scene);
    $("net").onchange = (e) => update({ net: e.target.value });
    $("mode").onchange = (e) => update({ mode: e.target.value });
    $("width").oninput = (e) => update({ width: +e.target.value });
    $("sigma").oninput = (e) => update({ sigma: +e.target.value });
    const seedInput = (id) => (e) => {
      const v = SCHEMA[id].parse(String(e.target.value));
      if (v === undefined) { showNotice([`${id} must be an integer from 0 to ${MAX_SEED}`]); return writeControls(); }
      update({ [id]: v });
    };
    $("bg").onchange = seedInput("bg");
    $("nseed").onchange = seedInput("nseed");
    bindRG();
    bindScat();
    $("undo").onclick = () => drawCommand({ op: "undo" });
    $("clear").onclick = () => drawCommand({ op: "clear" });
    $("example").onchange = (e) => { if (e.target.value !== "") drawCommand({ op: "example", k: +e.target.value, seed: Math.floor(Math.random() * MAX_SEED) }); e.target.value = ""; };
    $("save-png").onclick = () => savePNG().catch((e) => showError("Could not save the image: " + e.message));
    $("copy-link").onclick = async () => {
      pushURL();
      try { await navigator.clipboard.writeText(location.href); $("copied").textContent = "copied"; }
      catch (e) { $("copied").textContent = "select the address bar to copy"; }
    };
    window.addEventListener("hashchange", () => {
      const { state: s, notes } = parseFragment(location.hash);
      showNotice(notes);
      const sceneChanged = s.scene !== state.scene || s.d !== state.d;
      if (s.scene !== state.scene && state.scene === "rg") rgLeave();
      if (s.scene !== state.scene && state.scene === "scat") scatLeave();
      state = s;
      framesKey = "";
      writeControls();
      if (sceneChanged) enterScene();
      recompute();
    });
  }

  // ---- the Renormalise scene ---------------------------------------------
  // The worker keeps one RG session (compute.RGSession). Generation is a
  // loop of bounded "rg_step" requests, one per animation frame, so that
  // pausing, single steps and a busy worker never freeze the page.
  const SPF = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
  const RACE_SECONDS = 60; // a race stops by itself after this long
  const rg = {
    key: "",          // rgKey of the generation the session holds
    gen: 0,           // token of the newest generation (older loops stop)
    L: 0, J: 0,       // of the current generation
    running: false,   // a step loop is active
    loopGen: 0,       // the generation that loop advances
    paused: false,
    autoPaused: false, // paused because the person left the scene
    done: false,
    steps: 0, total: 0,
    ms: 0,            // time spent generating (round trips), pauses excluded
    spf: 4,           // index into SPF
    v: null,          // latest values from the worker
    model: "shipped", // "shipped" or "fitted" (L = 32 only)
    fit: null,        // values of the last fit
    racing: false, raceGen: 0, race: null, showRace: false,
    error: "",
    sides: [32, 64, 128], // the sides with a shipped model (rg_info)
  };
  const rgModel = (s) => (rg.model === "fitted" && rg.fit && s.L === 32 ? "fitted" : "shipped");
  const rgKey = (s) => JSON.stringify([s.L, s.beta, s.seed, rgModel(s)]);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  function writeRG() {
    const on = state.scene === "rg";
    const have = rg.key !== "" && rg.key === rgKey(state);
    $("rg-pause").textContent = rg.paused ? "Resume" : "Pause";
    $("rg-pause").disabled = !have || rg.done || rg.racing;
    $("rg-step").disabled = !have || rg.done || rg.racing;
    $("rg-j-down").disabled = !rg.done || state.j <= 0;
    $("rg-j-up").disabled = !rg.done || state.j >= rg.J;
    $("rg-j-out").textContent = rg.done ? `j = ${state.j} of ${rg.J}` : (on && rg.J ? `j = ${state.j} (when done)` : `j = ${state.j}`);
    for (const id of ["rg-gif", "rg-png", "rg-npy"]) $(id).disabled = !rg.done;
    $("rg-race").textContent = rg.racing ? "Stop race" : "Race";
    for (const o of $("rg-L").options) {
      o.disabled = !rg.sides.includes(+o.value);
      o.textContent = `${o.value} × ${o.value}${o.disabled ? " (no model shipped)" : ""}`;
    }
    const fitted = $("rg-model").querySelector('option[value="fitted"]');
    fitted.disabled = !rg.fit;
    $("rg-model").value = rgModel(state); // the fitted model is for L = 32 only
  }

  function rgLoad(m) {
    appCall("load", m.header, new appWin.Uint8Array(m.buf));
    return JSON.parse(m.header).values;
  }

  function applyRG() {
    // The canvas may still show another scene (switchScene changes the
    // state first): enterScene applies the view when it switches.
    if (!appWin || state.scene !== "rg" || appScene !== "rg" || rg.key === "") return;
    appCall("setView", JSON.stringify({ j: Math.min(state.j, rg.J), mode: rg.showRace ? "race" : "generate" }));
    writeRG();
  }

  async function rgRecompute() {
    if (!rg.sides.includes(state.L) && rg.sides.length > 0) {
      const L = rg.sides.includes(64) ? 64 : rg.sides[rg.sides.length - 1];
      addNotice(`no model is shipped for L=${state.L} yet; using ${L}`);
      state.L = L;
      writeControls();
      pushURL();
    }
    if (rg.key !== "" && rgKey(state) === rg.key) {
      applyRG();
      if (rg.autoPaused) { rg.autoPaused = false; rg.paused = false; if (!rg.done) rgLoop(rg.gen); }
      return;
    }
    return rgGenerate();
  }

  // rgLeave pauses what runs when the person leaves the scene.
  function rgLeave() {
    if (rg.running && !rg.paused) { rg.paused = true; rg.autoPaused = true; }
    rg.racing = false;
  }

  async function rgGenerate() {
    rg.racing = false;
    rg.showRace = false;
    const gen = ++rg.gen;
    const id = ++latest;
    Object.assign(rg, { paused: false, autoPaused: false, done: false, steps: 0, total: 0, ms: 0, error: "" });
    writeRG();
    setStatus("Loading the fitted model…");
    const body = { L: state.L, beta: state.beta, seed: state.seed, model: rgModel(state) };
    try {
      const t0 = performance.now();
      const m = await withProgress(id, "rg_start", body);
      if (gen !== rg.gen) return;
      await appReady;
      const v = rgLoad(m);
      rg.key = rgKey(state);
      rg.L = v.L; rg.J = v.J; rg.total = v.total_steps; rg.v = v;
      rg.ms = performance.now() - t0;
      if (state.j > rg.J) { addNotice(`j=${state.j} is beyond J=${rg.J} of the L=${v.L} model; using ${rg.J}`); state.j = rg.J; pushURL(); }
      showError("");
      applyRG();
      rgShow(v);
      rgLoop(gen);
    } catch (err) {
      if (gen === rg.gen) { rg.error = err.message; showError("Could not start the generation: " + err.message); setStatus("Error."); }
    }
  }

  // rgLoop advances the generation gen: once by `once` steps when given,
  // else one request per frame until paused, done or superseded.
  async function rgLoop(gen, once) {
    if ((rg.running && rg.loopGen === gen) || rg.done || gen !== rg.gen) return;
    rg.running = true;
    rg.loopGen = gen;
    writeRG();
    const bar = $("progress");
    bar.classList.add("on");
    try {
      for (;;) {
        const t = performance.now();
        const m = await request("rg_step", { k: once || SPF[rg.spf] });
        if (gen !== rg.gen) return;
        const v = rgLoad(m);
        rg.ms += performance.now() - t;
        rg.v = { ...rg.v, ...v };
        rg.steps = v.steps_done;
        rgShow(rg.v);
        if (v.done) { rg.done = true; break; }
        if (once || rg.paused || state.scene !== "rg") break;
        // One request per frame: pace the loop at about 60 per second.
        const spent = performance.now() - t;
        if (spent < 16) await sleep(16 - spent);
        if (gen !== rg.gen || rg.paused) break;
      }
    } catch (err) {
      if (gen === rg.gen) { rg.error = err.message; showError("Generation failed: " + err.message); setStatus("Error."); }
    } finally {
      if (gen === rg.loopGen) rg.running = false;
      if (gen === rg.gen) {
        bar.classList.remove("on");
        if (rg.done) applyRG();
        writeRG();
      }
    }
  }

  const fmtInt = (x) => Math.round(x).toLocaleString("en-US");
  const fmt = (x, d = 3) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(d) : "–");
  const fmtAcc = (a) => (a < 0 ? "–" : fmt(a, 2)); // −1: stage not started

  // textDue throttles the status text of a running generation or race to
  // about five updates a second: each one lays out the page again.
  let textAt = 0;
  function textDue(final) {
    const now = performance.now();
    if (!final && now - textAt < 200) return false;
    textAt = now;
    return true;
  }

  // rgShow writes the status line and numbers for the generation.
  function rgShow(v) {
    if (state.scene !== "rg" || rg.showRace) return;
    if (!textDue(v.done || !rg.running || rg.paused)) return;
    const bar = $("progress");
    bar.max = Math.max(1, v.total_steps); bar.value = v.steps_done || 0;
    const model = v.model === "fitted" ? "the model fitted in this page" : "the shipped model";
    if (v.done) {
      setStatus(`Generated a ${v.L}×${v.L} φ⁴ field at β = ${v.beta} with ${model} in ${fmtInt(rg.ms)} ms ` +
        `(${fmtInt(v.steps_done)} MALA steps over ${v.J + 1} scales, ${fmt(v.cost.grad_evals, 0)} whole-lattice gradients; engine ${fmtInt(1000 * v.cost.seconds)} ms).`);
      const g = v.generated, t = v.truth;
      $("numbers").textContent = `Generated vs ground truth (${t.n} FA-HMC samples): ⟨φ²⟩ ${fmt(g.phi2)} vs ${fmt(t.phi2)}; ` +
        `m ${fmt(g.m)}; histogram TV distance ${fmt(v.hist_tv)}; mean |log P/P_true| over the spectrum ${fmt(v.spectrum_log_ratio)}. ` +
        `Acceptance per stage (x_J, then j = J…1): ${v.acceptance.map(fmtAcc).join(", ")}.`;
    } else {
      const ph = v.phase;
      const what = ph.stage === 0 ? `x_J = x_${ph.j} (${ph.size}×${ph.size})` : `x̄_${ph.j} given x_${ph.j}, forming x_${ph.j - 1} (${ph.size}×${ph.size})`;
      setStatus(`Generating with ${model}: ${what}, MALA step ${ph.step}/${ph.total}; ` +
        `${fmtInt(v.steps_done || 0)} of ${fmtInt(v.total_steps)} steps${rg.paused ? " (paused)" : ""}.`);
      $("numbers").textContent = `Cost so far: ${fmt(v.cost.grad_evals, 1)} gradient evaluations of whole-lattice size, ` +
        `${fmtInt(1000 * v.cost.seconds)} ms in the engine. Acceptance per scale so far: ` +
        `${(v.acceptance || []).map(fmtAcc).join(", ") || "–"}.`;
    }
  }

  function rgPause() {
    if (rg.done) return;
    if (rg.paused) {
      rg.paused = false;
      rg.autoPaused = false;
      rg.racing = false;
      if (rg.showRace) { rg.showRace = false; applyRG(); }
      writeRG();
      rgLoop(rg.gen);
    } else {
      rg.paused = true;
      writeRG();
      if (rg.v) rgShow(rg.v);
    }
  }

  async function rgStep() {
    if (rg.done) return;
    rg.paused = true;
    rg.racing = false;
    if (rg.showRace) { rg.showRace = false; applyRG(); }
    while (rg.running) await sleep(5);
    writeRG();
    await rgLoop(rg.gen, SPF[rg.spf]);
  }

  async function rgFit() {
    rg.racing = false;
    if (rg.running) { rg.paused = true; while (rg.running) await sleep(5); }
    const id = ++latest;
    $("rg-fit").disabled = true;
    $("rg-fit-out").textContent = "Fitting…";
    try {
      const t0 = performance.now();
      const m = await withProgress(id, "rg_fit", { L: 32, beta: 0.68 });
      const v = JSON.parse(m.header).values;
      rg.fit = { ...v, roundtrip_ms: performance.now() - t0 };
      rg.model = "fitted";
      $("rg-fit-out").textContent = `Fitted θ for ${v.scales} scales by score matching from ${v.n} of the ${v.shipped} shipped ` +
        `L = 32 samples in ${fmt(v.seconds, 1)} s in this page` +
        (v.shipped_calibrated && !v.calibrated ? " (without the moment-matching calibration of the shipped model, which takes minutes here)" : "") +
        `. The next generation at L = 32 uses this model.`;
      writeRG();
      if (state.L !== 32) update({ L: 32 });
      else { rg.key = ""; await rgGenerate(); }
    } catch (err) {
      $("rg-fit-out").textContent = "";
      showError("Could not fit: " + err.message);
    } finally {
      $("rg-fit").disabled = false;
    }
  }

  async function rgRace() {
    if (rg.racing) { rg.racing = false; writeRG(); return; }
    if (rg.running) { rg.paused = true; while (rg.running) await sleep(5); }
    const gen = ++rg.raceGen;
    rg.racing = true;
    rg.showRace = true;
    rg.race = null;
    writeRG();
    applyRG();
    const t0 = performance.now();
    try {
      let reset = true;
      while (rg.racing && gen === rg.raceGen && state.scene === "rg") {
        const t = performance.now();
        // Slices of 80 ms: each side gets 40 ms of the worker per frame, and
        // the canvas redraws its race plots about 12 times a second.
        const m = await request("rg_race", { L: state.L, beta: state.beta, seed: state.seed, reset, ms: 80 });
        reset = false;
        if (gen !== rg.raceGen) return;
        const v = rgLoad(m);
        rg.race = v;
        const timeUp = performance.now() - t0 > RACE_SECONDS * 1000;
        if (timeUp) rg.racing = false;
        if (textDue(!rg.racing)) rgRaceText(v, timeUp);
        const spent = performance.now() - t;
        if (spent < 16) await sleep(16 - spent);
      }
    } catch (err) {
      showError("Race failed: " + err.message);
    } finally {
      if (gen === rg.raceGen) { rg.racing = false; writeRG(); }
    }
  }

  // rgRaceText writes the status line and numbers of the race.
  function rgRaceText(v, timeUp) {
    const r = v.rg, c = v.mcmc;
    const indep = c.tau > 0 ? ` ≈ ${fmt(c.sweeps / (2 * c.tau), 1)} independent samples (τ_int(m²) ≈ ${fmt(c.tau, 0)} sweeps)` : "";
    setStatus(`Race on ${v.L}×${v.L}${rg.racing ? "" : " (stopped)"}: RG ${r.samples} independent samples, ` +
      `local MALA ${fmtInt(c.sweeps)} sweeps${indep}.` +
      (rg.racing ? "" : ` Stopped${timeUp ? ` after ${RACE_SECONDS} s` : ""}; ◀ ▶ or Generate return to the generation.`));
    $("numbers").textContent = `RG: ${fmt(r.grad_evals, 0)} whole-lattice gradients, ${fmt(r.seconds, 2)} s, Binder U = ${fmt(r.binder)}. ` +
      `Local MALA: ${fmt(c.grad_evals, 0)} gradients, ${fmt(c.seconds, 2)} s, Binder U = ${fmt(c.binder)} ` +
      `(critical value ≈ 0.61). Each gets the same share of the worker's time.`;
  }

  const EXPORTS = { gif: "image/gif", png: "image/png", npy: "application/octet-stream" };
  async function rgExport(format) {
    if (!EXPORTS[format]) throw new Error(`unknown export format ${format}`);
    if (!rg.done) throw new Error("nothing generated yet");
    const id = ++latest;
    const m = await withProgress(id, "rg_export", { format });
    const v = JSON.parse(m.header).values;
    return { bytes: new Uint8Array(m.buf), mime: v.mime, filename: v.filename };
  }
  async function rgDownload(format) {
    try {
      const e = await rgExport(format);
      const a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([e.bytes], { type: e.mime }));
      a.download = e.filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    } catch (err) {
      showError(`Could not export ${format}: ${err.message}`);
    }
  }
  function toBase64(u8) {
    let s = "";
    for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
    return btoa(s);
  }

  function bindRG() {
    $("rg-L").onchange = (e) => update({ L: +e.target.value });
    $("rg-seed").onchange = (e) => {
      const v = SCHEMA.seed.parse(String(e.target.value));
      if (v === undefined) { showNotice([`seed must be an integer from 0 to ${MAX_SEED}`]); return writeControls(); }
      update({ seed: v });
    };
    $("rg-reseed").onclick = () => update({ seed: Math.floor(Math.random() * MAX_SEED) });
    $("rg-model").onchange = (e) => { rg.model = e.target.value; update({}); };
    $("rg-generate").onclick = () => { rg.key = ""; showError(""); rgGenerate(); };
    $("rg-pause").onclick = rgPause;
    $("rg-step").onclick = () => rgStep();
    $("rg-spf").oninput = (e) => { rg.spf = +e.target.value; $("rg-spf-out").textContent = SPF[rg.spf]; };
    $("rg-j-down").onclick = () => { rg.showRace = false; update({ j: Math.max(0, state.j - 1) }); };
    $("rg-j-up").onclick = () => { rg.showRace = false; update({ j: Math.min(rg.J, state.j + 1) }); };
    $("rg-fit").onclick = () => rgFit();
    $("rg-race").onclick = () => rgRace();
    $("rg-gif").onclick = () => rgDownload("gif");
    $("rg-png").onclick = () => rgDownload("png");
    $("rg-npy").onclick = () => rgDownload("npy");
  }

  // ---- the Scattering scene ----------------------------------------------
  // The worker keeps one scattering session (compute.ScatSession): analyses
  // reuse the field, bank and statistics that did not change; a synthesis
  // is a loop of bounded "scat_synth_step" requests, one per animation
  // frame, so that the page never waits long on the worker.
  const SCAT_STEP_MS = 40;
  // The quantiles of the marginal term (compute.ScatMarginalQuantiles).
  const SCAT_MARGINAL_QUANTILES = 64;
  const SCAT_FIELD_NAMES = { phi4: "φ⁴ (β = 0.68)", calpha: "C^α image", drawing: "your drawing", cosmic: "cosmic web", turbulence: "2-D turbulence" };
  const scat = {
    fields: ["phi4", "calpha", "drawing"], // the fields this build offers (scat_info)
    akey: "",          // analysis key of the panels the canvas has
    busy: false, again: false,
    ana: null,         // values of the latest analysis
    lastAna: null,     // its message (for the panels PNG)
    anaMs: 0, anaRoundMs: 0, analyses: 0,
    skey: "",          // synthesis key of the synthesis the session holds
    gen: 0, loopGen: 0,
    running: false, paused: false, autoPaused: false, done: false,
    v: null,           // latest synthesis values
    lastStart: null, lastStep: null,
    ms: 0,             // synthesis time in this page: round trips, pauses excluded
    wallMs: 0,         // from Synthesise to the end, pauses included
    t0: 0,
    showSynth: false,
    error: "",
  };
  const scatBody = (s) => {
    const b = { field: s.field, size: s.ssize, seed: s.seed, kind: s.kind, J: s.sJ, L: s.sL, j: s.sj, k: s.k, by: s.by };
    if (s.field === "calpha") b.alpha = s.alpha;
    if (s.field === "drawing") Object.assign(b, { d: s.d, mode: s.mode, width: s.width, bg: s.bg });
    return b;
  };
  const scatAnaKey = (s) => JSON.stringify(scatBody(s));
  // The synthesis depends on the field, the bank, the form, the marginal
  // term and the seed, not on the wavelet ψ_{j,k} shown.
  const scatSynthKey = (s) => { const b = scatBody(s); delete b.j; delete b.k; delete b.by; return JSON.stringify([b, s.form, s.marginal]); };

  function writeScat() {
    const have = scat.skey !== "" && scat.skey === scatSynthKey(state);
    for (const o of $("scat-field").options) {
      const ok = scat.fields.includes(o.value);
      o.disabled = !ok;
      o.textContent = SCAT_FIELD_NAMES[o.value] + (ok ? "" : o.value === "turbulence" ? " (no snapshot shipped yet)" : " (not in this build)");
    }
    $("scat-field").value = state.field;
    $("scat-size").value = String(state.ssize);
    $("scat-seed").value = state.seed;
    $("scat-alpha").value = state.alpha;
    $("scat-alpha-out").textContent = state.alpha;
    $("scat-alpha-row").style.display = state.field === "calpha" ? "" : "none";
    $("scat-drawing-row").style.display = state.field === "drawing" ? "" : "none";
    $("scat-kind").value = state.kind;
    const J = $("scat-J");
    J.innerHTML = "";
    for (let k = 2; k <= scatMaxJ(state.ssize); k++) J.add(new Option(String(k), String(k)));
    J.value = String(state.sJ);
    $("scat-L").value = String(state.sL);
    $("scat-by").value = state.by;
    $("scat-form").value = state.form;
    $("scat-marginal").checked = state.marginal === "on";
    $("scat-j-out").textContent = `j = ${state.sj} (2^${state.sj} px)`;
    $("scat-j-down").disabled = state.sj <= 0;
    $("scat-j-up").disabled = state.sj >= state.sJ - 1;
    $("scat-k-out").textContent = `k = ${state.k} (θ = ${Math.round(180 * state.k / state.sL)}°)`;
    $("scat-k-down").disabled = state.k <= 0;
    $("scat-k-up").disabled = state.k >= state.sL - 1;
    $("scat-pause").textContent = scat.paused ? "Resume" : "Pause";
    $("scat-pause").disabled = !have || scat.done;
    $("scat-show").textContent = scat.showSynth ? "Show analysis" : "Show synthesis";
    $("scat-show").disabled = !scat.v;
    for (const id of ["scat-gif", "scat-npy"]) $(id).disabled = !have || !scat.v;
    $("scat-png").disabled = !scat.lastAna;
  }

  function applyScat() {
    if (!appWin || state.scene !== "scat" || appScene !== "scat") return;
    appCall("setView", JSON.stringify({ mode: scat.showSynth && scat.v ? "synth" : "analyse" }));
    writeScat();
  }

  // scatLeave pauses a running synthesis when the person leaves the scene.
  function scatLeave() {
    if (scat.running && !scat.paused) { scat.paused = true; scat.autoPaused = true; }
  }

  async function scatRecompute() {
    if (!scat.fields.includes(state.field)) {
      addNotice(state.field === "turbulence"
        ? "no 2-D turbulence snapshot ships with this page yet; using phi4"
        : `the ${state.field} field is not in this build; using phi4`);
      state.field = "phi4";
      writeControls();
      pushURL();
    }
    // A synthesis of another target is dropped.
    if (scat.skey !== "" && scat.skey !== scatSynthKey(state)) {
      scat.gen++;
      Object.assign(scat, { skey: "", running: false, paused: false, autoPaused: false, done: false, v: null, showSynth: false, lastStart: null, lastStep: null });
    } else if (scat.autoPaused) {
      scat.autoPaused = false; scat.paused = false;
      if (!scat.done) scatLoop(scat.gen);
    }
    applyScat();
    return scatAnalyse();
  }

  // scatAnalyse computes the panels of the current settings; while the
  // worker is busy only the newest settings are computed next.
  async function scatAnalyse() {
    if (scat.busy) { scat.again = true; return; }
    const key = scatAnaKey(state);
    if (key === scat.akey) return;
    scat.busy = true;
    const id = ++latest;
    const t0 = performance.now();
    try {
      const m = await withProgress(id, "scat_analyse", scatBody(state));
      if (state.scene === "scat" && scatAnaKey(state) === key) {
        await appReady;
        const v = rgLoad(m);
        scat.akey = key;
        scat.ana = v;
        scat.lastAna = m;
        scat.anaMs = v.ms;
        scat.anaRoundMs = performance.now() - t0;
        scat.analyses++;
        scat.error = "";
        showError("");
        applyScat();
        scatAnaText(v);
      }
    } catch (err) {
      if (scatAnaKey(state) === key) { scat.error = err.message; showError("Could not analyse: " + err.message); setStatus("Error."); }
    } finally {
      scat.busy = false;
      if (scat.again) { scat.again = false; if (state.scene === "scat") scatAnalyse(); }
    }
  }

  function scatAnaText(v) {
    if (scat.running || (scat.showSynth && scat.v)) return;
    setStatus(`${v.desc}. Panels computed in ${fmtInt(v.ms)} ms in the engine worker (round trip ${fmtInt(scat.anaRoundMs)} ms).` + (v.note ? ` Note: ${v.note}.` : ""));
    const r = v.regularity;
    const reg = !r ? `Directional regularity needs two scales j′ ≥ j: choose j ≤ J − 2.`
      : r.fitted ? `Directional regularity of ψ_{${v.j},${v.k}}: log₂ D grows with slope ${fmt(r.slope, 2)} over j′ = ${r.jprimes[0]}…${r.jprimes[r.jprimes.length - 1]} (R² ${fmt(r.r2, 2)}); the theorem bounds it by α < ${r.bound} for images that are C² away from piecewise-C² edges.`
        : `Directional regularity: some D(j′) is zero, so no slope can be fitted.`;
    const c = v.counts;
    $("numbers").textContent = `${reg} Scattering spectra: ${c.iso.total} coefficients in the isotropic form (S1 ${c.iso.S1}, S2 ${c.iso.S2}, S3 ${c.iso.S3}, S4 ${c.iso.S4}), ` +
      `${c.full.total} in the full form (S1 ${c.full.S1}, S2 ${c.full.S2}, S3 ${c.full.S3}, S4 ${c.full.S4}).` +
      (state.marginal === "on" ? ` Synthesise also matches ${SCAT_MARGINAL_QUANTILES} marginal quantiles (block means of the sorted pixels).` : "");
  }

  async function scatSynth() {
    const gen = ++scat.gen;
    const id = ++latest;
    Object.assign(scat, { running: false, paused: false, autoPaused: false, done: false, v: null, ms: 0, wallMs: 0, error: "", showSynth: true, skey: "" });
    writeScat();
    setStatus("Computing the target's statistics…");
    const body = { ...scatBody(state), form: state.form, marginal: state.marginal === "on" };
    const t0 = performance.now();
    scat.t0 = t0;
    try {
      const m = await withProgress(id, "scat_synth_start", body);
      if (gen !== scat.gen) return;
      await appReady;
      const v = rgLoad(m);
      scat.skey = scatSynthKey(state);
      scat.v = v;
      scat.lastStart = m;
      scat.lastStep = m;
      scat.ms = performance.now() - t0;
      showError("");
      applyScat();
      scatShow(v);
      scatLoop(gen);
    } catch (err) {
      if (gen === scat.gen) { scat.error = err.message; showError("Could not start the synthesis: " + err.message); setStatus("Error."); }
    }
  }

  async function scatLoop(gen) {
    if ((scat.running && scat.loopGen === gen) || scat.done || gen !== scat.gen) return;
    scat.running = true;
    scat.loopGen = gen;
    writeScat();
    const bar = $("progress");
    bar.classList.add("on");
    try {
      for (;;) {
        const t = performance.now();
        const m = await request("scat_synth_step", { max_ms: SCAT_STEP_MS });
        if (gen !== scat.gen) return;
        const v = rgLoad(m);
        scat.ms += performance.now() - t;
        scat.v = { ...scat.v, ...v };
        scat.lastStep = m;
        if (v.done) { scat.done = true; scat.wallMs = performance.now() - scat.t0; }
        scatShow(scat.v);
        if (v.done || scat.paused || state.scene !== "scat") break;
        const spent = performance.now() - t;
        if (spent < 16) await sleep(16 - spent);
        if (gen !== scat.gen || scat.paused) break;
      }
    } catch (err) {
      if (gen === scat.gen) { scat.error = err.message; scat.done = true; showError("Synthesis failed: " + err.message); setStatus("Error."); }
    } finally {
      if (gen === scat.loopGen) scat.running = false;
      if (gen === scat.gen) {
        bar.classList.remove("on");
        writeScat();
        if (scat.v) scatShow(scat.v, true);
      }
    }
  }

  function scatShow(v, final) {
    if (state.scene !== "scat") return;
    if (!textDue(final || v.done || scat.paused)) return;
    const bar = $("progress");
    bar.max = Math.max(1, v.max_iter); bar.value = v.iter || 0;
    const what = `${v.n}×${v.n} ${SCAT_FIELD_NAMES[v.field] || v.field}`;
    const err = `loss ${v.loss === null ? "–" : v.loss.toExponential(2)}, relative error ${v.relerr === null ? "–" : v.relerr.toExponential(2)}`;
    const stats = `${v.count} coefficients` + (v.marginal ? ` and ${v.marginal_quantiles} marginal quantiles` : ", marginal not matched");
    if (v.done) {
      setStatus(`Synthesised a ${what} from white noise (${v.form} form, ${stats}) in ${fmt(scat.ms / 1000, 1)} s in this page (${v.iter} L-BFGS iterations, ${v.evals} evaluations; engine ${fmt(v.seconds, 1)} s): ${err} — ${v.status}.`);
    } else {
      setStatus(`Synthesising a ${what} (${v.form} form, ${stats}): iteration ${v.iter}, ${err}; ${fmt(scat.ms / 1000, 1)} s${scat.paused ? " (paused)" : ""}.`);
    }
    const names = (v.groups || []).map((g) => g.name);
    $("numbers").textContent = `Synthesis vs target: marginal total variation ${fmt(v.hist_tv)}` +
      (v.marginal_err === null || v.marginal_err === undefined ? "" : ` (W₂/σ ${fmt(v.marginal_err)}${v.marginal ? "" : ", the marginal term off"})`) + `, mean |log P/P_target| over the power spectrum ${fmt(v.spectrum_log_ratio)}. ` +
      `Relative error per statistic: ${(v.group_errors || []).map((e, i) => `${names[i]} ${e.toExponential(1)}`).join(", ")}.`;
  }

  function scatPause() {
    if (scat.done || !scat.v) return;
    if (scat.paused) {
      scat.paused = false;
      scat.autoPaused = false;
      writeScat();
      scatLoop(scat.gen);
    } else {
      scat.paused = true;
      writeScat();
      if (scat.v) scatShow(scat.v, true);
    }
  }

  async function scatExport(format) {
    if (!EXPORTS[format]) throw new Error(`unknown export format ${format}`);
    if (!scat.v) throw new Error("nothing synthesised yet");
    const id = ++latest;
    const m = await withProgress(id, "scat_export", { format });
    const v = JSON.parse(m.header).values;
    return { bytes: new Uint8Array(m.buf), mime: v.mime, filename: v.filename };
  }
  async function download(bytesOrURL, mime, filename) {
    const a = document.createElement("a");
    a.href = typeof bytesOrURL === "string" ? bytesOrURL : URL.createObjectURL(new Blob([bytesOrURL], { type: mime }));
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    if (typeof bytesOrURL !== "string") setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  // scatPanelsPNG composes the panels of the analysis (the field, the
  // bank, the modulus and the second transforms) and, when there is a
  // synthesis, its target and current field, each enlarged to 256 pixels,
  // with captions.
  function scatPanelsPNG() {
    if (!scat.lastAna) throw new Error("nothing analysed yet");
    const tiles = [];
    const add = (m, name, caption) => {
      const hdr = JSON.parse(m.header);
      const im = hdr.images.find((x) => x.name === name);
      if (im) tiles.push({ m, im, caption });
    };
    const a = scat.ana;
    add(scat.lastAna, "a/field", `${SCAT_FIELD_NAMES[a.field]}, ${a.n}×${a.n}`);
    add(scat.lastAna, "a/bank", `${a.wavelet} bank, J = ${a.J}, L = ${a.L}`);
    add(scat.lastAna, "a/modulus", `|x ⋆ ψ_{${a.j},${a.k}}|, θ = ${Math.round(a.theta_deg)}°`);
    (a.second || []).forEach((sec, i) => add(scat.lastAna, `a/second/${i}`, `||x ⋆ ψ_{${a.j},${a.k}}| ⋆ ψ_{${sec.jp},${a.kperp}}|`));
    if (scat.v && scat.lastStart && scat.lastStep && scat.skey === scatSynthKey(state)) {
      add(scat.lastStart, "s/target", "synthesis target");
      add(scat.lastStep, "s/synth", `synthesis, iteration ${scat.v.iter}`);
    }
    const S = 256, G = 12, T = 28, perRow = 4;
    const rows = Math.ceil(tiles.length / perRow);
    const out = document.createElement("canvas");
    out.width = perRow * S + (perRow + 1) * G; out.height = rows * (S + T + G) + G;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#121418"; ctx.fillRect(0, 0, out.width, out.height);
    ctx.imageSmoothingEnabled = false;
    ctx.fillStyle = "#e6e6e6"; ctx.font = "15px sans-serif";
    tiles.forEach(({ m, im, caption }, i) => {
      const tile = document.createElement("canvas");
      tile.width = im.w; tile.height = im.h;
      tile.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(m.buf, im.off, 4 * im.w * im.h).slice(), im.w, im.h), 0, 0);
      const x = G + (i % perRow) * (S + G), y = G + Math.floor(i / perRow) * (S + T + G);
      ctx.drawImage(tile, x, y, S, S);
      ctx.fillText(caption, x, y + S + 20);
    });
    return out.toDataURL("image/png");
  }

  function bindScat() {
    $("scat-field").onchange = (e) => update({ field: e.target.value });
    $("scat-size").onchange = (e) => update({ ssize: +e.target.value });
    $("scat-seed").onchange = (e) => {
      const v = SCHEMA.seed.parse(String(e.target.value));
      if (v === undefined) { showNotice([`seed must be an integer from 0 to ${MAX_SEED}`]); return writeControls(); }
      update({ seed: v });
    };
    $("scat-reseed").onclick = () => update({ seed: Math.floor(Math.random() * MAX_SEED) });
    $("scat-alpha").oninput = (e) => { $("scat-alpha-out").textContent = e.target.value; };
    $("scat-alpha").onchange = (e) => update({ alpha: +e.target.value });
    $("scat-kind").onchange = (e) => update({ kind: e.target.value });
    $("scat-J").onchange = (e) => update({ sJ: +e.target.value });
    $("scat-L").onchange = (e) => update({ sL: +e.target.value });
    $("scat-by").onchange = (e) => update({ by: e.target.value });
    $("scat-form").onchange = (e) => update({ form: e.target.value });
    $("scat-marginal").onchange = (e) => {
      update({ marginal: e.target.checked ? "on" : "off" });
      if (scat.ana) scatAnaText(scat.ana);
    };
    $("scat-j-down").onclick = () => update({ sj: Math.max(0, state.sj - 1) });
    $("scat-j-up").onclick = () => update({ sj: Math.min(state.sJ - 1, state.sj + 1) });
    $("scat-k-down").onclick = () => update({ k: Math.max(0, state.k - 1) });
    $("scat-k-up").onclick = () => update({ k: Math.min(state.sL - 1, state.k + 1) });
    $("scat-synth").onclick = () => { showError(""); scatSynth(); };
    $("scat-pause").onclick = scatPause;
    $("scat-show").onclick = () => {
      scat.showSynth = !scat.showSynth;
      applyScat();
      if (scat.showSynth && scat.v) scatShow(scat.v, true); else if (scat.ana) scatAnaText(scat.ana);
    };
    $("scat-png").onclick = () => { try { download(scatPanelsPNG(), "image/png", `scalewise-scat-${state.field}-${state.ssize}-panels.png`); } catch (err) { showError("Could not export the panels: " + err.message); } };
    for (const f of ["gif", "npy"]) {
      $(`scat-${f}`).onclick = async () => {
        try { const e = await scatExport(f); download(e.bytes, e.mime, e.filename); } catch (err) { showError(`Could not export ${f}: ${err.message}`); }
      };
    }
  }

  // canvasPNG resolves to a PNG data URL of the canvas. Ebiten's WebGL
  // canvas keeps its pixels only until the frame is composited, so read it
  // inside an animation frame of the canvas window.
  function canvasPNG() {
    return new Promise((resolve, reject) => appWin.requestAnimationFrame(() => {
      const c = appWin.document.querySelector("canvas");
      if (!c) return reject(new Error("no canvas"));
      resolve(c.toDataURL("image/png"));
    }));
  }
  // panelsPNG composes the four panels of the Draw scene, each 64×64 shown
  // at 4×, side by side with their captions.
  function panelsPNG() {
    if (!lastDraw) throw new Error("nothing denoised yet");
    const hdr = JSON.parse(lastDraw.header);
    const v = hdr.values;
    const names = [["clean", "clean x"], ["noisy", `noisy, ${v.psnr_in.toFixed(2)} dB`], ["denoised", `denoised, ${v.psnr_out.toFixed(2)} dB`], ["residual", "residual f(y)"]];
    const S = 256, G = 12, T = 28;
    const out = document.createElement("canvas");
    out.width = names.length * S + (names.length + 1) * G; out.height = S + T + 2 * G;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#121418"; ctx.fillRect(0, 0, out.width, out.height);
    ctx.imageSmoothingEnabled = false;
    ctx.fillStyle = "#e6e6e6"; ctx.font = "15px sans-serif";
    names.forEach(([name, caption], i) => {
      const im = hdr.images.find((x) => x.name === name);
      const tile = document.createElement("canvas");
      tile.width = im.w; tile.height = im.h;
      tile.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(lastDraw.buf, im.off, 4 * im.w * im.h), im.w, im.h), 0, 0);
      ctx.drawImage(tile, G + i * (S + G), G, S, S);
      ctx.fillText(caption, G + i * (S + G), G + S + 20);
    });
    return out.toDataURL("image/png");
  }

  async function savePNG() {
    const a = document.createElement("a");
    a.href = state.scene === "draw" ? panelsPNG() : await canvasPNG();
    a.download = state.scene === "rg" ? `scalewise-rg-L${state.L}-seed${state.seed}-j${state.j}.png`
      : state.scene === "scat" ? `scalewise-scat-${state.field}-${state.ssize}-seed${state.seed}-j${state.sj}-k${state.k}.png`
      : `scalewise-${state.scene}-${state.view}-j${state.j}.png`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // The page's API for tests and for embedding.
  window.scalewise = {
    get state() { return { ...state }; },
    parseFragment, fragmentOf,
    setPlaying,
    canvasPNG,
    panelsPNG,
    lastDrawValues: () => (lastDraw ? JSON.parse(lastDraw.header).values : null),
    compute: (op, body) => request(op, body, () => {}),
    app: () => appWin && appWin.scalewiseApp,
    appStatus: () => (appWin ? appCall("status") : null),
    // The Renormalise scene.
    rgStatus: () => ({
      key: rg.key, L: rg.L, J: rg.J, running: rg.running, paused: rg.paused, done: rg.done,
      steps: rg.steps, total: rg.total, ms: rg.ms, model: rgModel(state), racing: rg.racing,
      race: rg.race, fit: rg.fit, error: rg.error, values: rg.v,
    }),
    rgExport: async (format) => {
      const e = await rgExport(format);
      return { mime: e.mime, filename: e.filename, base64: toBase64(e.bytes) };
    },
    rgFit: () => rgFit(),
    // The Scattering scene.
    scatStatus: () => ({
      fields: scat.fields, akey: scat.akey, analysed: scat.akey !== "" && scat.akey === scatAnaKey(state), busy: scat.busy,
      anaMs: scat.anaMs, anaRoundMs: scat.anaRoundMs, analyses: scat.analyses, values: scat.ana,
      synth: scat.v, skey: scat.skey, running: scat.running, paused: scat.paused, done: scat.done, ms: scat.ms,
      wallMs: scat.wallMs, showSynth: scat.showSynth, error: scat.error,
    }),
    scatExport: async (format) => {
      const e = await scatExport(format);
      return { mime: e.mime, filename: e.filename, base64: toBase64(e.bytes) };
    },
    scatPanelsPNG: () => scatPanelsPNG(),
    // scatSeries returns a series ("s/loss", "a/s1", …) of the latest
    // synthesis or analysis frames.
    scatSeries: (name) => {
      for (const m of [scat.lastStep, scat.lastStart, scat.lastAna]) {
        if (!m) continue;
        const im = JSON.parse(m.header).images.find((x) => x.name === name);
        if (im && im.h === 1) return Array.from(new Float32Array(m.buf.slice(im.off, im.off + 4 * im.w)));
      }
      return null;
    },
    ready: false,
  };

  async function boot() {
    const { state: s, notes } = parseFragment(location.hash);
    state = s;
    showNotice(notes);
    writeControls();
    bind();
    pushURL();
    if (singleFile()) $("offline-hint").textContent = "This file works offline as it is.";
    if (!singleFile() && "serviceWorker" in navigator && location.protocol.startsWith("http")) {
      navigator.serviceWorker.register("sw.js").catch((e) => setStatus("Offline cache unavailable: " + e.message));
    }
    try {
      await Promise.all([startWorker(), startApp()]);
    } catch (err) {
      showError("Could not start: " + err.message);
      return;
    }
    try {
      rg.sides = JSON.parse((await request("rg_info", {})).header).values.sides;
      writeRG();
    } catch (err) {
      showError("Could not list the RG models: " + err.message);
    }
    try {
      scat.fields = JSON.parse((await request("scat_info", {})).header).values.fields;
      writeScat();
    } catch (err) {
      showError("Could not list the scattering fields: " + err.message);
    }
    enterScene();
    await recompute();
    while (denoiseBusy || denoiseAgain) await new Promise((r) => setTimeout(r, 20));
    // Time from navigation to the first frame the canvas drew with data.
    await new Promise((resolve) => {
      const tick = () => {
        const st = appCall("status");
        if (st.drawn >= st.version && st.version > 0) return resolve();
        requestAnimationFrame(tick);
      };
      tick();
    });
    window.scalewise.firstFrameMs = performance.now();
    window.scalewise.ready = true;
  }
  boot();
})();
