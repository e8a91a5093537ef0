import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Command } from "commander";
import { runPonder } from "../../test/run-cli.js";
import { optionSourceNote, withConfigSources } from "./config-sources.js";

const tmp = () => mkdtempSync(join(tmpdir(), "ponder-config-"));

/** A command like `ponder serve`: a few options, parsed with the given argv, environment and config file. */
async function parse(argv: string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  let seen: Record<string, unknown> = {};
  const program = new Command().exitOverride();
  const command = program
    .command("serve")
    .option("--port <n>", "port", "8000")
    .option("--max-budget <n>", "budget cap", "64")
    .option("--policy <spec>", "policy", "policy-small")
    .option("--upstream <name=spec>", "repeatable", (v: string, prev: string[]) => [...prev, ...v.split(/\s+/)], [] as string[])
    .option("--verbose", "a switch")
    .action((flags: Record<string, unknown>) => void (seen = flags));
  withConfigSources(command);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await program.parseAsync(["serve", ...argv], { from: "user" });
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
  }
  return seen;
}

describe("withConfigSources", () => {
  it("takes the command line first, then PONDER_* variables, then the config file, then the defaults", async () => {
    const file = join(tmp(), "serve.json");
    writeFileSync(file, JSON.stringify({ port: 7000, "max-budget": 16, policy: "from-file", upstream: ["a=policy-small", "b=policy-large"], verbose: true }));
    const flags = await parse(["--config", file, "--port", "9000"], { PONDER_MAX_BUDGET: "32" });
    assert.equal(flags.port, "9000");
    assert.equal(flags.maxBudget, "32");
    assert.equal(flags.policy, "from-file");
    assert.deepEqual(flags.upstream, ["a=policy-small", "b=policy-large"]);
    assert.equal(flags.verbose, true);
    assert.equal(optionSourceNote(new Error("x")), "");

    const env = await parse([], { PONDER_CONFIG: file, PONDER_UPSTREAM: "c=x d=y" });
    assert.equal(env.port, "7000", "PONDER_CONFIG names the file");
    assert.deepEqual(env.upstream, ["c=x", "d=y"], "the variable beats the file; several upstreams separated by spaces");
    const defaults = await parse([]);
    assert.equal(defaults.port, "8000");
  });

  it("names the file, the key and the accepted keys for a bad config, and the source of a bad value", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "typo.json"), JSON.stringify({ prot: 7000 }));
    await assert.rejects(parse(["--config", join(dir, "typo.json")]), /typo\.json: invalid key "prot": "prot"; expected one of port, max-budget, policy, upstream, verbose/);
    writeFileSync(join(dir, "list.json"), JSON.stringify({ port: [1, 2] }));
    await assert.rejects(parse(["--config", join(dir, "list.json")]), /list\.json: invalid "port": "\[1,2\]"; expected one value/);
    writeFileSync(join(dir, "broken.json"), "{ port: ");
    await assert.rejects(parse(["--config", join(dir, "broken.json")]), /invalid --config: ".*broken\.json"; expected a readable JSON file/);

    const bad = await runPonder(["serve"], { PONDER_PORT: "eighty" });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid --port: "eighty"; expected an integer from 0 to 65535.* \(--port was set by PONDER_PORT\)/);
  });
});
