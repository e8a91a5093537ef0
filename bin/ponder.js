#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx, so a checkout needs no build step.
import { register } from "tsx/esm/api";

register();
// Output piped into a reader that stops early (`ponder grade … | head`) is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
