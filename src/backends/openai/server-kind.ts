import type { SamplingOptions } from "../../core/generator.js";
import { ServerCapabilityError } from "./errors/server-capability-error.js";

/**
 * Every way the OpenAI-compatible servers ponder names differ, in one table. Each entry says what
 * that server documents (or, for llama.cpp, what its source at the bundled commit does), so a
 * difference is fixed here once rather than guessed at in each caller.
 */
export type ServerKind = "llama.cpp" | "vllm" | "sglang" | "ollama" | "openai" | "generic";

export const SERVER_KINDS: readonly ServerKind[] = ["llama.cpp", "vllm", "sglang", "ollama", "openai", "generic"];

/** How a chat server continues a final assistant message. */
export type ChatPrefill =
  /** vLLM and SGLang: `continue_final_message: true, add_generation_prompt: false`. */
  | "continue-final-message"
  /** llama.cpp's server (and Ollama): a final assistant message is continued as it is. */
  | "last-assistant"
  /** OpenAI and servers without prefill: only whole solutions can be generated, not steps after a prefix. */
  | "none";

/** How next-token probabilities inside a text are read (see HttpNextTokenScorer). */
export type LogprobsMode = "token-ids" | "echo" | "prompt-logprobs" | "top-logprobs";

/**
 * How a generation that stopped is known to have ended at the step delimiter rather than at
 * end-of-sequence (which ends the solution):
 * - `stop-type`: llama.cpp's native `/completion` says `stop_type: "word" | "eos" | "limit"`;
 * - `stop-reason`: vLLM's `stop_reason` is the matched stop string, null (or a token id) for EOS;
 * - `matched-stop`: SGLang's `matched_stop`, the same;
 * - `eos-token`: llama.cpp's chat completions say neither, but with `logprobs` an end-of-sequence
 *   stop ends the token list with an empty token (a stop string's tokens are dropped from it);
 * - `cut-locally`: the server says nothing (OpenAI, Ollama, unknown servers), so no stop string is
 *   sent: ponder cuts the text at the first delimiter itself, and a text without one that stopped
 *   was ended by end-of-sequence. Exact, at the cost of the tokens generated past the delimiter.
 */
export type EndOfStep = "stop-type" | "stop-reason" | "matched-stop" | "eos-token" | "cut-locally";

export interface ServerProfile {
  readonly kind: ServerKind;
  /** `/completions` requests go to llama.cpp's native `/completion` (stop_type, and token counts per result). */
  readonly nativeCompletion: boolean;
  /** How the end of a step is told from the end of the solution, on `/completions` and on chat. */
  readonly endOfStep: { completions: EndOfStep; chat: EndOfStep };
  /** `n` is honoured (`n=auto` asks for it); on chat, llama.cpp reports usage for the first choice only, so n is emulated there. */
  readonly honoursN: { completions: boolean; chat: boolean };
  /** A final assistant message is continued this way unless the spec says otherwise. */
  readonly prefill: ChatPrefill;
  /** A continued assistant message comes back with the prefilled text in front (llama.cpp). */
  readonly echoesPrefill: boolean;
  /** Default way a token PRM reads "+" / "-". */
  readonly logprobs: LogprobsMode;
  /** Where a text's token ids come from (to read candidates by id): llama.cpp's and vLLM's `/tokenize`, or nowhere. */
  readonly tokenize: "llama.cpp" | "vllm" | null;
  /**
   * `/v1/completions` takes a list of prompts and its `usage` covers them all. Not llama.cpp (usage of
   * the first only; ponder uses its native endpoint instead) nor Ollama (one prompt per request).
   */
  readonly promptLists: boolean;
  /**
   * The sampling fields of a request, every one explicit, so that the server's own defaults (llama.cpp:
   * top-k 40, top-p 0.95, min-p 0.05; Ollama: top-k 40, top-p 0.9, repeat penalty 1.1) never change the
   * distribution: softmax(logits / temperature), cut only by what the request sets, as the embedded
   * engine samples.
   */
  sampling(s: Pick<SamplingOptions, "temperature" | "topP" | "minP" | "topK">): Record<string, unknown>;
}

const OPENAI_STYLE = { completions: "cut-locally", chat: "cut-locally" } as const;

export const SERVER_PROFILES: Readonly<Record<ServerKind, ServerProfile>> = {
  "llama.cpp": {
    kind: "llama.cpp",
    tokenize: "llama.cpp",
    promptLists: false,
    nativeCompletion: true,
    endOfStep: { completions: "stop-type", chat: "eos-token" },
    honoursN: { completions: true, chat: false },
    prefill: "last-assistant",
    echoesPrefill: true,
    logprobs: "token-ids",
    // `samplers` fixes the chain: no repetition penalties, DRY, XTC, typical-p or top-n-sigma,
    // whatever the server was started with; cut-offs before temperature, as node-llama-cpp orders them.
    sampling: ({ temperature, topP, minP, topK }) => ({
      temperature,
      top_k: topK ?? 0,
      top_p: topP ?? 1,
      min_p: minP ?? 0,
      samplers: ["top_k", "top_p", "min_p", "temperature"],
      repeat_penalty: 1,
      presence_penalty: 0,
      frequency_penalty: 0,
      dry_multiplier: 0,
      xtc_probability: 0,
      typical_p: 1,
      top_n_sigma: -1,
      mirostat: 0,
      dynatemp_range: 0,
    }),
  },
  vllm: {
    kind: "vllm",
    tokenize: "vllm",
    promptLists: true,
    nativeCompletion: false,
    endOfStep: { completions: "stop-reason", chat: "stop-reason" },
    honoursN: { completions: true, chat: true },
    prefill: "continue-final-message",
    echoesPrefill: false,
    logprobs: "prompt-logprobs",
    // vLLM: top_k -1 (every version) disables it; generation_config defaults are overridden field by field.
    sampling: ({ temperature, topP, minP, topK }) => ({
      temperature,
      top_p: topP ?? 1,
      top_k: topK || -1,
      min_p: minP ?? 0,
      repetition_penalty: 1,
      presence_penalty: 0,
      frequency_penalty: 0,
    }),
  },
  sglang: {
    kind: "sglang",
    tokenize: null,
    promptLists: true,
    nativeCompletion: false,
    endOfStep: { completions: "matched-stop", chat: "matched-stop" },
    honoursN: { completions: true, chat: true },
    prefill: "continue-final-message",
    echoesPrefill: false,
    logprobs: "top-logprobs",
    sampling: ({ temperature, topP, minP, topK }) => ({
      temperature,
      top_p: topP ?? 1,
      top_k: topK || -1,
      min_p: minP ?? 0,
      repetition_penalty: 1,
      presence_penalty: 0,
      frequency_penalty: 0,
    }),
  },
  ollama: {
    kind: "ollama",
    tokenize: null,
    promptLists: false,
    nativeCompletion: false,
    endOfStep: OPENAI_STYLE,
    honoursN: { completions: false, chat: false },
    prefill: "last-assistant",
    echoesPrefill: false,
    logprobs: "top-logprobs",
    // Ollama's OpenAI layer maps temperature, top_p and the penalties; top_k and min_p are sent for
    // versions that read them (Go ignores unknown fields); a Modelfile's own settings still apply.
    sampling: ({ temperature, topP, minP, topK }) => ({
      temperature,
      top_p: topP ?? 1,
      top_k: topK ?? 0,
      min_p: minP ?? 0,
      presence_penalty: 0,
      frequency_penalty: 0,
    }),
  },
  openai: {
    kind: "openai",
    tokenize: null,
    promptLists: true,
    nativeCompletion: false,
    endOfStep: OPENAI_STYLE,
    honoursN: { completions: true, chat: true },
    prefill: "none",
    echoesPrefill: false,
    logprobs: "top-logprobs",
    // OpenAI rejects top_k and min_p: asking for them is an error rather than a silent change.
    sampling: ({ temperature, topP, minP, topK }) => {
      if (topK || minP) {
        throw new ServerCapabilityError({
          feature: "top-k / min-p sampling",
          detail: "the OpenAI API has no top_k or min_p",
          hint: "leave them unset (top-p and temperature are sent), or use a server that has them (vLLM, SGLang, llama.cpp)",
        });
      }
      return { temperature, top_p: topP ?? 1, presence_penalty: 0, frequency_penalty: 0 };
    },
  },
  generic: {
    kind: "generic",
    tokenize: null,
    promptLists: true,
    nativeCompletion: false,
    endOfStep: OPENAI_STYLE,
    honoursN: { completions: true, chat: true },
    prefill: "continue-final-message",
    echoesPrefill: false,
    logprobs: "echo",
    sampling: ({ temperature, topP, minP, topK }) => ({
      temperature,
      top_p: topP ?? 1,
      ...(topK ? { top_k: topK } : {}),
      ...(minP ? { min_p: minP } : {}),
    }),
  },
};

/** What `GET /v1/models` lists, as far as telling servers apart needs. */
export interface ListedModel {
  id: string;
  owned_by?: string | null | undefined;
  /** llama.cpp: `n_params`, `n_vocab`, `n_ctx`, … */
  meta?: Record<string, unknown> | null | undefined;
  /** llama.cpp: other names the model answers to. */
  aliases?: readonly string[] | null | undefined;
}

/**
 * The kind of server from its model list: llama.cpp says `owned_by: "llamacpp"`, vLLM `"vllm"`,
 * SGLang `"sglang"`, Ollama lists its library's models as owned by `"library"`, OpenAI by `"openai"`
 * or `"system"` (or the host is api.openai.com). Anything else is `generic`; a spec's `server=`
 * names the kind where this cannot tell (an Ollama model of one's own, a proxy).
 */
export function detectServerKind(models: readonly ListedModel[], baseURL: string): ServerKind {
  const owners = new Set(models.map((m) => (m.owned_by ?? "").toLowerCase()));
  if (owners.has("llamacpp")) return "llama.cpp";
  if (owners.has("vllm")) return "vllm";
  if (owners.has("sglang")) return "sglang";
  if (owners.has("library")) return "ollama";
  let host = "";
  try {
    host = new URL(baseURL).hostname;
  } catch {
    // not a URL: no host to recognise
  }
  if (host === "api.openai.com" || owners.has("openai") || owners.has("system") || owners.has("openai-internal")) return "openai";
  return "generic";
}
