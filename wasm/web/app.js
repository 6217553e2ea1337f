// The canvas: the Ebiten app (wasm/app) in a srcdoc iframe, and the frames
// handed to it.
//
// Frames never reach the canvas inside the worker's message handler: the
// app's load (Go: copy the bytes, parse the header, merge the images) runs
// in a task of its own, so that the handler stays short. load(frame)
// queues a new view state (scales, a denoise, an analysis, the start of a
// generation) for the next task and resolves once the canvas has it.
// show(frame, {replace}) queues an animation frame of a running loop for
// the task after the next display frame, so that the canvas gets at most
// one batch per display frame; a queued frame that a newer one replaces
// is dropped (see supersedes). Every other call into the app (appCall)
// hands the queue over first, so the app sees frames and views in the
// order the page made them.
import { assetBytes, assetText } from "./assets.js";
import { $, showError } from "./ui.js";

let appWin = null;
let appReady = null;

// startApp starts the canvas app; appStarted returns its promise.
// progress (loading.js, loadPart), when given, hears the download of
// app.wasm (started at once, beside the frame's setting up), then its
// compiling, then ready.
export const appStarted = () => appReady;
export function startApp(progress) {
  appReady = (async () => {
    const wasm = assetBytes("app.wasm", progress && progress.bytes);
    wasm.catch(() => {}); // awaited below; not unhandled meanwhile
    const execJS = await assetText("wasm_exec.js");
    if (/<\/script/i.test(execJS)) throw new Error("wasm_exec.js cannot be inlined");
    const frame = $("canvas-frame");
    // The frame's one inline script is wasm_exec.js: the page's
    // Content-Security-Policy (scripts/mkdist) allows it by its hash.
    const loaded = new Promise((resolve) => {
      frame.onload = () => { const w = frame.contentWindow; if (w && w.location.href === "about:srcdoc") resolve(w); };
    });
    frame.srcdoc = "<!doctype html><html><head><meta charset=utf-8><style>" + FRAME_CSS + "</style>" +
      "<script>" + execJS + "</" + "script></head><body></body></html>";
    const win = await loaded;
    if (typeof win.Go !== "function") throw new Error("the canvas frame did not run wasm_exec.js (refused by the Content-Security-Policy?)");
    shield(win);
    const bytes = await wasm;
    if (progress) progress.compiling();
    const go = new win.Go();
    const { instance } = await win.WebAssembly.instantiate(bytes, go.importObject);
    go.run(instance).then(() => showError("The canvas app exited."));
    if (!win.scalewiseApp) throw new Error("the canvas app did not start");
    appWin = win;
    canvasTouch(touchOn);
    if (progress) progress.ready();
  })();
  return appReady;
}

// The frame's document. While the canvas takes fingers (html.touch, a
// drawing scene) a finger on it neither scrolls nor zooms the page.
const FRAME_CSS = "html,body{margin:0;height:100%;background:#121418;overflow:hidden}" +
  "html.touch,html.touch body,html.touch canvas{touch-action:none}";

// The canvas app (Ebiten) cancels every touch and wheel event on its
// canvas, which would make the canvas, most of a phone's screen, a place
// where the page cannot be scrolled. Only a drawing scene needs fingers
// and no scene reads the wheel: the frame's window stops the others
// before they reach the canvas, and the browser scrolls the page.
let touchOn = false;
function shield(win) {
  const stop = (e) => { if (!touchOn) e.stopPropagation(); };
  for (const type of ["touchstart", "touchmove", "touchend", "touchcancel"]) win.addEventListener(type, stop, { capture: true, passive: true });
  win.addEventListener("wheel", (e) => e.stopPropagation(), { capture: true, passive: true });
}

// canvasTouch says whether the canvas takes fingers (the scene's touch in
// the scene table): touch-action none on the frame and its document.
export function canvasTouch(on) {
  touchOn = on;
  fitSoon();
  $("canvas-frame").classList.toggle("touch", on);
  if (appWin) appWin.document.documentElement.classList.toggle("touch", on);
}

// canvasListen adds a listener to the canvas frame's window (keys typed
// while the canvas has the focus never reach the page's).
export function canvasListen(type, fn, opts) {
  if (appWin) appWin.addEventListener(type, fn, opts);
}

// canvasUp reports whether the canvas app runs.
export const canvasUp = () => appWin !== null;
// appAPI is the app's own API (window.scalewiseApp of the frame).
export const appAPI = () => appWin && appWin.scalewiseApp;

function call(fn, args) {
  const r = appWin.scalewiseApp[fn](...args);
  if (r.error) throw new Error(r.error);
  return r.value;
}

// appCall calls the app's fn after the queued frames.
export function appCall(fn, ...args) {
  flush();
  const v = call(fn, args);
  if (fn === "setScene" || fn === "setView") fitSoon();
  return v;
}

const loadNow = (f) => call("load", [f.header, new appWin.Uint8Array(f.buf)]);

// The queue of load and show: {frame, replace, resolve, reject}.
let queue = [];
let scheduled = false; // a flush after the next display frame
let soon = 0;          // the timer of a flush in the next task
let fallback = 0;      // the timer of a flush when display frames pause

// supersedes reports whether next makes prev redundant: both say they
// may be replaced, are frames of the same scene and kind, and next has
// every image prev has. The canvas scenes merge the images of a step into
// what they hold (ui/renormalise.go, mergedImages): a generation's step
// frames each carry the whole current field and whole values, so the
// newest stands for the older ones; a race frame carries only the new
// points of its curves and is never replaced, nor is a "done" frame by a
// step or a step by "done".
function supersedes(next, prev) {
  if (!next.replace || !prev.replace || next.frame.scene !== prev.frame.scene || next.frame.values.kind !== prev.frame.values.kind) return false;
  const names = new Set(next.frame.images.map((im) => im.name));
  return prev.frame.images.every((im) => names.has(im.name));
}

// load queues frame for the canvas in the next task (after the frames
// queued before it): it resolves when the canvas has it and rejects when
// the canvas refuses it.
export function load(frame) {
  return enqueue(frame, false, true).then((v) => { fitSoon(); return v; });
}

// show queues an animation frame for the task after the next display
// frame and resolves to true when the canvas has it, false when a newer
// frame replaced it; it rejects when the canvas refuses it.
export function show(frame, { replace = false } = {}) {
  return enqueue(frame, replace, false);
}

function enqueue(frame, replace, now) {
  return new Promise((resolve, reject) => {
    const item = { frame, replace, resolve, reject };
    queue = queue.filter((q) => {
      if (!supersedes(item, q)) return true;
      q.resolve(false);
      return false;
    });
    queue.push(item);
    schedule(now);
  });
}

// schedule flushes the queue in the next task (now), or once per display
// frame: in a task of its own right after the frame (a load inside the
// frame's rendering task would add to the canvas's drawing of that
// frame), or after a timer where display frames pause (a hidden tab).
let frameToken = 0; // names the pending display-frame flush
function schedule(now) {
  if (now && !soon) soon = setTimeout(fire, 0);
  if (scheduled) return;
  scheduled = true;
  const token = ++frameToken;
  fallback = setTimeout(fire, 250);
  requestAnimationFrame(() => setTimeout(() => { if (scheduled && token === frameToken) fire(); }, 0));
}

function fire() {
  clearTimeout(soon);
  clearTimeout(fallback);
  soon = fallback = 0;
  scheduled = false;
  flush();
}

// flush hands the queued frames to the canvas, oldest first.
export function flush() {
  if (queue.length === 0 || !appWin) return;
  const q = queue;
  queue = [];
  for (const item of q) {
    try { loadNow(item.frame); item.resolve(true); } catch (err) { item.reject(err); }
  }
}

// canvasPNG resolves to a PNG data URL of the canvas. Ebiten's WebGL
// canvas keeps its pixels only until the frame is composited, so read it
// inside an animation frame of the canvas window.
export function canvasPNG() {
  flush();
  return new Promise((resolve, reject) => appWin.requestAnimationFrame(() => {
    const c = appWin.document.querySelector("canvas");
    if (!c) return reject(new Error("no canvas"));
    resolve(c.toDataURL("image/png"));
  }));
}

// showCanvas shows or hides the canvas frame (a scene without a canvas
// scene hides it).
export function showCanvas(on) {
  $("canvas-frame").style.display = on ? "" : "none";
  fitSoon();
}

// On a narrow upright screen index.html's CSS makes the frame upright (9:16,
// within the screen's height), and the app lays its panels out in a column
// (its portrait design), scaled down when the frame is shorter than the
// column needs to span its width (panels().need). A view that needs much
// more (the Scattering analysis, six images two abreast) would come out
// too small to read on a phone: the frame then takes the height it needs,
// up to 1.4 screens, and the page scrolls through it. Not a view that
// takes fingers (drawing), which the page could not be scrolled across:
// it stays within the screen. Elsewhere the CSS rules.
const UPRIGHT = "(max-width: 899px) and (orientation: portrait)";
const SCALE_OK = 0.8; // a column scaled down by no more than this stays
let fitFrame = 0;
let fitWidth = 0; // the window's width at the last fit
function fitSoon() {
  if (!fitFrame) fitFrame = requestAnimationFrame(fit);
}
function fit() {
  fitFrame = 0;
  fitWidth = innerWidth;
  const frame = $("canvas-frame"), st = frame.style;
  let h = 0;
  if (appWin && st.display !== "none" && matchMedia(UPRIGHT).matches) {
    let need = 0;
    try { need = call("panels", []).need || 0; } catch (err) { /* an app without panels(): the CSS rules */ }
    const w = frame.getBoundingClientRect().width;
    const base = Math.min(w * 16 / 9, innerHeight - 32); // the CSS height
    const most = touchOn ? innerHeight - 64 : 1.4 * innerHeight;
    if (base < SCALE_OK * need) h = Math.ceil(Math.max(base, Math.min(need, most)));
  }
  const want = h ? `${h}px` : "";
  if (st.height === want) return;
  st.height = want;
  st.maxHeight = h ? "none" : "";
}
// A new width (a turned phone) fits again; a new height alone (a mobile
// browser's address bar coming and going) does not.
addEventListener("resize", () => { if (innerWidth !== fitWidth) fitSoon(); });
