import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** MathJSON, the computer-algebra system's input. */
export type Json = number | string | { num: string } | Json[];

/** Slots of the shared control array. */
const DONE = 0;
const RESULT = 1;
const STARTED = 2;
const CANCELLED = 3;
const READY = 4;

/**
 * The worker's code (plain CommonJS, so it runs the same under tsx and compiled): it loads the
 * compute engine once, then answers "does a − b simplify to zero?" for each job, writing the
 * answer into shared memory so the main thread can wait for it synchronously.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require("node:worker_threads");
const control = new Int32Array(workerData.shared);
let ce = null;
try { const { ComputeEngine } = require(workerData.enginePath); ce = new ComputeEngine(); } catch { ce = null; }
Atomics.store(control, ${READY}, 1);
parentPort.on("message", ({ id, a, b }) => {
  Atomics.store(control, ${STARTED}, id);
  let result = -1;
  if (Atomics.load(control, ${CANCELLED}) < id && ce) {
    try {
      const difference = ce.box(["Subtract", a, b]).simplify();
      if (difference.isSame(0)) result = 1;
      else if (difference.unknowns.length === 0) {
        const value = difference.N().re;
        result = Number.isFinite(value) ? (Math.abs(value) < 1e-10 ? 1 : 0) : -1;
      }
    } catch { result = -1; }
  }
  Atomics.store(control, ${RESULT}, result);
  Atomics.store(control, ${DONE}, id);
  Atomics.notify(control, ${DONE});
});
`;

let enginePath: string | null | undefined;

function resolveEngine(): string | null {
  if (enginePath === undefined) {
    try {
      enginePath = createRequire(import.meta.url).resolve("@cortex-js/compute-engine");
    } catch {
      enginePath = null;
    }
  }
  return enginePath;
}

/**
 * The computer-algebra system in a worker thread. Its simplifier has no bound on its running
 * time (10^500000 − x runs for a minute), so the main thread waits for an answer only until the
 * comparison's deadline; a job still running then is cut off by terminating the worker, and a
 * fresh worker is started for the next job. A worker still loading the engine (seconds) is kept.
 */
export class CasWorker {
  private worker: Worker | null = null;
  private control = new Int32Array(new SharedArrayBuffer(8 * 4));
  private nextId = 1;

  /** Whether the engine can be found at all. */
  available(): boolean {
    return resolveEngine() !== null;
  }

  /** true when a − b simplifies to zero, false when to a nonzero constant, null when unknown; "timeout" past `ms`. */
  run(a: Json, b: Json, ms: number): boolean | null | "timeout" {
    const worker = this.ensure();
    if (!worker) return null;
    const id = this.nextId++;
    worker.postMessage({ id, a, b });
    const end = performance.now() + ms;
    for (;;) {
      const done = Atomics.load(this.control, DONE);
      if (done === id) {
        const r = Atomics.load(this.control, RESULT);
        return r === 1 ? true : r === 0 ? false : null;
      }
      const left = end - performance.now();
      if (left <= 0) break;
      Atomics.wait(this.control, DONE, done, left);
    }
    Atomics.store(this.control, CANCELLED, id);
    const busy = Atomics.load(this.control, READY) === 1 && Atomics.load(this.control, STARTED) !== Atomics.load(this.control, DONE);
    if (busy) this.replace();
    return "timeout";
  }

  /** Starts loading the engine now, so that a later job finds it ready. */
  warm(): void {
    this.ensure();
  }

  private ensure(): Worker | null {
    if (this.worker) return this.worker;
    const path = resolveEngine();
    if (!path) return null;
    this.control = new Int32Array(new SharedArrayBuffer(8 * 4));
    Atomics.store(this.control, CANCELLED, 0);
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: { shared: this.control.buffer, enginePath: path }, execArgv: [], stdout: true, stderr: true });
    worker.unref();
    worker.on("error", () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  private replace(): void {
    const stuck = this.worker;
    this.worker = null;
    void stuck?.terminate();
  }
}
