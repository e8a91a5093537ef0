import { Command, CommanderError } from "commander";
import { PonderError } from "../core/errors/ponder-error.js";
import { commands } from "./commands/index.js";

/** Builds the `ponder` program; each command lives in its own file under ./commands. */
export function buildProgram(): Command {
  const program = new Command("ponder")
    .description("Make language models answer hard questions better by spending test-time compute where it helps most.")
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

/** Runs the CLI and returns the exit code: 0 success, 1 failure, 2 bad usage. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof PonderError) {
      process.stderr.write(`ponder: ${error.message}\n`);
      return error.name === "InvalidOptionError" ? 2 : 1;
    }
    process.stderr.write(`ponder: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
