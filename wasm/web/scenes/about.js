// The About scene: what the lab is, the papers each scene implements (each
// scene's papers in the scene table) and what the engine says of itself
// (op "about"). It makes its own page elements: a fixture of the scene
// contract that needs nothing outside this file but its entry in the
// scene table.
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

// el makes an element with text.
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

// paper is one reference: its authors, title and venue, and its arXiv
// page (in a new tab) when the scene table knows its number.
function paper({ authors, title, where, arxiv }) {
  const li = el("li");
  li.append(`${authors}, “${title}”, ${where}.`);
  if (arxiv) {
    const a = el("a", `arXiv:${arxiv}`);
    a.href = `https://arxiv.org/abs/${arxiv}`;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    li.append(" ", a);
  }
  return li;
}

// scenesPart lists the other scenes of the table, each with its line and
// the papers it implements.
function scenesPart(scenes) {
  const part = el("div");
  part.id = "about-scenes";
  for (const sc of scenes) {
    if (sc === scene || !sc.papers) continue;
    const h = el("h3", sc.title || sc.name);
    h.dataset.scene = sc.name;
    const ul = el("ul", "", "papers");
    for (const p of sc.papers) ul.append(paper(p));
    part.append(h, el("p", sc.blurb || ""), ul);
  }
  return part;
}

function make(ctx) {
  const box = el("div", "", "explain");
  box.id = "about";
  box.dataset.sceneOnly = "about";
  const p = el("p", "Scalewise is a lab of multiscale geometry in images and physics: orthogonal wavelets, a bias-free " +
    "denoiser, generation by score diffusion, renormalisation-group generation of a critical field and wavelet scattering, after the work of Stéphane " +
    "Mallat and his colleagues. Every number is computed live in this page by a Go engine compiled to WebAssembly, in a " +
    "Web Worker; the canvas is a Go (Ebiten) app. Nothing is sent anywhere, and every setting is in the link.");
  const ul = el("ul");
  ul.id = "about-engine";
  box.append(el("h2", "About Scalewise"), p, el("h3", "The scenes and the papers they implement"), scenesPart(ctx.scenes),
    el("p", "The engine in this page:", "muted"), ul);
  $("stage").insertBefore(box, $("numbers"));
  const side = el("div");
  side.dataset.sceneOnly = "about";
  side.innerHTML = '<fieldset><legend>About</legend><p class="muted small" style="margin:0">The scenes are in the tabs above; ' +
    "here, what each one computes and the paper behind it.</p></fieldset>";
  $("controls-toggle").after(side); // first, below the Settings switch
}

export const scene = {
  name: "about",
  title: "About",
  blurb: "What this lab is, and the paper behind each scene.",
  appScene: "about",
  canvasOptional: true, // the canvas app may have no such scene: the frame is hidden
  keys: [],
  bind(ctx) { make(ctx); },
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
