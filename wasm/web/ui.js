// Messages to the person and small shared helpers: the error and notice
// boxes, the status line, the progress bar, number formats, seed inputs
// and the request counter that tells the newest request from older ones.
import { SCHEMA, MAX_SEED, MAX_NOTES, MAX_NOTE, clip } from "./state.js";

export const $ = (id) => document.getElementById(id);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function showError(msg) {
  const el = $("error");
  el.textContent = msg;
  el.classList.toggle("on", !!msg);
}

let notices = [];
// showNotice shows the first MAX_NOTES of notes, each cut to MAX_NOTE
// characters, and how many more there are.
export function showNotice(notes) {
  notices = notes;
  const el = $("notice");
  const shown = notes.slice(0, MAX_NOTES).map((n) => clip(String(n), MAX_NOTE));
  if (notes.length > MAX_NOTES) shown.push(`… and ${(notes.length - MAX_NOTES).toLocaleString("en-US")} more`);
  el.textContent = notes.length ? "Link settings corrected: " + shown.join("; ") + "." : "";
  el.classList.toggle("on", notes.length > 0);
}
export const addNotice = (note) => showNotice([...notices, note]);

export function setStatus(text) { $("status-text").textContent = text; }
export const setNumbers = (text) => { $("numbers").textContent = text; };

// The progress bar under the canvas.
export const progressBar = {
  on() { $("progress").classList.add("on"); },
  off() { $("progress").classList.remove("on"); },
  set(value, max) { const bar = $("progress"); bar.max = Math.max(1, max); bar.value = value || 0; },
};

// Requests that show their progress are numbered: only the newest one
// (the latest job) writes the status line and hides the bar.
let latest = 0;
export const job = () => ++latest;
export const isLatest = (id) => id === latest;

// withProgress runs start(onProgress), a worker request, showing its
// progress after 150 ms while it is the newest job.
export async function withProgress(id, start) {
  const bar = $("progress");
  const timer = setTimeout(() => bar.classList.add("on"), 150);
  try {
    return await start((done, total, stage) => {
      if (id !== latest) return;
      bar.max = total; bar.value = done;
      setStatus(`Computing: ${stage} (${done}/${total})`);
    });
  } finally {
    clearTimeout(timer);
    if (id === latest) bar.classList.remove("on");
  }
}

// textDue throttles the status text of a running loop (a generation, a
// race, a synthesis) to about five updates a second: each one lays out
// the page again.
let textAt = 0;
export function textDue(final) {
  const now = performance.now();
  if (!final && now - textAt < 200) return false;
  textAt = now;
  return true;
}

export const fmtInt = (x) => Math.round(x).toLocaleString("en-US");
export const fmt = (x, d = 3) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(d) : "–");

export const randomSeed = () => Math.floor(Math.random() * MAX_SEED);

// seedInput returns the change handler of a number input for the seed-like
// setting key: a value that is not a seed is refused with a notice and the
// controls are written back.
export const seedInput = (ctx, key) => (e) => {
  const v = SCHEMA[key].parse(String(e.target.value));
  if (v === undefined) { showNotice([`${key} must be an integer from 0 to ${MAX_SEED}`]); return ctx.writeControls(); }
  ctx.update({ [key]: v });
};
