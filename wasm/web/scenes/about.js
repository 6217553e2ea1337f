// The About scene: a few words about the lab and what its engine says of
// itself (op "about"). It is hidden (no tab; the link #scene=about opens
// it) and makes its own page elements: a fixture of the scene contract
// that needs nothing outside this file but its entry in the scene table.
import { $, setStatus, setNumbers } from "../ui.js";
import { engine } from "../engine.js";

let answer = null; // {values} or {error} of the engine's "about"

// The engine's answer as lines of "name: value".
function describe(values) {
  const names = { go: "Go", go_version: "Go", goos: "GOOS", goarch: "GOARCH", ops: "operations", rg_sides: "RG lattice sides", scat_fields: "scattering fields" };
  return Object.entries(values).filter(([k]) => k !== "kind").map(([k, v]) => `${names[k] || k}: ${Array.isArray(v) ? v.join(", ") : typeof v === "object" && v !== null ? JSON.stringify(v) : v}`);
}

function render() {
  const out = $("about-engine");
  if (!out) return;
  out.textContent = "";
  if (!answer) { out.textContent = "Asking the engine…"; return; }
  if (answer.error) {
    out.dataset.state = "error";
    out.textContent = `The engine could not answer: ${answer.error}.`;
    return;
  }
  out.dataset.state = "ok";
  for (const line of describe(answer.values)) {
    const li = document.createElement("li");
    li.textContent = line;
    out.append(li);
  }
}

async function ask() {
  if (answer && !answer.error) return render();
  answer = null;
  render();
  try {
    answer = { values: (await engine().request("about", {})).values };
  } catch (err) {
    answer = { error: err.message };
  }
  render();
}

function make() {
  const box = document.createElement("div");
  box.className = "explain";
  box.id = "about";
  box.dataset.sceneOnly = "about";
  const h = document.createElement("h2");
  h.textContent = "About Scalewise";
  const p = document.createElement("p");
  p.textContent = "Scalewise is a lab of multiscale geometry in images and physics: orthogonal wavelets, a bias-free " +
    "denoiser, renormalisation-group generation of a critical field and wavelet scattering. Every number is computed " +
    "live in this page by a Go engine compiled to WebAssembly, in a Web Worker; the canvas is a Go (Ebiten) app.";
  const q = document.createElement("p");
  q.className = "muted";
  q.textContent = "The engine in this page:";
  const ul = document.createElement("ul");
  ul.id = "about-engine";
  box.append(h, p, q, ul);
  $("stage").insertBefore(box, $("numbers"));
  const side = document.createElement("div");
  side.dataset.sceneOnly = "about";
  side.innerHTML = '<fieldset><legend>About</legend><p class="muted small" style="margin:0">The four scenes are in the tabs above.</p></fieldset>';
  $("controls").prepend(side);
}

export const scene = {
  name: "about",
  title: "About",
  hidden: true,
  appScene: "about",
  canvasOptional: true, // the canvas app may have no such scene: the frame is hidden
  keys: [],
  bind() { make(); },
  write() {},
  async recompute() {
    setStatus("About Scalewise.");
    setNumbers("");
    await ask();
  },
  savePNG() { throw new Error("the About scene has no picture"); },
  pngName: () => "scalewise-about.png",
  api: () => ({ aboutStatus: () => answer && { ...answer } }),
};
