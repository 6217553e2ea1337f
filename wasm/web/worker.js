// Scalewise compute worker glue. Runs after wasm_exec.js in the same Worker
// script. The page sends {type:"boot", wasm: ArrayBuffer} once, then
// {type:"request", id, json}; the Go engine (wasm/worker) answers itself.
"use strict";
let engineReady = false;
const pending = [];
self.onmessage = async (e) => {
  const m = e.data;
  if (m.type === "boot") {
    try {
      const go = new Go();
      const { instance } = await WebAssembly.instantiate(m.wasm, go.importObject);
      go.run(instance).then(() => {
        self.postMessage({ type: "fatal", message: "the compute engine exited" });
      });
      engineReady = typeof self.scalewiseHandle === "function";
      if (!engineReady) throw new Error("engine did not register scalewiseHandle");
      for (const p of pending.splice(0)) self.scalewiseHandle(p.id, p.json);
    } catch (err) {
      self.postMessage({ type: "fatal", message: "engine failed to start: " + err });
    }
    return;
  }
  if (m.type === "request") {
    if (engineReady) self.scalewiseHandle(m.id, m.json);
    else pending.push(m);
  }
};
