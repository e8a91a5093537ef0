import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
// The sources through tsx, so tests never run a stale dist/; the consumer test runs the compiled bin.
const ENTRY = join(import.meta.dirname, "../src/cli/bin.ts");

/** Runs `ponder <args>` as a user would (a child process of the real CLI) and returns its exit code and output. */
export async function runPonder(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", ENTRY, ...args], { env: { ...process.env, CI: "1", ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
