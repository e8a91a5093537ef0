import { throwIfAborted } from "../core/errors/aborted-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Generator } from "../core/generator.js";
import type { PromptTemplate } from "../core/prompt-template.js";
import { deriveSeed } from "../core/rng.js";
import { addUsage, type Usage } from "../core/usage.js";
import type { ScoreRequest, ScoreResult, Verifier } from "../core/verifier.js";
import { JudgeVerdictError } from "./errors/judge-verdict-error.js";
import { parseJudgeVerdict } from "./judge-verdict.js";
import { validateScoreRequests } from "./validate-score-requests.js";

/** The judge's instructions: `{question}`, `{solution}` and `{scale}` are filled in. */
export const DEFAULT_JUDGE_PROMPT =
  "You are grading a solution to a math problem. Check every step and the final answer.\n\n" +
  "Problem:\n{question}\n\nSolution:\n{solution}\n\n" +
  'Reply with a single line "Score: N", where N is an integer from 0 (wrong) to {scale} (certainly right).\nVerdict:\n';

/** A template that hands the judge prompt to the model as it is; give judge generators this one. */
export const judgePromptTemplate: PromptTemplate = { name: "judge-raw", stepDelimiter: "\n", render: (problem) => problem.question };

export interface JudgeVerifierOptions {
  /** The judge model. Its template should pass the prompt through (see `judgePromptTemplate`). */
  generator: Generator;
  prompt?: string;
  /** The top of the score range the judge is asked for (default 10). */
  scale?: number;
  /** Tokens the verdict may take (default 64). */
  maxTokens?: number;
  /** Default 0: the judge's most likely verdict. */
  temperature?: number;
  /** Seed of the judge's sampling; each request derives its own from it. */
  seed?: number;
  /** What joins the steps into the solution shown (default "\n"). */
  join?: string;
}

/**
 * LLM-as-judge: a prompted model reads the whole solution and states a score. The verdict is
 * parsed strictly; one that states no readable score throws JudgeVerdictError.
 * @example new JudgeVerifier({ generator: new OpenAIGenerator({ client, model: "gpt-4o-mini", api: "chat", system: "", template: judgePromptTemplate }) })
 */
export class JudgeVerifier implements Verifier {
  readonly modelId: string;
  readonly kind = "outcome" as const;
  readonly #o: Required<JudgeVerifierOptions>;

  constructor({ generator, prompt = DEFAULT_JUDGE_PROMPT, scale = 10, maxTokens = 64, temperature = 0, seed = 0, join = "\n" }: JudgeVerifierOptions) {
    const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where: "JudgeVerifier" });
    if (!prompt.includes("{solution}")) throw bad("prompt", prompt, 'a string containing "{solution}"');
    if (!(scale > 0) || !Number.isFinite(scale)) throw bad("scale", scale, "a number > 0");
    if (!Number.isInteger(maxTokens) || maxTokens < 1) throw bad("maxTokens", maxTokens, "an integer ≥ 1");
    if (!(temperature >= 0)) throw bad("temperature", temperature, "a number ≥ 0");
    this.modelId = generator.modelId;
    this.#o = { generator, prompt, scale, maxTokens, temperature, seed, join };
  }

  async score(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<ScoreResult> {
    throwIfAborted(signal);
    validateScoreRequests(requests);
    const { generator, prompt, scale, maxTokens, temperature, seed, join } = this.#o;
    const results = await Promise.all(
      requests.map(async ({ problem, steps }, i) => {
        if (steps.length === 0) return { scores: [], usage: {} as Usage };
        const values: Record<string, string> = { question: problem.question, solution: steps.join(join), scale: String(scale) };
        const question = prompt.replace(/\{(question|solution|scale)\}/g, (match, key: string) => values[key] ?? match);
        const { continuations, usage } = await generator.generate(
          {
            problem: { id: `${problem.id}:judge`, question },
            until: "solution",
            n: 1,
            sampling: { temperature, maxTokens, seed: deriveSeed(seed, problem.id, i) },
          },
          signal,
        );
        const verdict = continuations[0]?.text ?? "";
        const parsed = parseJudgeVerdict(verdict, scale);
        if ("error" in parsed) throw new JudgeVerdictError({ problemId: problem.id, verdict, reason: parsed.error });
        return { scores: [parsed.score], usage: asVerification(usage) };
      }),
    );
    return { stepScores: results.map((r) => r.scores), usage: results.reduce<Usage>((sum, r) => addUsage(sum, r.usage), {}) };
  }
}

/** A judge's calls begin no solutions: its usage counts tokens and calls, not generations. */
function asVerification(usage: Usage): Usage {
  return Object.fromEntries(Object.entries(usage).map(([model, u]) => [model, { ...u, generations: 0 }]));
}
