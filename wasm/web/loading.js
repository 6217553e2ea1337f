// The first visit: while the engine (worker.wasm) and the canvas app
// (app.wasm) download (hosted) or unpack (the single file) and compile,
// the box over the canvas says which stage the page is at and how many
// bytes are in, rather than a bare "Starting…".
//
//   const p = loadPart("engine");  p.bytes(loaded, total); p.compiling(); p.ready();
//
// A part's total is 0 while unknown (no Content-Length yet, or a
// compressed response whose Content-Length is not what the body yields).
import { $ } from "./ui.js";

const parts = [];
let unpacking = false; // the single file: the bytes are inline, decoded
let failed = false;
let stage = "";        // the stage last shown
let loggedAt = -1e9;
// loadLog records what the box showed, in order, with the time since
// navigation: every stage, and the bytes at most every 100 ms
// (window.scalewise.loadLog: tests, and a person's console).
export const loadLog = [];
const LOG_MAX = 300;

const mb = (b) => (b / 1e6).toFixed(1);

// loadPart registers one download and returns its reporters.
export function loadPart(name, { inline = false } = {}) {
  const p = { name, loaded: 0, total: 0, stage: "download" };
  parts.push(p);
  if (inline) unpacking = true;
  render();
  return {
    bytes(loaded, total) { p.loaded = loaded; p.total = total; render(); },
    compiling() { p.stage = "compile"; render(); },
    ready() { p.stage = "ready"; render(); },
  };
}

// loadFailed hides the box: the error box says what went wrong.
export function loadFailed() {
  failed = true;
  render();
}

// render writes the box at once: a text node and a progress bar cost
// little, and the browser lays them out once per display frame anyway.
function render() {
  const box = $("loading"), text = $("load-text"), bar = $("load-bar");
  let now, shown;
  if (failed || parts.every((p) => p.stage === "ready")) {
    box.hidden = true;
    now = "done";
  } else if (parts.some((p) => p.stage === "download")) {
    now = "download";
    const loaded = parts.reduce((s, p) => s + p.loaded, 0);
    // A total only once every part knows its own: a partial sum would
    // jump when the next part's response arrives.
    const total = parts.every((p) => p.total > 0) ? parts.reduce((s, p) => s + Math.max(p.total, p.loaded), 0) : 0;
    shown = `${unpacking ? "Unpacking" : "Downloading"} the engine ${mb(loaded)}${total ? ` / ${mb(total)}` : ""} MB`;
    if (total) { bar.max = total; bar.value = loaded; } else bar.removeAttribute("value"); // indeterminate
  } else {
    now = "compile";
    shown = "Compiling…";
    bar.removeAttribute("value");
  }
  if (shown === undefined || text.textContent === shown) return;
  text.textContent = shown;
  const t = performance.now();
  if (loadLog.length < LOG_MAX && (now !== stage || t - loggedAt >= 100)) {
    loadLog.push({ ms: Math.round(t), text: shown });
    loggedAt = t;
  }
  stage = now;
}
