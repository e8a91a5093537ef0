import { confidenceOf, MIN_LOGPROB, type ConfidenceSignal } from "../../core/token-confidence.js";
import { withoutEchoedPrefill } from "./read-choice.js";

/** One token as a server streams it: its log-probability and its top alternatives', when it sent them. */
export interface StreamedToken {
  logprob: number;
  top: number[];
}

/** What a streamed continuation came to. */
export interface StreamedContinuation {
  text: string;
  /** The server's finish reason; `stopped` when onToken stopped the stream, `stop-string` when the text reached `stopAt`; null when the stream ended without one. */
  finishReason: string | null;
  /** Tokens received (the server's usage is preferred when it sent one). */
  tokens: number;
  tokenLogprobs: number[];
  /** Each token's confidence, by the signal asked for. */
  tokenConfidences: number[];
  /** The final chunk's `usage`, when the server sent one (never for a stream stopped early). */
  usage: Record<string, unknown> | null;
}

export interface ReadTokenStreamOptions {
  confidence: { signal: ConfidenceSignal; topK: number };
  /** Sees each token; "stop" ends the stream: `abort` is called, and no more is read. */
  onToken?: (token: { count: number; confidence: number }) => "stop" | void;
  /** Closes the HTTP stream, so the server stops generating. */
  abort: () => void;
  /** Ends the stream, like a stop string would, once the text holds this (a step's delimiter); the finish reason is then `stop-string`. */
  stopAt?: string;
  /** Text a server echoes in front of the continuation (llama.cpp continuing an assistant message), left out of `text`. */
  echoed?: string;
}

/**
 * Reads a server-sent-events stream of `/completions` or `/chat/completions` chunks with
 * log-probabilities, measuring each token's confidence as it arrives. Both logprobs layouts are
 * read: `content: [{ logprob, top_logprobs: [{ logprob }] }]` (OpenAI chat; llama.cpp's server on
 * both routes) and the legacy `token_logprobs` / `top_logprobs: [{ token: logprob }]` (vLLM,
 * SGLang and OpenAI on `/completions`).
 */
export async function readTokenStream(body: ReadableStream<Uint8Array>, { confidence, onToken, abort, stopAt, echoed = "" }: ReadTokenStreamOptions): Promise<StreamedContinuation> {
  const out: StreamedContinuation = { text: "", finishReason: null, tokens: 0, tokenLogprobs: [], tokenConfidences: [], usage: null };
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = "";
  let stopped = false;
  let reachedStop = false;
  // Everything received, echo included, until the echo is known to be there or not.
  let received = "";
  let echoSettled = echoed === "";
  try {
    while (!stopped) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while (!stopped && (end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
        const data = event
          .split(/\r?\n/)
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).trimStart())
          .join("\n");
        if (data === "" || data === "[DONE]") continue;
        const chunk = JSON.parse(data) as WireChunk;
        if (chunk.usage) out.usage = chunk.usage;
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        received += choice.text ?? choice.delta?.content ?? "";
        if (!echoSettled && (received.length >= echoed.length || !echoed.startsWith(received))) {
          echoSettled = true;
          received = withoutEchoedPrefill(received, echoed);
        }
        if (echoSettled) out.text = received;
        for (const token of streamedTokens(choice.logprobs)) {
          out.tokens++;
          const c = confidenceOf(confidence.signal, token.top, token.logprob, confidence.topK);
          out.tokenLogprobs.push(token.logprob);
          out.tokenConfidences.push(c);
          if (onToken?.({ count: out.tokens, confidence: c }) === "stop" && !choice.finish_reason) {
            stopped = true;
            break;
          }
        }
        if (choice.finish_reason) out.finishReason = choice.finish_reason;
        if (!stopped && !choice.finish_reason && stopAt !== undefined && out.text.includes(stopAt)) {
          reachedStop = true;
          break;
        }
      }
      if (reachedStop) break;
    }
  } finally {
    if (!echoSettled) out.text = withoutEchoedPrefill(received, echoed);
    if (stopped || reachedStop) {
      out.finishReason = stopped ? "stopped" : "stop-string";
      abort();
      await reader.cancel().catch(() => {});
    }
    reader.releaseLock();
  }
  return out;
}

interface WireChunk {
  choices?: { text?: string; delta?: { content?: string | null }; logprobs?: WireLogprobs | null; finish_reason?: string | null }[];
  usage?: Record<string, unknown> | null;
}

type WireLogprobs = {
  content?: { logprob: number; top_logprobs?: { logprob: number }[] }[] | null;
  token_logprobs?: (number | null)[];
  top_logprobs?: (Record<string, number> | null)[] | null;
};

/** The tokens one chunk carries, in either layout. */
export function streamedTokens(logprobs: WireLogprobs | null | undefined): StreamedToken[] {
  if (!logprobs) return [];
  if (logprobs.content) return logprobs.content.map((t) => ({ logprob: finite(t.logprob), top: (t.top_logprobs ?? []).map((a) => finite(a.logprob)) }));
  return (logprobs.token_logprobs ?? []).map((lp, i) => ({ logprob: finite(lp), top: Object.values(logprobs.top_logprobs?.[i] ?? {}).map(finite) }));
}

function finite(lp: number | null | undefined): number {
  return typeof lp === "number" && Number.isFinite(lp) ? lp : MIN_LOGPROB;
}
