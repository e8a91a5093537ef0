import { createClient, createGenerator, HTTP_CLIENT_KEYS, isHttp, loadEngine, serverKind, type EngineDefaults } from "../backends/create-generator.js";
import { connectServer, type ServerInfo } from "../backends/openai/connect-server.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import type { RetryEvent } from "../backends/openai/openai-client.js";
import { SpecOptions } from "../backends/spec-options.js";
import type { AnswerReader } from "../core/answer-reader.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Generator } from "../core/generator.js";
import { CONFIDENCE_SIGNALS } from "../core/token-confidence.js";
import { CONFIDENCE_MEASURES } from "../core/trace-confidence.js";
import type { Verifier } from "../core/verifier.js";
import { defaultModelPath } from "../models/default-models.js";
import { HttpNextTokenScorer, LOGPROBS_MODES } from "./http-next-token-scorer.js";
import { judgePromptTemplate, JudgeVerifier } from "./judge-verifier.js";
import { createLikelihoodVerifier, LIKELIHOOD_SPEC_HELP } from "./create-likelihood-verifier.js";
import { LlamaNextTokenScorer } from "./llama-next-token-scorer.js";
import { OracleVerifier } from "./oracle-verifier.js";
import { PoolingOrmVerifier } from "./pooling-orm-verifier.js";
import { PoolingPrmVerifier } from "./pooling-prm-verifier.js";
import { SelfCertaintyVerifier } from "./self-certainty-verifier.js";
import { tokenRewardFormatByName, tokenRewardFormats, type TokenRewardFormat } from "./token-reward-format.js";
import { TokenRewardVerifier } from "./token-reward-verifier.js";
import { POOLING_APIS } from "./vllm-pooling.js";

/** `ponder … --help` text for a verifier spec. */
export const VERIFIER_SPEC_HELP = `A verifier is one of:
  prm | orm                               the demo PRM shipped in models/prm.gguf
  <file.gguf>[?opts]                      the same as prm:<file.gguf>
  prm:<file.gguf|hf:…>[?opts]             token PRM on the embedded engine ("+" vs "-" after each step)
  orm:<file.gguf|hf:…>[?opts]             the same read once after the whole solution (outcome RM)
  prm-http:<http(s)://host/v1>?model=M    token PRM over an OpenAI-compatible /completions endpoint
  orm-http:<http(s)://host/v1>?model=M    its whole-solution form
  pooling:<http(s)://host/v1>?model=M     PRM with a classification head on vLLM's pooling API
                                          (Qwen2.5-Math-PRM: steps joined by <extra_0>)
  classify:<http(s)://host/v1>?model=M    outcome reward model on vLLM's classification API
  judge:<generator spec>                  LLM-as-judge: a prompted model states "Score: N"
${LIKELIHOOD_SPEC_HELP}
  oracle                                  1 if the final answer is the gold answer (analysis only)
  self-certainty[:<generator spec>]       the policy's own token confidence, no reward model needed
                                          (default: the --policy when embedded, else policy-small)
Options (key=value after "?", joined by "&", percent-encoded; "+" is a plus sign, %20 a space):
  prm/orm:  format=${Object.keys(tokenRewardFormats).join("|")} (default demo), or change a preset's
            fields: prompt, step, first-step, after-step, tag (step = "{step}<tag>"), positive,
            negative, special-tokens=1, trim-steps=1; orm: join=TEXT (default a newline);
            embedded: threads, sequences, context, exact
  *-http:   mode=${LOGPROBS_MODES.join("|")} (default the server's: token-ids on llama.cpp's
            server, prompt-logprobs on vLLM, top-logprobs on SGLang/Ollama, echo otherwise),
            top=N (top-logprobs: alternatives, default 20), server=KIND (default detected)
  pooling:  api=${POOLING_APIS.join("|")}, tag=TEXT (default <extra_0>), system=TEXT,
            positive-index=N (default 1)
  classify: route=classify|pooling, template=TEXT ({question}, {solution}),
            activation=none|sigmoid, positive-index=N
  judge:    scale=N (default 10), judge-tokens=N (default 64), plus the generator's options
  self-certainty: signal=${CONFIDENCE_SIGNALS.join("|")} (default likelihood: each token's own
            log-probability; top-k: DeepConf's spread of the top=N, 20), measure=${CONFIDENCE_MEASURES.join("|")}
            (default mean), window=N (4), tail=N (8), kind=process|outcome, plus an embedded
            generator's options
  HTTP:     params=N (model parameters, for FLOPs), key-env=VAR, concurrency=N, retries=N, timeout=MS
Examples:
  prm:models/prm.gguf
  prm-http:http://localhost:8081/v1?model=prm     (llama-server -m models/prm.gguf --alias prm)
  prm-http:http://localhost:8000/v1?model=peiyi9979/math-shepherd-mistral-7b-prm&format=math-shepherd&mode=prompt-logprobs
  prm-http:http://localhost:8000/v1?model=RLHFlow/Llama3.1-8B-PRM-Deepseek-Data&format=rlhflow
  pooling:http://localhost:8000/v1?model=Qwen/Qwen2.5-Math-PRM-7B&params=7.6e9
  judge:https://api.openai.com/v1?model=gpt-4o-mini&api=chat&prefill=none`;

/** Engine defaults (threads, sequences, context size) apply when the spec sets none. */
export interface CreateVerifierOptions extends EngineDefaults {
  /** Reads final answers; the oracle needs it. */
  answers?: AnswerReader;
  /** Told of HTTP retries (progress). */
  onRetry?: (event: RetryEvent) => void;
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
  /** The policy already loaded: `self-certainty` with no model named scores with it when it is embedded. */
  policy?: Generator;
}

export interface CreatedVerifier {
  verifier: Verifier;
  /** Frees what the verifier holds (an embedded engine). */
  dispose(): Promise<void>;
}

const FORMAT_KEYS = ["format", "prompt", "step", "first-step", "after-step", "tag", "positive", "negative", "special-tokens", "trim-steps"];
const ENGINE_KEYS = ["threads", "sequences", "context", "exact"];
const KINDS = ["prm", "orm", "prm-http", "orm-http", "pooling", "classify", "judge", "oracle", "self-certainty", "likelihood"];
const SELF_CERTAINTY_KEYS = ["signal", "measure", "window", "tail", "top", "kind"];

/**
 * A Verifier from a spec string (see VERIFIER_SPEC_HELP), for `ponder solve --verifier`, the
 * server and configs.
 * @example const { verifier, dispose } = await createVerifier("prm:models/prm.gguf?threads=2");
 */
export async function createVerifier(spec: string, options: CreateVerifierOptions = {}): Promise<CreatedVerifier> {
  const text = typeof spec === "string" ? spec.trim() : "";
  const colon = text.indexOf(":");
  const kind = colon < 0 ? text : text.slice(0, colon);
  const target = colon < 0 ? "" : text.slice(colon + 1);
  // A bare GGUF path (options allowed) is a token PRM in the demo format, as `--verifier`'s help says.
  if (!KINDS.includes(kind) && /\.gguf$/i.test(text.split("?")[0]!)) return createVerifier(`prm:${text}`, options);
  if (!KINDS.includes(kind)) throw new InvalidOptionError({ field: "verifier", value: spec, accepted: `${KINDS.join(", ")} followed by ":<target>" (see --help)` });
  const none = async () => {};

  if (kind === "oracle") {
    if (target) throw new InvalidOptionError({ field: "verifier", value: spec, accepted: '"oracle" with nothing after it' });
    if (!options.answers) throw new InvalidOptionError({ field: "answers", value: undefined, accepted: "an AnswerReader: the oracle compares final answers with gold answers" });
    return { verifier: new OracleVerifier({ answers: options.answers }), dispose: none };
  }
  if (kind === "self-certainty") return selfCertainty(target, options);
  if (kind === "likelihood") return createLikelihoodVerifier(target, options);
  if (kind === "judge") {
    const { generatorSpec, scale, maxTokens } = splitJudgeOptions(target);
    const created = await createGenerator(generatorSpec, { template: judgePromptTemplate, system: "", threads: options.threads, sequences: options.sequences, contextSize: options.contextSize, onRetry: options.onRetry, fetch: options.fetch, signal: options.signal });
    return { verifier: new JudgeVerifier({ generator: created.generator, scale, maxTokens }), dispose: created.dispose };
  }

  const o = new SpecOptions(target || (kind === "prm" || kind === "orm" ? defaultModelPath("prm") : ""), `verifier ${kind}`);
  const needs = (http: boolean) => {
    if (!o.base || isHttp(o.base) !== http) {
      throw new InvalidOptionError({ field: "verifier", value: spec, accepted: `${kind}:${http ? "http(s)://<host>/v1?model=<name>" : "<file.gguf>"} (see --help)` });
    }
  };
  if (kind === "prm" || kind === "orm") {
    needs(false);
    const format = formatFrom(o);
    const join = kind === "orm" ? o.string("join") : undefined;
    const engine = await loadEngine(o, o.base, options, [...FORMAT_KEYS, ...(kind === "orm" ? ["join"] : []), ...ENGINE_KEYS]);
    const verifier = new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(engine), format, kind: kind === "prm" ? "process" : "outcome", join });
    return { verifier, dispose: () => engine.dispose() };
  }
  needs(true);
  const client = createClient(o, options);
  const model = required(o, spec);
  const parameters = o.number("params", { min: 0 });
  // Every option is read (and a bad one refused) before the server is contacted.
  let build: (info: ServerInfo) => Verifier;
  if (kind === "prm-http" || kind === "orm-http") {
    const format = formatFrom(o);
    const join = kind === "orm-http" ? o.string("join") : undefined;
    const server = serverKind(o);
    const mode = o.oneOf("mode", LOGPROBS_MODES);
    const topLogprobs = o.number("top", { integer: true, min: 1 });
    o.finish([...FORMAT_KEYS, "mode", "top", "model", "server", "params", ...(kind === "orm-http" ? ["join"] : []), ...HTTP_CLIENT_KEYS]);
    build = (info) => {
      const scorer = new HttpNextTokenScorer({ client, model, server: server ?? info.kind, mode, topLogprobs, parameters: parameters ?? info.parameters });
      return new TokenRewardVerifier({ scorer, format, kind: kind === "prm-http" ? "process" : "outcome", join });
    };
  } else if (kind === "pooling") {
    const settings = {
      client,
      model,
      parameters,
      api: o.oneOf("api", POOLING_APIS),
      stepTag: o.string("tag"),
      system: o.string("system"),
      positiveIndex: o.number("positive-index", { integer: true, min: 0 }),
    };
    o.finish(["model", "params", "api", "tag", "system", "positive-index", ...HTTP_CLIENT_KEYS]);
    build = () => new PoolingPrmVerifier(settings);
  } else {
    const settings = {
      client,
      model,
      parameters,
      route: o.oneOf("route", ["classify", "pooling"] as const),
      template: o.string("template"),
      activation: o.oneOf("activation", ["none", "sigmoid"] as const),
      positiveIndex: o.number("positive-index", { integer: true, min: 0 }),
      join: o.string("join"),
    };
    o.finish(["model", "params", "route", "template", "activation", "positive-index", "join", ...HTTP_CLIENT_KEYS]);
    build = () => new PoolingOrmVerifier(settings);
  }
  const verifier = build(await connectServer(client, { model, signal: options.signal }));
  return { verifier, dispose: none };
}

/** `self-certainty[:<generator spec>][?opts]`: its own options are taken out of the generator spec's query. */
async function selfCertainty(target: string, options: CreateVerifierOptions): Promise<CreatedVerifier> {
  const at = target.indexOf("?");
  const query = at < 0 ? [] : target.slice(at + 1).split("&");
  const own = (p: string) => SELF_CERTAINTY_KEYS.includes(p.split("=")[0]!);
  const o = new SpecOptions(`self-certainty?${query.filter(own).join("&")}`, "verifier self-certainty");
  const settings = {
    signal: o.oneOf("signal", CONFIDENCE_SIGNALS),
    measure: o.oneOf("measure", CONFIDENCE_MEASURES),
    window: o.number("window", { integer: true, min: 1 }),
    tail: o.number("tail", { integer: true, min: 1 }),
    topK: o.number("top", { integer: true, min: 1 }),
    kind: o.oneOf("kind", ["process", "outcome"] as const),
  };
  o.finish(SELF_CERTAINTY_KEYS);
  const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  const base = at < 0 ? target : target.slice(0, at);
  const rest = query.filter((p) => p && !own(p));
  if (!base && rest.length === 0 && options.policy instanceof LlamaGenerator) {
    return { verifier: new SelfCertaintyVerifier({ policy: options.policy, ...defined }), dispose: async () => {} };
  }
  const spec = `${base || "policy-small"}${rest.length > 0 ? `?${rest.join("&")}` : ""}`;
  if (isHttp(spec)) {
    throw new InvalidOptionError({ field: "verifier", value: `self-certainty:${target}`, accepted: "self-certainty on an embedded policy (a demo name or a GGUF); over HTTP, use the deepconf strategies, which read confidence while generating" });
  }
  const created = await createGenerator(spec, options);
  return { verifier: new SelfCertaintyVerifier({ policy: created.generator as LlamaGenerator, ...defined }), dispose: created.dispose };
}

/** A preset format with any fields the spec changes; a changed preset gets a name of its own (scores are cached by it). */
function formatFrom(o: SpecOptions): TokenRewardFormat {
  const preset = tokenRewardFormatByName(o.string("format") ?? "demo");
  const tag = o.string("tag");
  const changes: Partial<TokenRewardFormat> = {
    prompt: o.string("prompt"),
    step: o.string("step") ?? (tag !== undefined ? `{step}${tag}` : undefined),
    firstStep: o.string("first-step"),
    afterStep: o.string("after-step"),
    positive: o.string("positive"),
    negative: o.string("negative"),
    specialTokens: o.boolean("special-tokens"),
    trimSteps: o.boolean("trim-steps"),
  };
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  if (Object.keys(defined).length === 0) return preset;
  return { ...preset, ...defined, name: `${preset.name}+${JSON.stringify(defined)}` };
}

function required(o: SpecOptions, spec: string): string {
  const model = o.string("model");
  if (!model) throw o.bad("model", model, `the served model's name: ${spec.split("?")[0]}?model=<name>`);
  return model;
}

/** `judge:` takes a generator spec; its own options are taken out of that spec's query. */
function splitJudgeOptions(target: string): { generatorSpec: string; scale?: number; maxTokens?: number } {
  const at = target.indexOf("?");
  if (at < 0) return { generatorSpec: target };
  const judge = new SpecOptions(`judge?${target.slice(at + 1).split("&").filter((p) => /^(scale|judge-tokens)=/.test(p)).join("&")}`, "verifier judge");
  const rest = target.slice(at + 1).split("&").filter((p) => !/^(scale|judge-tokens)=/.test(p));
  return {
    generatorSpec: rest.length > 0 ? `${target.slice(0, at)}?${rest.join("&")}` : target.slice(0, at),
    scale: judge.number("scale", { min: Number.MIN_VALUE }),
    maxTokens: judge.number("judge-tokens", { integer: true, min: 1 }),
  };
}
