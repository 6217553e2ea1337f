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
  const codeOf = (s) => (/^[A-Za-z0-9_-]{0,8000}$/.test(s) ? s : undefined);
  const SCHEMA = {
    scene: { def: "scales", parse: enumOf("scales", "draw") },
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
  };
  const ORDER = Object.keys(SCHEMA);
  const SCENE_KEYS = {
    scales: ["image", "alpha", "method", "size", "seed", "wavelet", "J", "j", "view"],
    draw: ["net", "mode", "width", "bg", "sigma", "nseed", "d"],
  };

  const defaults = () => Object.fromEntries(ORDER.map((k) => [k, SCHEMA[k].def]));
  const imageSize = (s) => (s.image === "mnist" ? 32 : s.size);
  const maxLevels = (s) => Math.log2(imageSize(s));

  // parseFragment returns a complete state and the notices for whatever it
  // had to ignore or correct; it never throws.
  function parseFragment(hash) {
    const s = defaults();
    const notes = [];
    const text = (hash || "").replace(/^#/, "");
    if (text === "") return { state: s, notes };
    for (const part of text.split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      let key, raw;
      try {
        key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
        raw = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
      } catch (e) {
        notes.push(`could not decode “${part.slice(0, 40)}”`);
        continue;
      }
      const spec = SCHEMA[key];
      if (!spec) {
        notes.push(`unknown setting “${key.slice(0, 40)}” ignored`);
        continue;
      }
      const v = spec.parse(raw);
      if (v === undefined) {
        notes.push(`${key}=“${raw.slice(0, 40)}” is not valid; using ${spec.def}`);
        continue;
      }
      s[key] = v;
    }
    const mj = maxLevels(s);
    if (s.J > mj) {
      notes.push(`J=${s.J} is too large for a ${imageSize(s)}×${imageSize(s)} image; using ${mj}`);
      s.J = mj;
    }
    if (s.j > s.J) {
      notes.push(`j=${s.j} is beyond J=${s.J}; using ${s.J}`);
      s.j = s.J;
    }
    return { state: s, notes };
  }

  function fragmentOf(s) {
    const keys = ["scene", ...SCENE_KEYS[s.scene]]
      .filter((k) => !((k === "alpha" || k === "method" || k === "size") && s.image !== "calpha"))
      .filter((k) => !(k === "width" && s.mode !== "stroke"))
      .filter((k) => !(k === "d" && s.d === ""));
    return "#" + keys.map((k) => `${k}=${encodeURIComponent(s[k])}`).join("&");
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
  function showNotice(notes) {
    notices = notes;
    const el = $("notice");
    el.textContent = notes.length ? "Link settings corrected: " + notes.join("; ") + "." : "";
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
      const loaded = new Promise((resolve) => { window.scalewiseBootApp = resolve; });
      frame.srcdoc = "<!doctype html><html><head><meta charset=utf-8><style>html,body{margin:0;height:100%;background:#121418;overflow:hidden}</style>" +
        "<script>" + execJS + "</" + "script></head><body><script>parent.scalewiseBootApp(window)</" + "script></body></html>";
      const win = await loaded;
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
    if (state.j > state.J) state.j = state.J;
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
    framesKey = "";
    update({ scene: name });
    enterScene();
  }

  // enterScene shows the current scene in the canvas and gives the Draw
  // scene its drawing (from the link, or a first example).
  function enterScene() {
    if (!appWin) return;
    appCall("setScene", state.scene);
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
      state = s;
      framesKey = "";
      writeControls();
      if (sceneChanged) enterScene();
      recompute();
    });
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
    a.download = `scalewise-${state.scene}-${state.view}-j${state.j}.png`;
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
