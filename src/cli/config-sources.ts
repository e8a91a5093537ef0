import { readFileSync } from "node:fs";
import type { Command, Option } from "commander";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { PonderError } from "../core/errors/ponder-error.js";

/** Where the options of the command being run came from, when not from its command line: `--port` → `PONDER_PORT`. */
const sources = new Map<string, string>();

/** The environment variable an option reads: `--max-budget` → `PONDER_MAX_BUDGET`. */
export function envName(option: Option): string {
  return `PONDER_${option.long!.replace(/^--/, "").replaceAll("-", "_").toUpperCase()}`;
}

/**
 * Lets a command's options also come from `PONDER_*` environment variables and from a JSON config
 * file (`--config <file>`, or `PONDER_CONFIG`), with the command line first, then the environment,
 * then the file, then the defaults. The file is an object keyed by option names (`"max-budget"` or
 * `"maxBudget"`); an unknown key is an error naming the file, the key and the accepted ones.
 * Call it after the command's options are declared.
 * @example withConfigSources(program.command("serve").option("--port <n>", "port", "8000"))
 */
export function withConfigSources(command: Command): Command {
  command.option("--config <file>", "a JSON file of these options (keys as the long option names); the command line and PONDER_* variables take precedence");
  for (const option of command.options) {
    if (!option.long || option.long === "--help" || option.envVar) continue;
    // Commander listens for an option's variable only when it is declared with the option, so the listener is added here too.
    option.envVar = envName(option);
    command.on(`optionEnv:${option.name()}`, (value?: string) => {
      const key = option.attributeName();
      const parsed = value === undefined ? true : option.parseArg ? option.parseArg(value, command.getOptionValue(key)) : value;
      command.setOptionValueWithSource(key, parsed, "env");
    });
  }
  command.hook("preAction", (cmd) => {
    sources.clear();
    const file = cmd.getOptionValue("config") as string | undefined;
    if (file !== undefined) applyConfigFile(cmd, file);
    for (const option of cmd.options) {
      const key = option.attributeName();
      const source = cmd.getOptionValueSource(key);
      if (source === "env") sources.set(option.long!, option.envVar!);
      else if (source === "config") sources.set(option.long!, `${file} ("${option.long!.slice(2)}")`);
    }
  });
  return command;
}

function applyConfigFile(cmd: Command, file: string): void {
  let settings: unknown;
  try {
    settings = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new InvalidOptionError({ field: "--config", value: file, accepted: `a readable JSON file (${(cause as Error).message})` });
  }
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) throw new InvalidOptionError({ field: "--config", value: file, accepted: "a JSON object of option names and values" });
  const options = cmd.options.filter((o) => o.long && !["--config", "--help"].includes(o.long));
  for (const [name, value] of Object.entries(settings)) {
    const option = options.find((o) => o.long === `--${name}` || o.attributeName() === name);
    if (!option) throw new InvalidOptionError({ field: `key "${name}"`, value: name, accepted: `one of ${options.map((o) => o.long!.slice(2)).join(", ")}`, where: file });
    const key = option.attributeName();
    if (!["default", undefined].includes(cmd.getOptionValueSource(key))) continue;
    cmd.setOptionValueWithSource(key, configValue(option, value, file, name, cmd.getOptionValue(key)), "config");
  }
}

/** A config value as the command line would have given it: a string, through the option's own parser (repeatable options take arrays). */
function configValue(option: Option, value: unknown, file: string, name: string, previous: unknown): unknown {
  const bad = (accepted: string) => new InvalidOptionError({ field: `"${name}"`, value: JSON.stringify(value), accepted, where: file });
  if (!option.required && !option.optional) {
    if (typeof value !== "boolean") throw bad("true or false (a switch)");
    return value;
  }
  const items = Array.isArray(value) ? value : [value];
  if (!items.every((v) => typeof v === "string" || typeof v === "number")) throw bad("a string or a number" + (option.parseArg ? ", or a list of them" : ""));
  if (!option.parseArg) {
    if (items.length !== 1) throw bad("one value");
    return String(items[0]);
  }
  return items.reduce((acc, v) => option.parseArg!(String(v), acc), previous);
}

/** For an error about an option set by the environment or a config file, where it was set: " (set by PONDER_PORT)". */
export function optionSourceNote(error: unknown): string {
  if (!(error instanceof PonderError)) return "";
  const flag = /--[a-z][a-z0-9-]*/.exec(error instanceof InvalidOptionError ? error.field : error.message)?.[0];
  const source = flag === undefined ? undefined : sources.get(flag);
  return source === undefined ? "" : ` (${flag} was set by ${source})`;
}
