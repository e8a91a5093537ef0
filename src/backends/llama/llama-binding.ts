import type { Llama } from "node-llama-cpp";
import { availableCores } from "./thread-plan.js";

export type NodeLlamaCpp = typeof import("node-llama-cpp");

let binding: Promise<NodeLlamaCpp> | undefined;
let llamaInstance: Promise<Llama> | undefined;

/** node-llama-cpp, imported on first use: the import costs ~0.4 s, which commands that load no model should not pay. */
export function nodeLlamaCpp(): Promise<NodeLlamaCpp> {
  binding ??= import("node-llama-cpp");
  return binding;
}

/**
 * One llama.cpp binding per process, CPU only, never built from source at run time. Its thread
 * budget is the cores (node-llama-cpp's default is at least 4, which let two 2-thread models run 4
 * spinning threads on 2 cores). Getting it takes ~0.6 s on 2 cores, most of it node-llama-cpp
 * testing its prebuilt binary in a child process; startLlamaEarly lets that overlap other start-up work.
 */
export function sharedLlama(): Promise<Llama> {
  llamaInstance ??= nodeLlamaCpp().then(({ getLlama, LlamaLogLevel }) =>
    getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error, progressLogs: false, maxThreads: availableCores() }),
  );
  return llamaInstance;
}

/**
 * Starts getting the binding now, without waiting for it: a process that will load an embedded
 * model calls this first thing, so that importing node-llama-cpp and its binary test (a child
 * process, on another core) run while the rest of ponder loads and the command sets up. A failure
 * surfaces where the model is loaded (sharedLlama returns the same promise), never here.
 */
export async function startLlamaEarly(): Promise<void> {
  await nodeLlamaCpp().catch(() => {});
  sharedLlama().catch(() => {});
}
