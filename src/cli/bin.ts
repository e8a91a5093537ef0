// The process entry point of the `ponder` command: bin/ponder.js imports the compiled copy of this
// file; tests and development run this source through tsx (`node --import tsx src/cli/bin.ts …`).
import { main } from "./main.js";

// Output piped into a reader that stops early (`ponder grade … | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
