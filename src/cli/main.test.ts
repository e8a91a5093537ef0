import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { runPonder } from "../../test/run-cli.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

describe("ponder", () => {
  it("prints its version with --version and -V, exit 0", async () => {
    for (const flag of ["--version", "-V"]) {
      const { code, stdout } = await runPonder([flag]);
      assert.equal(code, 0);
      assert.equal(stdout, `${version}\n`);
    }
  });

  it("lists every command in --help, exit 0; an unknown command exits 2", async () => {
    const help = await runPonder(["--help"]);
    assert.equal(help.code, 0);
    for (const command of ["solve", "grade", "eval", "report", "replay", "calibrate", "serve", "label"]) assert.match(help.stdout, new RegExp(`\\n  ${command} `));
    const unknown = await runPonder(["frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  });
});
