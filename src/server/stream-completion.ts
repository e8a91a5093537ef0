import type { Context } from "hono";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import type { SearchEvent, StrategyResult } from "../strategies/strategy.js";
import { answerSteps, eventPayload, finishReasonOf, ponderSummary, type CompletionFormat, type ResponseMeta } from "./completion-format.js";
import type { ApiError } from "./errors/api-error.js";
import { toOpenAIUsage } from "./openai-usage.js";
import type { RunPlan } from "./plan-run.js";

export interface StreamArgs {
  format: CompletionFormat;
  meta: ResponseMeta;
  plan: RunPlan;
  /** `stream_options.include_usage`: a last chunk carrying only usage. */
  includeUsage: boolean;
  /** Requests ahead in the queue at admission (0: the search starts at once). */
  queuePosition: number;
  /** Step delimiter joining the answer's steps. */
  delimiter: string;
  keepAliveMs: number;
  /** Runs the search, reporting its events; rejects with the ApiError to send. */
  run(onEvent: (event: SearchEvent) => void): Promise<StrategyResult>;
  /** Told when the client went away mid-stream. */
  onClientGone(): void;
  /** Told once the stream has ended, whatever the outcome. */
  onClosed(): void;
}

/**
 * Answers with Server-Sent Events in OpenAI's chunk format, as the search runs:
 * 1. a chunk with the assistant role (chat) and, when queued, a `queued` event;
 * 2. one chunk per search event (rounds, candidates drawn) while the search runs: no answer text in
 *    its delta, the event in the chunk's `ponder.event` field, which OpenAI clients pass through;
 * 3. the answer, one chunk per solution step, then a chunk with `finish_reason` and the search's
 *    summary in `ponder`; 4. with `include_usage`, a chunk with no choices and the usage; 5. `[DONE]`.
 * A failure after the stream began is sent as a chunk `{ error: … }`, which OpenAI clients raise.
 */
export function streamCompletion(c: Context, args: StreamArgs): Response {
  const { format, meta } = args;
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => args.onClientGone());
    let writes: Promise<unknown> = Promise.resolve();
    const send = (data: object | string) => {
      writes = writes.then(() => stream.writeSSE({ data: typeof data === "string" ? data : JSON.stringify(data) }));
      return writes;
    };
    const progress = (event: Record<string, unknown>) => send(format.chunk(meta, { ponder: { event } }));
    const keepAlive = setInterval(() => void (writes = writes.then(() => comment(stream))), args.keepAliveMs);
    try {
      await send(format.chunk(meta, { role: true, content: "" }));
      if (args.queuePosition > 0) await progress(eventPayload({ type: "queued", position: args.queuePosition }));
      let result: StrategyResult;
      try {
        result = await args.run((event) => void progress(eventPayload(event)));
      } catch (error) {
        await writes;
        await send({ error: (error as ApiError).toBody().error });
        return;
      }
      await writes;
      for (const step of answerSteps(result, args.delimiter)) await send(format.chunk(meta, { content: step }));
      await send(format.chunk(meta, { finishReason: finishReasonOf(result), ponder: ponderSummary(result, args.plan) }));
      if (args.includeUsage) await send(format.usageChunk(meta, toOpenAIUsage(result.usage)));
      await send("[DONE]");
    } finally {
      clearInterval(keepAlive);
      await writes.catch(() => {});
      args.onClosed();
    }
  });
}

/** An SSE comment line: ignored by clients, keeps proxies from closing a silent connection. */
function comment(stream: SSEStreamingApi): Promise<unknown> {
  return stream.write(": keep-alive\n\n");
}
