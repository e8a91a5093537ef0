import { appendFile, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { Command, Option } from "commander";
import { LlamaEngine } from "../../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../../backends/llama/llama-generator.js";
import { addUsage, totalUsage, type Usage } from "../../core/usage.js";
import { loadSynthetic } from "../../datasets/synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "../../datasets/synthetic/synthetic-answer-reader.js";
import { buildRevisions } from "../../labeling/build-revisions.js";
import { syntheticStepJudge } from "../../labeling/exact-step-labels.js";
import { labelSteps } from "../../labeling/label-steps.js";
import { defaultModelPath } from "../../models/default-models.js";
import { demoTemplate } from "../../templates/templates.js";
import { parseInteger, parseNumber } from "./parse-flags.js";

interface LabelFlags {
  out: string;
  model?: string;
  revisions?: boolean;
  exact?: boolean;
  levels: string;
  count: string;
  problemSeed: string;
  samples?: string;
  rollouts?: string;
  maxAttempts: string;
  perProblem: string;
  temperature: string;
  maxTokens: string;
  seed: string;
  threads: string;
  sequences: string;
  concurrency: string;
}

/** `ponder label`: Monte-Carlo step labels for a PRM, or revision trajectories, from the demo policy on the embedded engine. */
export function registerLabel(program: Command): void {
  program
    .command("label")
    .summary("make PRM step labels or revision trajectories by sampling the policy")
    .description(
      [
        "Samples solutions from a policy on the embedded engine and writes training data as JSONL.",
        "Step labels (default): for each sampled solution and each step prefix, --rollouts completions are sampled from that prefix; the step's label is the fraction that reach the gold answer (Math-Shepherd soft labels). The last step's label is the solution's own correctness. One line per solution:\n" +
          '  {"problemId","level","question","answer","sample","steps":[...],"labels":[...],"finalAnswer","correct","finishReason"}',
        '--exact: each step is also labelled exactly from the synthetic generator\'s record of the problem: right when it applies the question\'s next operation and operand to the count the previous line left, with the right result (the answer line: the last result, once every operation is applied). "exact":{"right":[...],"labels":[...],"firstError","errors":[...]} is added to each line; labels are 1 up to the first wrong step and 0 from it on. Without --rollouts no rollouts are sampled and "labels" holds the exact labels; with --rollouts both are made.',
        "--revisions: samples --samples solutions per problem and writes up to --per-problem distinct trajectories, each a correct one (reused in turn when there are few) after 0 to --max-attempts wrong ones (count drawn uniformly, the last the closest by edit distance). One line per trajectory:\n" +
          '  {"problemId","level","question","answer","attempts":[...],"target"}',
        "Problems come from the synthetic benchmark; seeds below 1000 are its held-out evaluation problems, so label with --problem-seed 1000 or more. An interrupted run resumes: finished problems are listed in <out>.done and skipped, and the same seeds give the same lines.",
      ].join("\n\n"),
    )
    .requiredOption("-o, --out <file>", "JSONL file to write (appended to when resuming)")
    .option("-m, --model <gguf>", "policy GGUF (default: the shipped policy-small)")
    .option("--revisions", "build revision trajectories instead of step labels")
    .option("--exact", "also label every step exactly (synthetic problems; no rollouts unless --rollouts is given)")
    .option("--levels <levels>", 'synthetic levels, e.g. "1-10" or "3,5"', "1-10")
    .option("--count <n>", "problems, spread evenly over the levels", "200")
    .option("--problem-seed <n>", "which synthetic problems (≥ 1000 for training data)", "2000")
    .option("--samples <n>", "solutions sampled per problem (default 4, or 16 with --revisions)")
    .option("--rollouts <n>", "rollouts per step prefix (default 8, or 0 with --exact)")
    .option("--max-attempts <n>", "most wrong attempts before a correct one (--revisions)", "4")
    .option("--per-problem <n>", "most trajectories per problem (--revisions)", "4")
    .option("--temperature <t>", "sampling temperature of solutions and rollouts", "0.8")
    .option("--max-tokens <n>", "token limit of each solution or rollout", "256")
    .option("--seed <n>", "sampling seed", "0")
    .addOption(new Option("--threads <n>", "CPU threads for llama.cpp").default("1"))
    .option("--sequences <n>", "sequences decoded together", "16")
    .option("--concurrency <n>", "problems in flight at once", "4")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  ponder label --out training/data/prm-labels.jsonl --count 600 --samples 4 --rollouts 8\n" +
        "  ponder label --exact --out training/data/exact-labels.jsonl --count 4000 --samples 8\n" +
        "  ponder label --revisions --out training/data/revisions.jsonl --count 1500 --samples 16\n" +
        "  ponder label --out /tmp/try.jsonl --levels 3 --count 2 --rollouts 4   # a quick look",
    )
    .action(async (flags: LabelFlags) => runLabel(flags));
}

async function runLabel(flags: LabelFlags): Promise<void> {
  const temperature = parseNumber("--temperature", flags.temperature, 0);
  const problemSeed = parseInteger("--problem-seed", flags.problemSeed, 0);
  const allProblems = loadSynthetic({ levels: flags.levels, count: parseInteger("--count", flags.count, 1), seed: problemSeed });
  const doneFile = `${flags.out}.done`;
  const done = new Set(existsSync(doneFile) ? (await readFile(doneFile, "utf8")).split("\n").filter(Boolean) : []);
  if (existsSync(flags.out)) await dropUnfinished(flags.out, done);
  const problems = allProblems.filter((p) => !done.has(p.id));
  if (done.size > 0) process.stderr.write(`label: resuming, ${done.size} problems already done, ${problems.length} to go\n`);

  const engine = await LlamaEngine.load({
    model: flags.model ?? defaultModelPath("policy-small"),
    threads: parseInteger("--threads", flags.threads, 1),
    sequences: parseInteger("--sequences", flags.sequences, 1),
    contextSize: 1024,
  });
  const generator = new LlamaGenerator(engine, demoTemplate);
  const common = {
    temperature,
    maxTokens: parseInteger("--max-tokens", flags.maxTokens, 1),
    seed: parseInteger("--seed", flags.seed, 0),
    concurrency: parseInteger("--concurrency", flags.concurrency, 1),
  };
  const events = flags.revisions
    ? buildRevisions(problems, generator, syntheticAnswerReader, {
        ...common,
        samples: parseInteger("--samples", flags.samples ?? "16", 1),
        maxAttempts: parseInteger("--max-attempts", flags.maxAttempts, 0),
        perProblem: parseInteger("--per-problem", flags.perProblem, 1),
      })
    : labelSteps(problems, generator, syntheticAnswerReader, {
        ...common,
        samples: parseInteger("--samples", flags.samples ?? "4", 1),
        rollouts: parseInteger("--rollouts", flags.rollouts ?? (flags.exact ? "0" : "8"), flags.exact ? 0 : 1),
        ...(flags.exact ? { judge: syntheticStepJudge } : {}),
      });

  const started = Date.now();
  let usage: Usage = {};
  let pending: string[] = [];
  let lastReport = 0;
  try {
    for await (const event of events) {
      if (event.type === "record") {
        pending.push(JSON.stringify(event.record));
        continue;
      }
      // A problem's lines, then its id in the .done file: a crash between the two is undone on resume.
      if (pending.length > 0) await appendFile(flags.out, pending.join("\n") + "\n");
      await appendFile(doneFile, `${event.problemId}\n`);
      pending = [];
      usage = addUsage(usage, event.usage);
      const now = Date.now();
      if (now - lastReport > 5000 || event.done === event.total) {
        lastReport = now;
        const seconds = (now - started) / 1000;
        const eta = (seconds / event.done) * (event.total - event.done);
        const total = totalUsage(usage);
        process.stderr.write(
          `label: ${event.done}/${event.total} problems, ${event.records} lines, ${total.completionTokens} tokens generated, ` +
            `${seconds.toFixed(0)} s, about ${Math.ceil(eta / 60)} min left\n`,
        );
      }
    }
  } finally {
    await engine.dispose();
  }
  const total = totalUsage(usage);
  process.stdout.write(
    JSON.stringify({ out: flags.out, problems: problems.length, seconds: (Date.now() - started) / 1000, usage: total }) + "\n",
  );
}

/** Removes lines of problems that have no entry in the .done file (a run stopped while writing them). */
async function dropUnfinished(path: string, done: ReadonlySet<string>): Promise<void> {
  const lines = (await readFile(path, "utf8")).split("\n").filter(Boolean);
  const kept = lines.filter((line) => done.has((JSON.parse(line) as { problemId: string }).problemId));
  if (kept.length !== lines.length) await writeFile(path, kept.map((l) => l + "\n").join(""));
}
