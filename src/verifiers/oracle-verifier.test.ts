import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { testAnswerReader } from "../../test/test-answer-reader.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { OracleVerifier } from "./oracle-verifier.js";

describe("OracleVerifier", () => {
  const oracle = new OracleVerifier({ answers: testAnswerReader });
  const problem = { id: "o", question: "3 + 4?", answer: "7" };

  it("scores 1 for the gold answer in canonical form, 0 for another or none", async () => {
    const { stepScores, usage } = await oracle.score([
      { problem, steps: ["3 + 4 = 7", "The answer is 07"] },
      { problem, steps: ["3 + 4 = 8", "The answer is 8"] },
      { problem, steps: ["3 + 4 is hard"] },
    ]);
    assert.deepEqual(stepScores, [[1], [0], [0]]);
    assert.equal(usage.oracle!.calls, 3);
  });

  it("refuses a problem without a gold answer, naming it", async () => {
    await assert.rejects(oracle.score([{ problem: { id: "x", question: "?" }, steps: ["The answer is 1"] }]), (e: unknown) => e instanceof InvalidOptionError && e.field === "requests[0].problem.answer" && /problem x/.test(e.message));
  });
});
