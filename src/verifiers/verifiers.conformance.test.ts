import { after, before } from "node:test";
import { llamaServerSkipReason, shippedModel, startLlamaServer, type LlamaServer } from "../../test/llama-server.js";
import { startLoopbackServer, type LoopbackServer } from "../../test/loopback-openai-server.js";
import { EOS, OTHER, scriptedModelPath } from "../../test/scripted-model.js";
import { testAnswerReader } from "../../test/test-answer-reader.js";
import { tinyModelPath } from "../../test/tiny-model.js";
import { verifierConformance } from "../../test/verifier-conformance.js";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { OpenAIClient } from "../backends/openai/openai-client.js";
import { OpenAIGenerator } from "../backends/openai/openai-generator.js";
import type { AnswerReader } from "../core/answer-reader.js";
import { demoTemplate } from "../templates/templates.js";
import { HttpNextTokenScorer, type LogprobsMode } from "./http-next-token-scorer.js";
import { judgePromptTemplate, JudgeVerifier } from "./judge-verifier.js";
import { LlamaNextTokenScorer } from "./llama-next-token-scorer.js";
import { OracleVerifier } from "./oracle-verifier.js";
import { PoolingOrmVerifier } from "./pooling-orm-verifier.js";
import { PoolingPrmVerifier } from "./pooling-prm-verifier.js";
import { SelfCertaintyVerifier } from "./self-certainty-verifier.js";
import { demoPrmFormat } from "./token-reward-format.js";
import { TokenRewardVerifier } from "./token-reward-verifier.js";

/** A judge that always answers "Score: 7" (a hand-set bigram model on the real engine). */
const SAYS_SEVEN = [[OTHER, "S"], ["S", "c"], ["c", "o"], ["o", "r"], ["r", "e"], ["e", ":"], [":", " "], [" ", "7"], ["7", EOS]] as const;

// The loopback server copies vLLM's documented API (test/loopback-engine-routes.ts): vLLM cannot run
// here. llama.cpp's own server runs for real, with the shipped demo PRM and the embedded engine on
// the same file beside it.
const withLlamaServer = llamaServerSkipReason() === undefined;

let tiny: LlamaEngine;
let demoPrm: LlamaEngine;
let judgeEngine: LlamaEngine;
let server: LoopbackServer;
let judgeServer: LoopbackServer;
let prmServer: LlamaServer | undefined;
let judgeLlamaServer: LlamaServer | undefined;
before(async () => {
  tiny = await LlamaEngine.load({ model: await tinyModelPath(), threads: 1, sequences: 4, contextSize: 512 });
  demoPrm = await LlamaEngine.load({ model: shippedModel("prm"), threads: 1, sequences: 4, contextSize: 512 });
  judgeEngine = await LlamaEngine.load({ model: await scriptedModelPath(SAYS_SEVEN), threads: 1, sequences: 4, contextSize: 512 });
  server = await startLoopbackServer({ engine: tiny, pooling: { version: "v0.11", tag: " ки", positive: "+", negative: "-" } });
  judgeServer = await startLoopbackServer({ engine: judgeEngine });
  if (withLlamaServer) {
    [prmServer, judgeLlamaServer] = await Promise.all([
      startLlamaServer({ model: shippedModel("prm"), slots: 4, contextPerSlot: 512 }),
      startLlamaServer({ model: await scriptedModelPath(SAYS_SEVEN), alias: "judge", slots: 4, contextPerSlot: 512 }),
    ]);
  }
});
after(async () => {
  await server.close();
  await judgeServer.close();
  await prmServer?.close();
  await judgeLlamaServer?.close();
  await tiny.dispose();
  await demoPrm.dispose();
  await judgeEngine.dispose();
});

const client = () => new OpenAIClient({ baseURL: server.baseURL });
const llamaClient = () => new OpenAIClient({ baseURL: prmServer!.baseURL });
const httpPrm = (mode: LogprobsMode) => new TokenRewardVerifier({ scorer: new HttpNextTokenScorer({ client: client(), model: "loopback", mode, topLogprobs: 400 }), format: demoPrmFormat });
const badFormat = () => new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(tiny), format: { ...demoPrmFormat, step: "no placeholder" } });

verifierConformance(() => [
  {
    name: "token PRM, embedded engine (demo format)",
    make: () => new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(tiny), format: demoPrmFormat }),
    badConfigs: [
      { field: "format.step", build: badFormat },
      { field: "kind", build: () => new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(tiny), format: demoPrmFormat, kind: "steps" as "process" }) },
    ],
  },
  {
    name: "token ORM, embedded engine (demo format, whole solution)",
    make: () => new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(tiny), format: demoPrmFormat, kind: "outcome" }),
    badConfigs: [{ field: "cacheSize", build: () => new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(tiny), format: demoPrmFormat, cacheSize: -1 }) }],
  },
  ...(["echo", "prompt-logprobs", "top-logprobs"] as const).map((mode) => ({
    name: `token PRM over HTTP (${mode})`,
    make: () => httpPrm(mode),
    badConfigs: [
      { field: "mode", build: () => new HttpNextTokenScorer({ client: client(), model: "loopback", mode: "logits" as LogprobsMode }) },
      { field: "topLogprobs", build: () => new HttpNextTokenScorer({ client: client(), model: "loopback", topLogprobs: 0 }) },
    ],
  })),
  {
    name: "pooling PRM over HTTP (vLLM pooling API)",
    make: () => new PoolingPrmVerifier({ client: client(), model: "loopback", stepTag: " ки" }),
    badConfigs: [
      { field: "stepTag", build: () => new PoolingPrmVerifier({ client: client(), model: "loopback", stepTag: "" }) },
      { field: "api", build: () => new PoolingPrmVerifier({ client: client(), model: "loopback", api: "rerank" as "pooling" }) },
    ],
  },
  {
    name: "pooling ORM over HTTP (vLLM classify API)",
    make: () => new PoolingOrmVerifier({ client: client(), model: "loopback" }),
    badConfigs: [
      { field: "template", build: () => new PoolingOrmVerifier({ client: client(), model: "loopback", template: "{question}" }) },
      { field: "activation", build: () => new PoolingOrmVerifier({ client: client(), model: "loopback", activation: "tanh" as "none" }) },
    ],
  },
  {
    name: "LLM judge, embedded engine",
    make: () => new JudgeVerifier({ generator: new LlamaGenerator(judgeEngine, judgePromptTemplate) }),
    badConfigs: [{ field: "scale", build: () => new JudgeVerifier({ generator: new LlamaGenerator(judgeEngine, judgePromptTemplate), scale: 0 }) }],
  },
  {
    name: "LLM judge over HTTP (chat)",
    make: () =>
      new JudgeVerifier({ generator: new OpenAIGenerator({ client: new OpenAIClient({ baseURL: judgeServer.baseURL }), model: "loopback", api: "chat", system: "", template: judgePromptTemplate }) }),
    badConfigs: [{ field: "prompt", build: () => new JudgeVerifier({ generator: new LlamaGenerator(judgeEngine, judgePromptTemplate), prompt: "no solution shown" }) }],
  },
  {
    name: "token PRM, embedded engine (the shipped demo PRM)",
    make: () => new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(demoPrm), format: demoPrmFormat }),
    badConfigs: [{ field: "format.negative", build: () => new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(demoPrm), format: { ...demoPrmFormat, negative: "+" } }) }],
  },
  ...(withLlamaServer
    ? [
        {
          name: "token PRM on llama-server (the shipped demo PRM, token ids)",
          make: async () => new TokenRewardVerifier({ scorer: await HttpNextTokenScorer.connect({ client: llamaClient(), model: "prm" }), format: demoPrmFormat }),
          badConfigs: [
            { field: "mode", build: () => new HttpNextTokenScorer({ client: llamaClient(), model: "prm", server: "vllm", mode: "token-ids" }) },
            { field: "server", build: () => new HttpNextTokenScorer({ client: llamaClient(), model: "prm", server: "tgi" as "vllm" }) },
          ],
        },
        {
          name: "token ORM on llama-server (the shipped demo PRM, whole solution)",
          make: async () => new TokenRewardVerifier({ scorer: await HttpNextTokenScorer.connect({ client: llamaClient(), model: "prm" }), format: demoPrmFormat, kind: "outcome" }),
          badConfigs: [{ field: "model", build: () => new HttpNextTokenScorer({ client: llamaClient(), model: "" }) }],
        },
        {
          name: "LLM judge on llama-server (chat)",
          make: async () =>
            new JudgeVerifier({ generator: await OpenAIGenerator.connect({ client: new OpenAIClient({ baseURL: judgeLlamaServer!.baseURL }), model: "judge", api: "chat", system: "", template: judgePromptTemplate }) }),
          badConfigs: [{ field: "scale", build: () => new JudgeVerifier({ generator: new LlamaGenerator(judgeEngine, judgePromptTemplate), scale: -1 }) }],
        },
      ]
    : []),
  {
    name: "self-certainty, embedded engine",
    make: () => new SelfCertaintyVerifier({ policy: new LlamaGenerator(tiny, demoTemplate) }),
    badConfigs: [
      { field: "confidenceMeasure", build: () => new SelfCertaintyVerifier({ policy: new LlamaGenerator(tiny, demoTemplate), measure: "median" as "tail" }) },
      { field: "kind", build: () => new SelfCertaintyVerifier({ policy: new LlamaGenerator(tiny, demoTemplate), kind: "steps" as "process" }) },
    ],
  },
  {
    name: "oracle",
    make: () => new OracleVerifier({ answers: testAnswerReader }),
    badConfigs: [{ field: "answers", build: () => new OracleVerifier({ answers: {} as AnswerReader }) }],
  },
]);
