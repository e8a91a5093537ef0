import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EOS, OTHER, scriptedModelPath } from "../../test/scripted-model.js";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { JudgeVerdictError } from "./errors/judge-verdict-error.js";
import { parseJudgeVerdict } from "./judge-verdict.js";
import { judgePromptTemplate, JudgeVerifier } from "./judge-verifier.js";

describe("parseJudgeVerdict", () => {
  it("reads 'Score: N' and 'Score: N/scale' lines, markdown allowed", () => {
    assert.deepEqual(parseJudgeVerdict("Score: 7", 10), { score: 0.7 });
    assert.deepEqual(parseJudgeVerdict("The steps are right.\n**Score:** 10/10\n", 10), { score: 1 });
    assert.deepEqual(parseJudgeVerdict("- score = 0", 10), { score: 0 });
    assert.deepEqual(parseJudgeVerdict("Score: 3\nScore: 3", 5), { score: 0.6 });
  });

  it("names what makes a verdict unreadable, never reading it as zero", () => {
    for (const [text, reason] of [
      ["Looks good to me.", /no line "Score: N"/],
      ["Score: 7\nScore: 2", /several different scores/],
      ["Score: 11", /outside 0–10/],
      ["Score: 4/5", /out of 5, not out of 10/],
      ["My score is 7", /no line/],
    ] as const) {
      const parsed = parseJudgeVerdict(text, 10);
      assert.ok("error" in parsed && reason.test(parsed.error), `${text}: ${JSON.stringify(parsed)}`);
    }
  });
});

describe("JudgeVerifier on the embedded engine", () => {
  let says7: LlamaEngine;
  let mumbles: LlamaEngine;
  before(async () => {
    says7 = await LlamaEngine.load({ model: await scriptedModelPath([[OTHER, "S"], ["S", "c"], ["c", "o"], ["o", "r"], ["r", "e"], ["e", ":"], [":", " "], [" ", "7"], ["7", EOS]]), threads: 1, sequences: 2, contextSize: 512 });
    mumbles = await LlamaEngine.load({ model: await scriptedModelPath([[OTHER, "h"], ["h", "m"], ["m", EOS]]), threads: 1, sequences: 2, contextSize: 512 });
  });
  after(async () => {
    await says7.dispose();
    await mumbles.dispose();
  });
  const problem = { id: "j1", question: "What is 3 + 4?" };

  it("scores a solution by the judge's stated score over the scale, counting tokens but no generations", async () => {
    const judge = new JudgeVerifier({ generator: new LlamaGenerator(says7, judgePromptTemplate), scale: 10 });
    const { stepScores, usage } = await judge.score([{ problem, steps: ["3 + 4 = 7", "The answer is 7"] }]);
    assert.deepEqual(stepScores, [[0.7]]);
    const u = usage[says7.modelId]!;
    assert.equal(u.generations, 0);
    assert.equal(u.calls, 1);
    assert.ok(u.completionTokens >= 8 && u.promptTokens > 20);
  });

  it("throws JudgeVerdictError with the verdict when it holds no score, and when the score is out of range", async () => {
    const vague = new JudgeVerifier({ generator: new LlamaGenerator(mumbles, judgePromptTemplate) });
    await assert.rejects(vague.score([{ problem, steps: ["7"] }]), (e: unknown) => e instanceof JudgeVerdictError && e.verdict === "hm" && e.problemId === "j1");
    const strict = new JudgeVerifier({ generator: new LlamaGenerator(says7, judgePromptTemplate), scale: 5 });
    await assert.rejects(strict.score([{ problem, steps: ["7"] }]), (e: unknown) => e instanceof JudgeVerdictError && /outside 0–5/.test(e.message));
  });
});
