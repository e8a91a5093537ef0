import type { Command } from "commander";
import { registerCalibrate } from "./calibrate.js";
import { registerEval } from "./eval.js";
import { registerGrade } from "./grade.js";
import { registerLabel } from "./label.js";
import { registerReplay } from "./replay.js";
import { registerReport } from "./report.js";
import { registerServe } from "./serve.js";
import { registerSolve } from "./solve.js";

/** Every CLI command, in the order `ponder --help` lists them. Each entry adds one subcommand. */
export const commands: ((program: Command) => void)[] = [registerSolve, registerGrade, registerEval, registerReport, registerReplay, registerCalibrate, registerServe, registerLabel];
