// Stopping early and voting by the policy's own confidence (issue 19), on held-out synthetic problems:
//  1. strategies: each early-stopping strategy at N = 16 and 64 beside majority@N on the same
//     problems: accuracy [95% bootstrap interval], accuracy − majority (paired bootstrap), generated
//     tokens as a share of majority's (paired bootstrap), solutions begun. majority@N and
//     deepconf-offline@N (every η) are read off one deepconf-offline run at the largest N that keeps
//     every trace: trace i is majority's sample i whatever N (src/strategies/deepconf.test.ts checks it),
//     so re-voting its first N traces is what those strategies compute. The others run as themselves.
//  2. verifier: self-certainty (the policy's own confidence) as a verifier: within-problem AUROC on
//     bench/models.ts's protocol beside the shipped PRM's, measured side by side; and weighted
//     best-of-N with it (and with the PRM) on part 1's samples beside majority voting.
//  3. server: over a llama.cpp server (--server URL, or --llama-server to start one): part 1's
//     strategies, and for each, the tokens the server says it generated (its /metrics) vs the
//     tokens ponder counted, to show that closing a stream stops the server.
//  4. auto: calibrated on other problems with these strategies among its choices; on part 1's
//     problems, what it picks and the compute at which it matches weighted best-of-N@64.
//   npm run bench -- early-stopping [--parts strategies,verifier,auto] [--problems 200] [--levels 1-10]
//       [--problem-seed 0] [--budgets 16,64] [--policy policy-small] [--threads 1] [--sequences 16]
//       [--concurrency 4] [--max-tokens 256] [--calibration-problems 100] [--auto-budgets 8,16,32,64]
//       [--auroc-per-level 20] [--server URL | --llama-server] [--server-problems 40]
import { parseArgs } from "node:util";
import { createGenerator } from "../src/backends/create-generator.js";
import { LlamaGenerator } from "../src/backends/llama/llama-generator.js";
import { loadSynthetic } from "../src/datasets/synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "../src/datasets/synthetic/synthetic-answer-reader.js";
import { createVerifier } from "../src/verifiers/create-verifier.js";
import { runAutoPart } from "./early-stopping/auto-part.js";
import { runServerPart } from "./early-stopping/server-part.js";
import type { Outcome } from "./early-stopping/outcome.js";
import { key, runStrategiesPart } from "./early-stopping/strategies-part.js";
import { runVerifierPart } from "./early-stopping/verifier-part.js";

const { values } = parseArgs({
  options: {
    parts: { type: "string", default: "strategies,verifier,auto" },
    problems: { type: "string", default: "200" },
    levels: { type: "string", default: "1-10" },
    "problem-seed": { type: "string", default: "0" },
    budgets: { type: "string", default: "16,64" },
    policy: { type: "string", default: "policy-small" },
    threads: { type: "string", default: "1" },
    sequences: { type: "string", default: "16" },
    concurrency: { type: "string", default: "4" },
    "max-tokens": { type: "string", default: "256" },
    "calibration-problems": { type: "string", default: "100" },
    "auto-budgets": { type: "string", default: "8,16,32,64" },
    server: { type: "string" },
    "llama-server": { type: "boolean", default: false },
    "server-problems": { type: "string", default: "40" },
    "auroc-per-level": { type: "string", default: "20" },
  },
});
const parts = new Set(values.parts!.split(","));
if (values.server || values["llama-server"]) parts.add("server");
const budgets = values.budgets!.split(",").map(Number);
const problems = loadSynthetic({ count: Number(values.problems), levels: values.levels!, seed: Number(values["problem-seed"]) });
const common = { temperature: 0.8, maxTokens: Number(values["max-tokens"]) };
const engine = { threads: Number(values.threads), sequences: Number(values.sequences) };
const concurrency = Number(values.concurrency);
console.log(
  `early stopping on ${problems.length} held-out synthetic problems (levels ${values.levels}, problem seed ${values["problem-seed"]}), policy ${values.policy}, ` +
    `temperature ${common.temperature}, up to ${common.maxTokens} tokens per solution; 95% intervals are percentile bootstraps over problems (2,000 resamples, paired where marked)\n`,
);

const policy = await createGenerator(values.policy!, engine);
const deps = { generator: policy.generator, answers: syntheticAnswerReader };
try {
  let reference: Outcome[] | undefined;
  const shared = parts.has("strategies") || parts.has("verifier") ? await runStrategiesPart({ problems, budgets, deps, common, concurrency, print: parts.has("strategies") }) : undefined;
  if (parts.has("verifier")) {
    if (!(policy.generator instanceof LlamaGenerator)) console.log("2. verifier: skipped (self-certainty scores with an embedded policy)");
    else {
      const prm = await createVerifier("prm", engine);
      const selfCertainty = await createVerifier("self-certainty", { ...engine, policy: policy.generator });
      try {
        reference = (await runVerifierPart({ problems, budgets, deps, samples: shared!.samples, prm: prm.verifier, selfCertainty: selfCertainty.verifier, concurrency, perLevel: Number(values["auroc-per-level"]) })).get(key("weighted best-of-N, PRM", 64));
      } finally {
        await selfCertainty.dispose();
        await prm.dispose();
      }
    }
  }
  if (parts.has("server")) {
    const parameters = policy.generator instanceof LlamaGenerator ? policy.generator.engine.parameters : 0;
    await runServerPart({ url: values.server, start: values["llama-server"]!, problems: problems.slice(0, Number(values["server-problems"])), budgets, common, concurrency, parameters });
  }
  if (parts.has("auto")) {
    const calibration = loadSynthetic({ count: Number(values["calibration-problems"]), levels: values.levels!, seed: 500 });
    await runAutoPart({ calibration, problems, budgets: values["auto-budgets"]!.split(",").map(Number), deps, engine, common, concurrency, ...(reference ? { reference } : {}) });
  }
} finally {
  await policy.dispose();
}

