import type { Command } from "commander";
import { GENERATOR_SPEC_HELP } from "../../backends/create-generator.js";
import { loadPolicy } from "../../compute-optimal/policy.js";
import type { AnswerReader } from "../../core/answer-reader.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { LIMITS } from "../../core/limits.js";
import { syntheticAnswerReader } from "../../datasets/synthetic/synthetic-answer-reader.js";
import { answerReaderFor } from "../../grading/math-answer-reader.js";
import { createGenerator, type CreatedGenerator } from "../../backends/create-generator.js";
import type { Generator } from "../../core/generator.js";
import { checkListen, createServer } from "../../server/create-server.js";
import { withConfigSources } from "../config-sources.js";
import { VERIFIER_SPEC_HELP } from "../../verifiers/create-verifier.js";
import { loadModels } from "./load-models.js";
import { parseChoice, parseInteger } from "./parse-flags.js";
import { endBySignal } from "./interrupt.js";

/** Largest request body, queue and grace period `ponder serve` accepts. */
const MAX_BODY = 64 << 20;
const MAX_QUEUED = 100_000;
const MAX_GRACE = 3600;

interface ServeFlags {
  policy: string;
  verifier: string;
  reviser: string;
  computePolicy?: string;
  host: string;
  port: string;
  apiKeyEnv: string;
  strategy?: string;
  budget?: string;
  maxBudget: string;
  maxTokensPerRequest: string;
  concurrency: string;
  maxQueued: string;
  bodyLimit: string;
  graceSeconds: string;
  answerFormat: string;
  threads?: string;
  sequences: string;
  upstream: string[];
}

/** Collects `--upstream name=spec` (repeatable; PONDER_UPSTREAM holds several separated by spaces). */
function collectUpstream(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(/\s+/).filter(Boolean)];
}

/** `ponder serve`: an OpenAI-compatible server whose every answer is a test-time compute search. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .summary("run an OpenAI-compatible server that applies test-time compute to every request")
    .description(
      [
        "Serves /v1/chat/completions, /v1/completions and /v1/models (OpenAI's formats; the official clients work unchanged) and /health. Each request runs a strategy on the configured models.",
        `Choose the strategy and budget per request by model name — ponder/<strategy>:<budget>, e.g. ponder/beam-search:16 or ponder/majority:8 (plain \`ponder\` runs the defaults) — or with an extra body field "ponder": {"strategy", "budget", "token_budget", "beam_width", "lookahead", "chain_length", "include_candidates", …}; \`seed\` is OpenAI's own. \`usage\` is extended with generations and FLOPs, per model too. With stream: true, search progress arrives while the search runs (chunks carrying a "ponder" event), then the answer.`,
        "Binds to 127.0.0.1 unless --host says otherwise. When the variable named by --api-key-env is set, every /v1 route requires `Authorization: Bearer <key>`. Requests beyond --concurrency wait in a queue of --max-queued; past that they get 429 with Retry-After. SIGINT/SIGTERM finish the requests in flight (up to --grace-seconds) before exiting.",
        GENERATOR_SPEC_HELP,
        VERIFIER_SPEC_HELP,
      ].join("\n\n"),
    )
    .option("--policy <spec>", "policy (generator) model; several replicas of one model as \"http://a/v1,http://b/v1?model=…\" or \"replicas?replicas-file=FILE&model=…\" (each question's search stays on one replica; see `ponder solve --help`)", "policy-small")
    .option("--upstream <name=spec>", "another policy model a request may choose by name: ponder/<strategy>:<budget>/<name>, or \"ponder\": {\"model\": name}; repeatable", collectUpstream, [])
    .option("--verifier <spec>", 'verifier, or "none" (then only majority and revisions are served)', "likelihood")
    .option("--reviser <spec>", 'revision model for the revisions strategy, or "none" (the policy revises)', "revision")
    .option("--compute-policy <file>", "policy JSON from `ponder calibrate`; serves ponder/auto:<budget>")
    .option("--host <host>", "address to bind (loopback by default)", "127.0.0.1")
    .option("--port <n>", "port (0 picks a free one)", "8000")
    .option("--api-key-env <var>", "environment variable holding the API key clients must send", "PONDER_API_KEY")
    .option("--strategy <name>", "strategy of requests that name none (default weighted-best-of-n with a verifier, else majority)")
    .option("--budget <n>", `generation budget of requests that name none (default 8; at most --max-budget)`)
    .option("--max-budget <n>", `largest generation budget a request may ask for (1–${LIMITS.generations})`, "64")
    .option("--max-tokens-per-request <n>", `cap on the completion tokens one request may generate in all (1–${LIMITS.budgetTokens})`, "65536")
    .option("--concurrency <n>", `searches running at once (1–${LIMITS.concurrency})`, "4")
    .option("--max-queued <n>", `requests waiting beyond those before 429 (0–${MAX_QUEUED})`, "64")
    .option("--body-limit <bytes>", `largest request body (1024–${MAX_BODY})`, String(1 << 20))
    .option("--grace-seconds <n>", `on shutdown, how long in-flight requests may finish (0–${MAX_GRACE}; a second Ctrl-C stops at once)`, "30")
    .option("--answer-format <name>", "how final answers are read: math, gsm8k, synthetic", "math")
    .option("--threads <n>", `llama.cpp threads per embedded model, like llama.cpp's -t, 1–${LIMITS.concurrency} (default: chosen from the cores for all models together; lowered, with a warning, when it would oversubscribe them)`)
    .option("--sequences <n>", `sequences each embedded model's context decodes together (a policy has a context per core by default; 1–${LIMITS.concurrency})`, "16")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  ponder serve --port 8000\n" +
        '  curl -s localhost:8000/v1/chat/completions -H "content-type: application/json" \\\n' +
        '    -d \'{"model":"ponder/beam-search:16","messages":[{"role":"user","content":"Ann has 12 apples. Ann buys 7 more. How many apples does Ann have now?"}]}\'\n' +
        '  PONDER_API_KEY=secret ponder serve --policy "http://localhost:8001/v1?model=Qwen/Qwen2.5-1.5B-Instruct&template=chatml" --verifier none\n' +
        "  ponder serve --upstream large=policy-large --upstream qwen=\"http://localhost:8001/v1?model=Qwen/Qwen2.5-1.5B-Instruct&template=chatml\"   # then model ponder/beam-search:16/qwen\n" +
        '  PONDER_PORT=9000 PONDER_MAX_BUDGET=32 ponder serve --config serve.json   # serve.json: {"policy": "policy-large", "upstream": ["small=policy-small"]}\n' +
        "\nEvery option can also be set by its PONDER_* variable (shown above) or in --config's JSON file; the command line wins, then the variables, then the file.",
    )
    .action(async (flags: ServeFlags) => serve(flags));
  withConfigSources(program.commands.find((c) => c.name() === "serve")!);
}

async function serve(flags: ServeFlags): Promise<void> {
  const port = parseInteger("--port", flags.port, 0, 65_535);
  if (flags.host.trim() === "") throw new InvalidOptionError({ field: "--host", value: flags.host, accepted: "an address to bind, such as 127.0.0.1 (loopback), ::1 or 0.0.0.0 (every interface)" });
  const threads = flags.threads === undefined ? undefined : parseInteger("--threads", flags.threads, 1, LIMITS.concurrency);
  const sequences = parseInteger("--sequences", flags.sequences, 1, LIMITS.concurrency);
  const format = parseChoice("--answer-format", flags.answerFormat, ["math", "gsm8k", "synthetic"]);
  const answers: AnswerReader = format === "synthetic" ? syntheticAnswerReader : answerReaderFor(format);
  const limits = {
    maxBudget: parseInteger("--max-budget", flags.maxBudget, 1, LIMITS.generations),
    maxRequestTokens: parseInteger("--max-tokens-per-request", flags.maxTokensPerRequest, 1, LIMITS.budgetTokens),
  };
  const budget = flags.budget === undefined ? undefined : parseInteger("--budget", flags.budget, 1, limits.maxBudget);
  const bodyLimitBytes = parseInteger("--body-limit", flags.bodyLimit, 1024, MAX_BODY);
  const concurrency = parseInteger("--concurrency", flags.concurrency, 1, LIMITS.concurrency);
  const maxQueued = parseInteger("--max-queued", flags.maxQueued, 0, MAX_QUEUED);
  const graceMs = parseInteger("--grace-seconds", flags.graceSeconds, 0, MAX_GRACE) * 1000;
  const apiKey = process.env[flags.apiKeyEnv];
  if (apiKey !== undefined && apiKey.trim() === "") throw new InvalidOptionError({ field: "--api-key-env", value: flags.apiKeyEnv, accepted: `a variable holding a non-empty key, or unset it for an open server` });
  const policy = flags.computePolicy ? await loadPolicy(flags.computePolicy) : undefined;
  // A bad --host or a taken --port is refused before the models load, not after.
  await checkListen(flags.host, port).catch((error: unknown) => {
    if (error instanceof InvalidOptionError) throw new InvalidOptionError({ field: `--${error.field}`, value: error.value, accepted: error.accepted });
    throw error;
  });

  const models = await loadModels(
    { policy: flags.policy, verifier: flags.verifier === "none" ? null : flags.verifier, reviser: flags.reviser === "none" ? null : flags.reviser },
    { threads, sequences, contextSize: 1024, answers },
  );
  const upstreams: Record<string, Generator> = {};
  const held: CreatedGenerator[] = [];
  try {
    for (const entry of flags.upstream) {
      const at = entry.indexOf("=");
      if (at < 1 || at === entry.length - 1) throw new InvalidOptionError({ field: "--upstream", value: entry, accepted: "name=spec, e.g. large=policy-large or qwen=http://localhost:8001/v1?model=…" });
      const name = entry.slice(0, at);
      if (name in upstreams) throw new InvalidOptionError({ field: "--upstream", value: entry, accepted: `each name once (${name} is given twice)` });
      const created = await createGenerator(entry.slice(at + 1), { threads, sequences, contextSize: 1024 });
      held.push(created);
      upstreams[name] = created.generator;
    }
    const server = createServer({
      backends: { generator: models.generator, verifier: models.verifier, reviser: models.reviser, answers, upstreams },
      policy,
      defaults: {
        ...(flags.strategy ? { strategy: flags.strategy } : {}),
        ...(budget !== undefined ? { budget } : {}),
      },
      limits,
      apiKey,
      bodyLimitBytes,
      concurrency,
      maxQueued,
      log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
    });
    const { url } = await server.listen({ port, host: flags.host });
    const names = Object.keys(upstreams);
    process.stderr.write(`ponder serve: listening on ${url}/v1 (${apiKey ? "API key required" : "no API key"}); models: ${url}/v1/models${names.length > 0 ? `; upstreams: ${names.join(", ")}` : ""}\n`);
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) {
          process.stderr.write(`ponder serve: ${signal} again, stopping now\n`);
          endBySignal(signal as NodeJS.Signals);
        }
        stopping = true;
        process.stderr.write(`ponder serve: ${signal}, finishing ${server.stats().inFlight} requests in flight (up to ${graceMs / 1000} s; ${signal} again stops at once)\n`);
        void server.close({ graceMs }).then(({ cancelled }) => {
          if (cancelled > 0) process.stderr.write(`ponder serve: cancelled ${cancelled} requests at the end of the grace period\n`);
          resolve();
        });
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
    });
  } finally {
    for (const created of held.reverse()) await created.dispose();
    await models.dispose();
  }
}
