import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runPonder } from "./run-cli.js";
import { tinyModelPath } from "./tiny-model.js";

// What a user sees when something is wrong: one line naming the path or flag and the cause, with
// any credential masked; never a stack trace.

const dir = () => mkdtempSync(join(tmpdir(), "ponder-cli-errors-"));
const oneLine = (stderr: string) => {
  assert.equal(stderr.trim().split("\n").filter((l) => !l.startsWith("[node-llama-cpp]")).length, 1, stderr);
  assert.ok(!/\n\s+at /.test(stderr), `no stack: ${stderr}`);
};
const quick = ["--strategy", "majority", "--verifier", "none", "--budget", "1", "--max-tokens", "8", "q"];

describe("one-line errors", () => {
  it("a GGUF with a bad header, a truncated one and a directory given as a model", async () => {
    const root = dir();
    writeFileSync(join(root, "garbage.gguf"), Buffer.concat([Buffer.from("GGUF"), Buffer.from([3, 0, 0, 0]), Buffer.from("garbage")]));
    writeFileSync(join(root, "huge.gguf"), Buffer.concat([Buffer.from("GGUF"), Buffer.from([3, 0, 0, 0]), Buffer.alloc(16, 0xff), Buffer.alloc(100)]));
    mkdirSync(join(root, "folder.gguf"));
    const cases: [string, RegExp][] = [
      ["garbage.gguf", /garbage\.gguf is not a valid GGUF file: its header is cut short/],
      ["huge.gguf", /huge\.gguf is not a valid GGUF file: its header counts \d+ tensors and \d+ metadata entries, more than a 124-byte file can hold/],
      ["folder.gguf", /folder\.gguf is a directory; a model is a \.gguf file/],
    ];
    for (const [file, message] of cases) {
      const { code, stderr } = await runPonder(["solve", "--policy", join(root, file), ...quick]);
      assert.equal(code, 1, stderr);
      assert.match(stderr, message);
      oneLine(stderr);
    }
  });

  it("a bad --host, before any model loads", async () => {
    for (const host of ["no-such-host.invalid", "10.255.255.1", ""]) {
      const { code, stderr } = await runPonder(["serve", "--host", host, "--port", "0", "--policy", "/nonexistent.gguf"]);
      assert.equal(code, 2, stderr);
      assert.match(stderr, /^ponder: invalid --host: /);
      oneLine(stderr);
    }
  });

  it("credentials in an endpoint spec are masked in the error", async () => {
    const cases: [string, number][] = [
      // Refused as an option ponder does not know: the message quotes the endpoint.
      ["http://someone:hunter22@127.0.0.1:9/v1?model=m&api_key=qsecret123", 2],
      // Accepted, then the request fails: Node's fetch quotes the URL with its credentials.
      ["http://someone:hunter22@127.0.0.1:9/v1?model=m&retries=0", 1],
    ];
    for (const [spec, expected] of cases) {
      const { code, stderr } = await runPonder(["solve", "--policy", spec, ...quick]);
      assert.equal(code, expected, stderr);
      assert.ok(!/hunter22|qsecret123|someone:/.test(stderr), stderr);
      assert.match(stderr, /http:\/\/\[redacted\]@127\.0\.0\.1:9/);
      oneLine(stderr);
    }
  });

  it("--verifier accepts a bare GGUF path, as eval --help says", async () => {
    const model = await tinyModelPath({ arithmetic: true });
    const { code, stderr, stdout } = await runPonder(["solve", "--policy", model, "--verifier", model, "--strategy", "best-of-n", "--budget", "2", "--max-tokens", "16", "q"]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Compute \(best-of-n/);
    const missing = await runPonder(["solve", "--verifier", "/nowhere/prm.gguf", "q"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /model file not found: \/nowhere\/prm\.gguf/);
  });
});
