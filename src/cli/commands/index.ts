import type { Command } from "commander";
import { registerLabel } from "./label.js";

/** Every CLI command, in the order `ponder --help` lists them. Each entry adds one subcommand. */
export const commands: ((program: Command) => void)[] = [registerLabel];
