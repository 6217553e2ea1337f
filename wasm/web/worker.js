// Scalewise compute worker glue. Runs after wasm_exec.js in the same Worker
// script. The page sends {type:"boot", wasm: ArrayBuffer} once, then
// {type:"request", id, json} and {type:"put", id, name, bytes} (bytes: an
// ArrayBuffer, transferred: stored in the engine under name); the Go engine
// (wasm/worker) answers itself. Requests and puts that arrive before the
// engine is ready wait, in order.
"use strict";
let engineReady = false;
const pending = [];
// dispatch hands one request or put to the engine, which queues it.
const dispatch = (m) => {
  if (m.type === "put") self.scalewisePut(m.id, m.name, new Uint8Array(m.bytes));
  else self.scalewiseHandle(m.id, m.json);
};
self.onmessage = async (e) => {
  const m = e.data;
  if (m.type === "boot") {
    try {
      const go = new Go();
      const { instance } = await WebAssembly.instantiate(m.wasm, go.importObject);
      go.run(instance).then(() => {
        self.postMessage({ type: "fatal", message: "the compute engine exited" });
      });
      engineReady = typeof self.scalewiseHandle === "function" && typeof self.scalewisePut === "function";
      if (!engineReady) throw new Error("engine did not register scalewiseHandle and scalewisePut");
      for (const p of pending.splice(0)) dispatch(p);
    } catch (err) {
      self.postMessage({ type: "fatal", message: "engine failed to start: " + err });
    }
    return;
  }
  if (m.type === "request" || m.type === "put") {
    if (engineReady) dispatch(m);
    else pending.push(m);
  }
};
