import { createHash, randomUUID } from "node:crypto";
import type { Context } from "hono";
import type { Problem } from "../core/problem.js";
import { deriveSeed } from "../core/rng.js";
import { addUsage, totalUsage } from "../core/usage.js";
import type { SearchEvent, StrategyResult } from "../strategies/strategy.js";
import { answerSteps, finishReasonOf, ponderSummary } from "./completion-format.js";
import type { AnyCompletionRequest, CompletionEndpoint } from "./completion-endpoint.js";
import { ApiError, badRequest } from "./errors/api-error.js";
import { toOpenAIUsage } from "./openai-usage.js";
import { BUDGET_HEADER, planRun, type RunPlan } from "./plan-run.js";
import { ignoredFields, parseBody } from "./request-schemas.js";
import type { ServerRuntime } from "./server-runtime.js";
import { streamCompletion } from "./stream-completion.js";
import { toApiError } from "./to-api-error.js";

/**
 * The handler of one completion endpoint: validate, plan, take a place in the queue, run the
 * strategy (cancelled when the client disconnects or the shutdown's grace ends), answer in
 * OpenAI's format, streamed or whole.
 */
export function completionHandler<R extends AnyCompletionRequest>(endpoint: CompletionEndpoint<R>, runtime: ServerRuntime) {
  return async function completion(c: Context): Promise<Response> {
    if (runtime.draining) throw shuttingDown();
    const request = parseBody(endpoint.schema, await readJson(c));
    const question = endpoint.question(request);
    const plan = planRun({ ...request, maxTokens: endpoint.maxTokens(request), budgetHeader: c.req.header(BUDGET_HEADER) }, runtime.context);
    if (plan.n > 1 && request.stream === true) throw badRequest("n", `n: ${plan.n} choices cannot be streamed; ask without stream, or send ${plan.n} streaming requests`);
    // OpenAI fields ponder accepts but does not act on are reported, never silently dropped.
    const ignored = ignoredFields(request, endpoint.ignored);
    if (ignored.length > 0) c.header("x-ponder-ignored-fields", ignored.join(", "));
    const ticket = runtime.queue.admit();
    const end = runtime.inFlight.begin();
    const startedAt = performance.now();
    const cancel = new AbortController();
    const signal = AbortSignal.any([cancel.signal, c.req.raw.signal, runtime.inFlight.signal]);
    const meta = { id: `${endpoint.idPrefix}-${randomUUID().replaceAll("-", "")}`, created: Math.floor(Date.now() / 1000), model: plan.model };
    const problem: Problem = { id: problemId(question.text), question: question.text };
    // A request may pick an upstream policy by name; that model then revises its own attempts too.
    const { verifier, answers } = runtime.backends;
    const generator = plan.upstream === undefined ? runtime.backends.generator : runtime.backends.upstreams![plan.upstream]!;
    const reviser = plan.upstream === undefined ? runtime.backends.reviser : undefined;

    let finished = false;
    const finish = (status: number, results?: StrategyResult[], error?: ApiError) => {
      if (finished) return;
      finished = true;
      ticket.release();
      const clientGone = status !== 200 && (cancel.signal.aborted || c.req.raw.signal.aborted);
      const outcome = status === 200 ? "completed" : clientGone ? "cancelled" : "failed";
      runtime.counts[outcome]++;
      const usage = results ? totalUsage(results.reduce((sum, r) => addUsage(sum, r.usage), {})) : null;
      const ms = `${Math.round(performance.now() - startedAt)}ms`;
      // A client that went away was not answered at all: say so, rather than log the 503 nobody received.
      if (clientGone) runtime.log(`${c.req.method} ${c.req.path} client disconnected ${plan.model} ${ms}; search cancelled`);
      else {
        runtime.log(
          `${c.req.method} ${c.req.path} ${status} ${plan.model} ${ms}` +
            (usage ? ` generations=${usage.generations} tokens=${usage.completionTokens} flops=${usage.flops.toExponential(2)}` : "") +
            (error ? ` ${error.code ?? error.type}: ${error.message}` : ""),
        );
      }
      if (error) runtime.logged.add(error);
    };
    // `n` independent searches in the request's one place in the queue; the first is seeded as a lone one would be.
    const search = async (onEvent?: (event: SearchEvent) => void): Promise<StrategyResult[]> => {
      try {
        await ticket.turn(signal);
        const seed = plan.options.seed;
        const results = await Promise.all(
          Array.from({ length: plan.n }, (_, i) =>
            plan.entry.run(problem, { generator, verifier, reviser, answers, signal, onEvent }, { ...plan.options, seed: i === 0 ? seed : deriveSeed(seed, "choice", i) }),
          ),
        );
        finish(200, results);
        return results;
      } catch (error) {
        const apiError = toApiError(error, question.param);
        finish(apiError.status, undefined, apiError);
        throw apiError;
      }
    };
    const run = async (onEvent?: (event: SearchEvent) => void): Promise<StrategyResult> => (await search(onEvent))[0]!;

    if (request.stream === true) {
      return streamCompletion(c, {
        format: endpoint.format,
        meta,
        plan,
        includeUsage: request.stream_options?.include_usage === true,
        queuePosition: ticket.position,
        delimiter: generator.stepDelimiter,
        keepAliveMs: runtime.keepAliveMs,
        run,
        onClientGone: () => cancel.abort(new Error("client disconnected")),
        onClosed: end,
      });
    }
    try {
      const results = await search();
      return c.json(respond(endpoint, meta, plan, results, generator.stepDelimiter, ignored));
    } finally {
      end();
    }
  };
}

/** The response: one choice per search, usage summed over all of them, each search's summary in `ponder` (the first's at its top level). */
function respond<R extends AnyCompletionRequest>(endpoint: CompletionEndpoint<R>, meta: { id: string; created: number; model: string }, plan: RunPlan, results: StrategyResult[], delimiter: string, ignored: string[]): object {
  const usage = toOpenAIUsage(results.reduce((sum, r) => addUsage(sum, r.usage), {}));
  const summaries = results.map((r) => ponderSummary(r, plan));
  const extra = { ...(ignored.length > 0 ? { ignored_fields: ignored } : {}), ...(results.length > 1 ? { choices: summaries } : {}) };
  const bodies = results.map((r) => endpoint.format.response(meta, answerSteps(r, delimiter).join(""), finishReasonOf(r), usage, { ...summaries[0], ...extra }) as { choices: { index: number }[] });
  return { ...bodies[0], choices: bodies.map((b, i) => ({ ...b.choices[0], index: i })) };
}

/** The same question gets the same id, so seeded strategies and verifier caches treat repeats alike. */
function problemId(question: string): string {
  return `q-${createHash("sha256").update(question).digest("hex").slice(0, 16)}`;
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(null, "the request body is not valid JSON");
  }
}

export function shuttingDown(): ApiError {
  return new ApiError({ status: 503, type: "service_unavailable", code: "shutting_down", headers: { connection: "close" }, message: "the server is shutting down; retry on another instance" });
}
