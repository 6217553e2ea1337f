// Stepper: the one loop of bounded requests behind every animation the
// engine computes (an RG generation, the RG race, a scattering synthesis).
// Each request asks the engine for a bounded amount of work (steps, or
// milliseconds), so that pausing, single steps and a busy worker never
// freeze the page; requests are paced at about one per display frame
// (PACE_MS) and their frames go to the canvas through app.show, which
// drops a frame that a newer one replaces before it was drawn.
//
// A generation token (gen) names the run a loop advances: reset() starts a
// new one, and a loop of an older generation stops at its next frame.
//
// hooks:
//   request(once)     → Promise<Frame or [Frame]>: the next slice of work
//                       (once: the steps of a single Step, else 0); an
//                       array when the run spans several engines (the
//                       Generate scene's pair), each shown in order
//   frame(f, ms)      the frame (or frames) f arrived, ms after it was
//                       asked for; set stepper.done when the run is
//                       finished
//   proceed()         → bool: whether to go on (the scene is shown, …)
//   write()           write the controls (the loop started or ended)
//   fail(err)         the run failed (a request or the canvas refused)
//   end()             after a loop of the current generation ended (in
//                     the next task)
//   replace           frames may replace each other in the canvas queue
//   bar               show the progress bar while the loop runs
import { show } from "./app.js";
import { progressBar, sleep } from "./ui.js";

export const PACE_MS = 16;

export class Stepper {
  constructor(hooks) {
    this.h = { replace: false, bar: true, proceed: () => true, write: () => {}, end: () => {}, ...hooks };
    this.gen = 0;      // the newest generation
    this.loopGen = 0;  // the generation the running loop advances
    this.running = false;
    this.paused = false;
    this.autoPaused = false; // paused because the person left the scene
    this.done = false;
    this.failure = null;     // a canvas refusal seen while the loop runs
  }

  // reset starts a new generation and returns its token; a loop of an
  // older one stops at its next frame.
  reset() {
    Object.assign(this, { running: false, paused: false, autoPaused: false, done: false, failure: null });
    return ++this.gen;
  }

  // run advances generation gen: by one request of `once` steps when once
  // is given, else one request per frame until paused, done, told not to
  // proceed, or superseded.
  async run(gen = this.gen, once = 0) {
    if ((this.running && this.loopGen === gen) || this.done || gen !== this.gen) return;
    const h = this.h;
    this.running = true;
    this.loopGen = gen;
    this.failure = null;
    h.write();
    if (h.bar) progressBar.on();
    try {
      for (;;) {
        const t = performance.now();
        const f = await h.request(once);
        if (gen !== this.gen) return;
        if (this.failure) throw this.failure;
        for (const one of Array.isArray(f) ? f : [f]) show(one, { replace: h.replace }).catch((err) => this.refused(gen, err));
        h.frame(f, performance.now() - t);
        if (this.done || once || this.paused || !h.proceed()) break;
        const spent = performance.now() - t;
        if (spent < PACE_MS) await sleep(PACE_MS - spent);
        if (gen !== this.gen || this.paused || !h.proceed()) break;
      }
    } catch (err) {
      if (gen === this.gen) h.fail(err);
    } finally {
      if (gen === this.loopGen) this.running = false;
      if (gen === this.gen) {
        if (h.bar) progressBar.off();
        // end (which may call into the canvas app, loading the last
        // frame) runs in a task of its own, not in the worker's message
        // handler; not when another loop of gen or a newer generation
        // started meanwhile.
        setTimeout(() => { if (gen === this.gen && !this.running) h.end(); }, 0);
      }
    }
  }

  // refused handles a frame the canvas refused: the running loop of gen
  // stops with the error, or the error is reported if none runs.
  refused(gen, err) {
    if (gen !== this.gen) return;
    if (this.running && this.loopGen === gen) this.failure = err;
    else this.h.fail(err);
  }

  // pause, resume, step and stop control the current generation.
  pause() { this.paused = true; }
  resume() {
    this.paused = false;
    this.autoPaused = false;
    return this.run(this.gen);
  }
  // stop pauses and waits until the loop has ended.
  async stop() {
    if (!this.running) return;
    this.paused = true;
    while (this.running) await sleep(5);
  }
  // step pauses, then advances by one request of k steps.
  async step(k) {
    if (this.done) return;
    this.paused = true;
    while (this.running) await sleep(5);
    this.h.write();
    await this.run(this.gen, k);
  }

  // leave pauses a running loop when the person leaves its scene; enter
  // resumes it when they come back.
  leave() {
    if (this.running && !this.paused) { this.paused = true; this.autoPaused = true; }
  }
  enter() {
    if (!this.autoPaused) return;
    this.autoPaused = false;
    this.paused = false;
    if (!this.done) this.run(this.gen);
  }
}
