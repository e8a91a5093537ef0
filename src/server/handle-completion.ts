import { createHash, randomUUID } from "node:crypto";
import type { Context } from "hono";
import type { Problem } from "../core/problem.js";
import { totalUsage } from "../core/usage.js";
import type { SearchEvent, StrategyResult } from "../strategies/strategy.js";
import { answerSteps, finishReasonOf, ponderSummary } from "./completion-format.js";
import type { AnyCompletionRequest, CompletionEndpoint } from "./completion-endpoint.js";
import { ApiError, badRequest } from "./errors/api-error.js";
import { toOpenAIUsage } from "./openai-usage.js";
import { planRun, type RunPlan } from "./plan-run.js";
import { parseBody } from "./request-schemas.js";
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
    const plan = planRun({ ...request, maxTokens: endpoint.maxTokens(request) }, runtime.context);
    const ticket = runtime.queue.admit();
    const end = runtime.inFlight.begin();
    const startedAt = performance.now();
    const cancel = new AbortController();
    const signal = AbortSignal.any([cancel.signal, c.req.raw.signal, runtime.inFlight.signal]);
    const meta = { id: `${endpoint.idPrefix}-${randomUUID().replaceAll("-", "")}`, created: Math.floor(Date.now() / 1000), model: plan.model };
    const problem: Problem = { id: problemId(question.text), question: question.text };
    const { generator, verifier, reviser, answers } = runtime.backends;

    let finished = false;
    const finish = (status: number, result?: StrategyResult, error?: ApiError) => {
      if (finished) return;
      finished = true;
      ticket.release();
      const clientGone = status !== 200 && (cancel.signal.aborted || c.req.raw.signal.aborted);
      const outcome = status === 200 ? "completed" : clientGone ? "cancelled" : "failed";
      runtime.counts[outcome]++;
      const usage = result ? totalUsage(result.usage) : null;
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
    const run = async (onEvent?: (event: SearchEvent) => void): Promise<StrategyResult> => {
      try {
        await ticket.turn(signal);
        const result = await plan.entry.run(problem, { generator, verifier, reviser, answers, signal, onEvent }, plan.options);
        finish(200, result);
        return result;
      } catch (error) {
        const apiError = toApiError(error, question.param);
        finish(apiError.status, undefined, apiError);
        throw apiError;
      }
    };

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
      const result = await run();
      return c.json(respond(endpoint, meta, plan, result, generator.stepDelimiter));
    } finally {
      end();
    }
  };
}

function respond<R extends AnyCompletionRequest>(endpoint: CompletionEndpoint<R>, meta: { id: string; created: number; model: string }, plan: RunPlan, result: StrategyResult, delimiter: string): object {
  const text = answerSteps(result, delimiter).join("");
  return endpoint.format.response(meta, text, finishReasonOf(result), toOpenAIUsage(result.usage), ponderSummary(result, plan));
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
