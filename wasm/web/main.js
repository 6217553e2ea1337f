// Scalewise page: boots the engine worker and the canvas app, keeps the
// state and its link, and hands the scenes (scenes.js) their moments. The
// numerics run in Go (wasm/worker in a Web Worker, engine.js); the drawing
// runs in Go too (wasm/app, Ebiten, in an iframe, app.js).
import { SCENES } from "./scenes.js";
import { linkCodec } from "./state.js";
import { $, showError, showNotice, setStatus, sleep } from "./ui.js";
import { engine } from "./engine.js";
import { startApp, appCall, appAPI, canvasUp, canvasPNG, showCanvas, canvasTouch, canvasListen } from "./app.js";
import { singleFile, isInline } from "./assets.js";
import { download } from "./export.js";
import { loadPart, loadFailed, loadLog } from "./loading.js";

const { defaults, clamp, parseFragment, fragmentOf, sceneOf } = linkCodec(SCENES);

let state = defaults();
let canvasScene = ""; // the scene whose canvas scene the app shows
const current = () => sceneOf(state.scene);

const ctx = {
  get state() { return state; },
  scenes: SCENES,
  framesKey: "",
  update, writeControls, pushURL,
  shown: (sc) => state.scene === sc.name,
  onCanvas: (sc) => canvasScene === sc.name,
};

window.addEventListener("error", (e) => showError("Page error: " + e.message));
window.addEventListener("unhandledrejection", (e) => showError("Page error: " + (e.reason && e.reason.message || e.reason)));
window.scalewiseAppError = (msg) => showError("Canvas error: " + msg);

function writeControls() {
  for (const b of document.querySelectorAll("#scenes button")) b.setAttribute("aria-selected", String(b.dataset.scene === state.scene));
  const blurb = current().blurb || "";
  if ($("scene-blurb").textContent !== blurb) $("scene-blurb").textContent = blurb;
  for (const el of document.querySelectorAll("[data-scene-only]")) el.style.display = el.dataset.sceneOnly === state.scene ? "" : "none";
  for (const sc of SCENES) sc.write(ctx);
}

function pushURL() {
  const f = fragmentOf(state);
  if (location.hash !== f) history.replaceState(null, "", f);
}

const recompute = () => current().recompute(ctx);

function update(changes) {
  showError("");
  Object.assign(state, changes);
  clamp(state);
  writeControls();
  pushURL();
  recompute();
}

function switchScene(name) {
  if (name === state.scene) return;
  if (current().leave) current().leave(ctx);
  ctx.framesKey = "";
  update({ scene: name });
  enterScene();
}

// enterScene shows the current scene in the canvas (or hides the canvas
// for a scene the app does not have and that can do without).
function enterScene() {
  if (!canvasUp()) return;
  const sc = current();
  let ok = true;
  try { appCall("setScene", sc.appScene); } catch (err) { if (!sc.canvasOptional) throw err; ok = false; }
  showCanvas(ok);
  canvasTouch(ok && !!sc.touch);
  canvasScene = ok ? sc.name : "";
  if (sc.enter) sc.enter(ctx);
}

async function savePNG() {
  const sc = current();
  const href = sc.savePNG ? sc.savePNG(ctx) : await canvasPNG();
  download(href, "image/png", sc.pngName(state));
}

function bind() {
  // A scene that is not hidden gets a tab, unless index.html has one.
  for (const sc of SCENES) {
    if (sc.hidden || document.querySelector(`#scenes button[data-scene="${sc.name}"]`)) continue;
    const b = document.createElement("button");
    b.textContent = sc.title || sc.name;
    b.setAttribute("role", "tab");
    b.dataset.scene = sc.name;
    $("scenes").append(b);
  }
  for (const b of document.querySelectorAll("#scenes button")) {
    b.onclick = () => switchScene(b.dataset.scene);
    const sc = sceneOf(b.dataset.scene);
    if (sc && sc.blurb) b.title = sc.blurb;
  }
  // Narrow screens fold the controls (index.html's CSS): Settings unfolds them.
  $("controls-toggle").onclick = () => {
    const open = $("controls").classList.toggle("open");
    $("controls-toggle").setAttribute("aria-expanded", String(open));
  };
  window.addEventListener("keydown", onKey);
  for (const sc of SCENES) sc.bind(ctx);
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
    if (s.scene !== state.scene && current().leave) current().leave(ctx);
    state = s;
    ctx.framesKey = "";
    writeControls();
    pushURL(); // the corrected link, as on load
    if (sceneChanged) enterScene();
    recompute();
  });
}

// Keys: ←/→ step the scale and space plays or pauses, in the scenes that
// say how (their onKey), not while the person types in a field. Space on a
// focused button or link presses it instead.
const KEYS = new Set(["ArrowLeft", "ArrowRight", " "]);
function onKey(e) {
  if (!KEYS.has(e.key) || e.ctrlKey || e.altKey || e.metaKey) return;
  const t = e.target, tag = t && t.tagName;
  if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || (t && t.isContentEditable)) return;
  if (e.key === " " && (tag === "BUTTON" || tag === "A")) return;
  const sc = current();
  if (sc.onKey && sc.onKey(ctx, e.key)) e.preventDefault();
}

// The page's API for tests and for embedding; the scenes add theirs.
const api = {
  get state() { return { ...state }; },
  parseFragment, fragmentOf,
  canvasPNG,
  compute: (op, body, name) => engine(name).request(op, body),
  app: () => appAPI(),
  appStatus: () => (canvasUp() ? appCall("status") : null),
  ready: false,
  loadLog,
};
for (const sc of SCENES) if (sc.api) Object.assign(api, sc.api(ctx));
window.scalewise = api;

async function boot() {
  const { state: s, notes } = parseFragment(location.hash);
  state = s;
  showNotice(notes);
  bind();
  writeControls();
  pushURL();
  if (singleFile()) $("offline-hint").textContent = "This file works offline as it is.";
  if (!singleFile() && "serviceWorker" in navigator && location.protocol.startsWith("http")) {
    navigator.serviceWorker.register("sw.js").catch((e) => setStatus("Offline cache unavailable: " + e.message));
  }
  try {
    const inline = { inline: isInline("worker.wasm") };
    await Promise.all([engine().start(loadPart("engine", inline)), startApp(loadPart("canvas", inline))]);
  } catch (err) {
    loadFailed();
    showError("Could not start: " + err.message);
    return;
  }
  canvasListen("keydown", onKey, true);
  for (const sc of SCENES) if (sc.info) await sc.info(ctx);
  enterScene();
  await recompute();
  while (SCENES.some((sc) => sc.busy && sc.busy())) await sleep(20);
  // Time from navigation to the first frame the canvas drew with data.
  if (canvasScene !== "") {
    await new Promise((resolve) => {
      const tick = () => {
        const st = appCall("status");
        if (st.drawn >= st.version && st.version > 0) return resolve();
        requestAnimationFrame(tick);
      };
      tick();
    });
  }
  api.firstFrameMs = performance.now();
  api.ready = true;
}
boot();
