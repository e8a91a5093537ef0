// The process entry point of the `ponder` command: bin/ponder.js imports the compiled copy of this
// file; tests and development run this source through tsx (`node --import tsx src/cli/bin.ts …`).
import { startLlamaEarly } from "../backends/llama/llama-binding.js";
import { loadsEmbeddedModels } from "./early-start.js";

const argv = process.argv.slice(2);
// node-llama-cpp is imported first and its binary test (a child process) then runs on another core
// while the rest of ponder loads and the command sets up: the README's main job reached its start
// line in 1.03 s instead of 1.14 s (medians of 8 runs each on 2 cores).
if (loadsEmbeddedModels(argv, process.env)) await startLlamaEarly();
const { main } = await import("./main.js");

// Output piped into a reader that stops early (`ponder grade … | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(argv);
