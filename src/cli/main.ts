import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { AbortedError } from "../core/errors/aborted-error.js";
import { PonderError } from "../core/errors/ponder-error.js";
import { redactCredentials } from "../core/redact-credentials.js";
import { commands } from "./commands/index.js";
import { ExitStatus } from "./exit-status.js";
import { optionSourceNote } from "./config-sources.js";

/** The package's version, read from its package.json (two levels up from src/cli and from dist/cli alike). */
export const VERSION: string = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;

/** Builds the `ponder` program; each command lives in its own file under ./commands. */
export function buildProgram(): Command {
  const program = new Command("ponder")
    .description("Make language models answer hard questions better by spending test-time compute where it helps most.")
    .version(VERSION, "-V, --version", "print ponder's version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride();
  for (const register of commands) register(program);
  program.addHelpText(
    "after",
    "\nExamples:\n" +
      '  ponder solve "Ann has 12 apples. Ann buys 7 more. How many apples does Ann have now?"\n' +
      "  ponder eval --dataset synthetic --limit 50 --budgets 1,4,16 --out runs/demo\n" +
      "\nRun `ponder <command> --help` for a command's options.",
  );
  return program;
}

/** Runs the CLI and returns the exit code: 0 success, 1 failure, 2 bad usage, 130 interrupted. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof ExitStatus) return error.code;
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const { message, code } = describeFailure(error);
    // Whatever an error quotes (a model spec, an endpoint's answer) may hold credentials.
    process.stderr.write(`ponder: ${redactCredentials(message)}${optionSourceNote(error)}\n`);
    return code;
  }
}

/**
 * One line for what went wrong, and the exit code. Errors ponder raises on purpose and the
 * operating system's (a full disk, a read-only directory, a missing file) are one line naming the
 * path and the cause; only a bug prints its stack.
 */
function describeFailure(error: unknown): { message: string; code: number } {
  if (error instanceof AbortedError) return { message: "interrupted", code: 130 };
  if (error instanceof PonderError) return { message: error.message, code: error.name === "InvalidOptionError" ? 2 : 1 };
  const system = error as NodeJS.ErrnoException;
  if (error instanceof Error && typeof system.code === "string" && /^E[A-Z0-9]+$/.test(system.code)) {
    const where = system.path ? `${system.path}: ` : "";
    const message = system.message.replace(/^[A-Z0-9]+: /, "").replace(/, \w+ '[^']*'$/, "");
    return { message: `${where}${message} (${system.code}${system.syscall ? ` in ${system.syscall}` : ""})`, code: 1 };
  }
  return { message: error instanceof Error ? (error.stack ?? error.message) : String(error), code: 1 };
}
