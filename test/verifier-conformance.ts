import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AbortedError } from "../src/core/errors/aborted-error.js";
import { InvalidOptionError } from "../src/core/errors/invalid-option-error.js";
import type { Problem } from "../src/core/problem.js";
import type { ScoreRequest, Verifier } from "../src/core/verifier.js";

/** One verifier implementation under the shared suite. */
export interface VerifierCase {
  name: string;
  /** A fresh verifier (no cache shared between tests). */
  make: () => Verifier | Promise<Verifier>;
  /** Constructions with one bad setting each, and the field their error must name. */
  badConfigs: { field: string; build: () => unknown }[];
}

const problems: Problem[] = [
  { id: "c1", question: "Ann has 3 apples and buys 4 more. How many apples does she have?", answer: "7" },
  { id: "c2", question: "What is 12 + 30?", answer: "42" },
];

const requests: ScoreRequest[] = [
  { problem: problems[0]!, steps: ["3 + 4 = 7", "The answer is 7"] },
  { problem: problems[1]!, steps: ["12 + 30 = 41", "The answer is 41"] },
  { problem: problems[0]!, steps: ["3 + 4 = 7", "7 + 0 = 7", "The answer is 7"] },
];

/**
 * The contract every Verifier keeps, run against each implementation (style.md point 8): shape,
 * scores in [0, 1], order, usage, determinism, cancellation, empty solutions, bad input and config.
 */
export function verifierConformance(cases: () => VerifierCase[]): void {
  for (const c of cases()) {
    describe(`Verifier conformance: ${c.name}`, () => {
      it("returns one score list per request: a score per step (process) or one (outcome), each in [0, 1]", async () => {
        const verifier = await c.make();
        const { stepScores } = await verifier.score(requests);
        assert.equal(stepScores.length, requests.length);
        stepScores.forEach((scores, i) => {
          assert.equal(scores.length, verifier.kind === "process" ? requests[i]!.steps.length : 1, `request ${i}`);
          for (const s of scores) assert.ok(Number.isFinite(s) && s >= 0 && s <= 1, `score ${s} of request ${i}`);
        });
      });

      it("keeps the requests' order and gives the same scores however they are batched", async () => {
        const together = await (await c.make()).score(requests);
        const reversed = await (await c.make()).score([...requests].reverse());
        const alone = await (await c.make()).score([requests[1]!]);
        assertClose(reversed.stepScores, [...together.stepScores].reverse());
        assertClose(alone.stepScores, [together.stepScores[1]!]);
      });

      it("records its usage under its model id", async () => {
        const verifier = await c.make();
        const { usage } = await verifier.score(requests);
        const own = usage[verifier.modelId];
        assert.ok(own, `usage has an entry for ${verifier.modelId}: ${JSON.stringify(Object.keys(usage))}`);
        assert.ok(own.calls >= 1);
        assert.equal(own.generations, 0, "verifying begins no solutions");
      });

      it("scores an empty solution as no steps, and still scores the others", async () => {
        const verifier = await c.make();
        const { stepScores } = await verifier.score([{ problem: problems[0]!, steps: [] }, requests[0]!]);
        assert.deepEqual(stepScores[0], []);
        assert.ok(stepScores[1]!.length > 0);
        const none = await verifier.score([]);
        assert.deepEqual(none.stepScores, []);
      });

      it("honours an aborted signal", async () => {
        const controller = new AbortController();
        controller.abort();
        await assert.rejects((await c.make()).score(requests, controller.signal), AbortedError);
      });

      it("rejects malformed requests naming the field", async () => {
        const verifier = await c.make();
        const bad = [{ problem: problems[0]!, steps: "3 + 4 = 7" as unknown as string[] }];
        await assert.rejects(verifier.score(bad), (e: unknown) => e instanceof InvalidOptionError && e.field === "requests[0].steps");
      });

      it("rejects bad configuration with a message naming the field", () => {
        assert.ok(c.badConfigs.length > 0, "at least one bad configuration is checked");
        for (const { field, build } of c.badConfigs) {
          assert.throws(build, (e: unknown) => e instanceof InvalidOptionError && e.field === field && e.message.includes(field), `bad ${field}`);
        }
      });
    });
  }
}

function assertClose(actual: number[][], expected: number[][]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((row, i) => {
    assert.equal(row.length, expected[i]!.length);
    row.forEach((x, j) => assert.ok(Math.abs(x - expected[i]![j]!) < 1e-4, `[${i}][${j}]: ${x} vs ${expected[i]![j]}`));
  });
}
