// The compute engines: each named engine is its own Web Worker running
// worker.wasm (wasm/worker) behind worker.js, started on its first
// request. The default engine is "main"; a scene may own more (each has
// its own sessions: an RG generation, a scattering synthesis).
//
//   engine(name).request(op, body, onProgress) → Promise<Frame>
//   engine(name).put(name, bytes) → Promise<Frame>   (values: PutValues)
//
// A Frame is a message's frames with its header parsed once:
// {header: the JSON text (for the canvas app), scene, values, images,
// buf: ArrayBuffer}.
import { assetBytes, assetText } from "./assets.js";
import { showError, withProgress } from "./ui.js";

const engines = new Map();

class Engine {
  constructor(name) {
    this.name = name;
    this.worker = null;
    this.started = null;
    this.nextId = 1;
    this.waiting = new Map(); // id -> {resolve, reject, onProgress}
  }

  // start starts the worker once; it resolves when the engine is ready.
  // progress (loading.js, loadPart), when given to the first call, hears
  // the download of worker.wasm, then its compiling, then ready.
  start(progress) {
    if (!this.started) this.started = this.boot(progress);
    return this.started;
  }

  async boot(progress) {
    const [execJS, glueJS, wasm] = await Promise.all([assetText("wasm_exec.js"), assetText("worker.js"), assetBytes("worker.wasm", progress && progress.bytes)]);
    if (progress) progress.compiling();
    const url = URL.createObjectURL(new Blob([execJS, "\n", glueJS], { type: "text/javascript" }));
    const worker = new Worker(url, { name: `scalewise-${this.name}` });
    this.worker = worker;
    const label = this.name === "main" ? "Engine" : `Engine ${this.name}`;
    const ready = new Promise((resolve, reject) => {
      worker.onmessage = (e) => {
        const m = e.data;
        if (m.type === "ready") return resolve();
        if (m.type === "fatal") { reject(new Error(m.message)); return showError(`${label}: ${m.message}`); }
        if (m.type === "error" && m.id === -1) return showError(`${label}: ${m.message}`);
        const w = this.waiting.get(m.id);
        if (!w) return;
        if (m.type === "progress") w.onProgress(m.done, m.total, m.stage);
        else if (m.type === "frames") {
          this.waiting.delete(m.id);
          let h;
          try { h = JSON.parse(m.header); } catch (err) { return w.reject(new Error("bad frame header: " + err.message)); }
          w.resolve({ header: m.header, scene: h.scene, values: h.values || {}, images: h.images || [], buf: m.buf });
        } else if (m.type === "error") { this.waiting.delete(m.id); w.reject(new Error(m.message)); }
      };
      worker.onerror = (e) => { reject(new Error(e.message)); showError(`${label} worker error: ` + e.message); };
    });
    worker.postMessage({ type: "boot", wasm: wasm.buffer }, [wasm.buffer]);
    await ready;
    if (progress) progress.ready();
  }

  // request sends {op, [op]: body} and resolves to its Frame; onProgress
  // (done, total, stage) hears the engine's progress.
  async request(op, body, onProgress = () => {}) {
    await this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ type: "request", id, json: JSON.stringify({ op, [op]: body }) });
    });
  }

  // put stores bytes (a Uint8Array, any other typed array or DataView, or
  // an ArrayBuffer) in the engine under name (protocol.PutRequest: the
  // Generate scene's nets and training sets) and resolves to the engine's
  // answer, a Frame whose values are {kind: "put", name, size}. It sends a
  // copy, whose buffer is transferred: the caller's bytes stay usable. The
  // engine serves puts and requests in the order they were sent, so a
  // request sent after a put sees the bytes.
  async put(name, bytes) {
    let copy;
    if (bytes instanceof ArrayBuffer) copy = new Uint8Array(bytes.slice(0));
    else if (ArrayBuffer.isView(bytes)) copy = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
    else throw new TypeError(`put ${name}: bytes must be a Uint8Array or an ArrayBuffer`);
    await this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, onProgress: () => {} });
      this.worker.postMessage({ type: "put", id, name, bytes: copy.buffer }, [copy.buffer]);
    });
  }
}

// engine returns the engine called name, creating it (not yet started).
export function engine(name = "main") {
  let e = engines.get(name);
  if (!e) { e = new Engine(name); engines.set(name, e); }
  return e;
}

// engineNames lists the engines created so far.
export const engineNames = () => [...engines.keys()];

// compute runs a request of job id (ui.job) on the engine called name,
// showing its progress (ui.withProgress).
export const compute = (id, op, body, name = "main") => withProgress(id, (p) => engine(name).request(op, body, p));
