import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tokenConfidence } from "../../core/token-confidence.js";
import { readTokenStream } from "./token-stream.js";

/** A byte stream cut at awkward places, as a network delivers it. */
function body(text: string, cut = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, (at += cut)));
    },
  });
}

const sse = (chunks: unknown[]) => chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";

// llama.cpp's server on /v1/completions (as recorded from llama-server b1-de3ff81): the chat layout.
const llamaCpp = (token: string, logprob: number, top: number[], finish: string | null = null) => ({
  choices: [{ text: token, index: 0, logprobs: { content: [{ token, logprob, top_logprobs: top.map((lp) => ({ token: "?", logprob: lp })) }] }, finish_reason: finish }],
});
// vLLM on /v1/completions: the legacy layout.
const vllm = (token: string, logprob: number, top: number[], finish: string | null = null) => ({
  choices: [{ index: 0, text: token, logprobs: { tokens: [token], token_logprobs: [logprob], top_logprobs: [Object.fromEntries(top.map((lp, i) => [`t${i}`, lp]))] }, finish_reason: finish }],
});

describe("readTokenStream", () => {
  for (const [name, chunk] of [["llama.cpp layout", llamaCpp], ["legacy layout", vllm]] as const) {
    it(`reads text, log-probabilities and each token's confidence (${name})`, async () => {
      const text = sse([chunk("3", -0.1, [-0.1, -3]), chunk(" + ", -0.5, [-0.5, -1.2]), chunk("4", -2, [-0.3, -2], "length"), { choices: [], usage: { completion_tokens: 3 } }]);
      const out = await readTokenStream(body(text), { confidence: { signal: "top-k", topK: 20 }, abort: () => assert.fail("not stopped") });
      assert.equal(out.text, "3 + 4");
      assert.equal(out.finishReason, "length");
      assert.equal(out.tokens, 3);
      assert.deepEqual(out.tokenLogprobs, [-0.1, -0.5, -2]);
      assert.deepEqual(out.tokenConfidences, [tokenConfidence([-0.1, -3]), tokenConfidence([-0.5, -1.2]), tokenConfidence([-0.3, -2])]);
      assert.deepEqual(out.usage, { completion_tokens: 3 });
    });
  }

  it("stops reading and closes the stream when onToken says stop", async () => {
    let aborted = 0;
    const seen: number[] = [];
    const text = sse([llamaCpp("1", -0.1, [-0.1]), llamaCpp("2", -4, [-0.2]), llamaCpp("3", -0.1, [-0.1]), llamaCpp("4", -0.1, [-0.1], "stop")]);
    const out = await readTokenStream(body(text, 3), {
      confidence: { signal: "likelihood", topK: 20 },
      onToken: ({ count, confidence }) => (seen.push(confidence), count === 2 ? "stop" : undefined),
      abort: () => aborted++,
    });
    assert.equal(aborted, 1);
    assert.equal(out.finishReason, "stopped");
    assert.equal(out.tokens, 2);
    assert.equal(out.text, "12");
    assert.deepEqual(seen, [-0.1, -4], "likelihood: the written token's own log-probability");
  });

  it("ends a step at its delimiter itself, closing the stream, since a streamed \"stop\" cannot say whether the delimiter or end-of-sequence ended it", async () => {
    let aborted = 0;
    const text = sse([llamaCpp("Ann", -0.1, [-0.1]), llamaCpp(" has 3.", -0.2, [-0.2]), llamaCpp("\nShe", -0.3, [-0.3]), llamaCpp(" buys", -0.1, [-0.1], "length")]);
    const out = await readTokenStream(body(text), { confidence: { signal: "likelihood", topK: 20 }, stopAt: "\n", abort: () => aborted++ });
    assert.equal(aborted, 1);
    assert.equal(out.finishReason, "stop-string");
    assert.equal(out.tokens, 3, "the token that wrote the delimiter was generated and counts");
    assert.equal(out.text, "Ann has 3.\nShe");
    // Without the delimiter, the server's own "stop" is end-of-sequence: the solution ended.
    const ended = await readTokenStream(body(sse([llamaCpp("42", -0.1, [-0.1], "stop")])), { confidence: { signal: "likelihood", topK: 20 }, stopAt: "\n", abort: () => assert.fail("it had ended") });
    assert.equal(ended.finishReason, "stop");
  });

  it("leaves out the prefilled text a server echoes in front of a continued assistant message", async () => {
    const echoed = "Ann has 3.\n";
    const text = sse([llamaCpp("Ann has", -0.1, [-0.1]), llamaCpp(" 3.\n", -0.1, [-0.1]), llamaCpp("She buys 4.", -0.2, [-0.2], "length")]);
    const out = await readTokenStream(body(text, 5), { confidence: { signal: "likelihood", topK: 20 }, echoed, abort: () => assert.fail("not stopped") });
    assert.equal(out.text, "She buys 4.");
    // A server that does not echo: the text is the continuation as it came.
    const plain = await readTokenStream(body(sse([llamaCpp("She", -0.1, [-0.1], "length")])), { confidence: { signal: "likelihood", topK: 20 }, echoed, abort: () => assert.fail("not stopped") });
    assert.equal(plain.text, "She");
  });

  it("keeps the server's finish reason when the last token is also told to stop", async () => {
    const out = await readTokenStream(body(sse([llamaCpp("1", -0.1, [-0.1], "stop")])), { confidence: { signal: "top-k", topK: 20 }, onToken: () => "stop", abort: () => assert.fail("it had ended") });
    assert.equal(out.finishReason, "stop");
  });
});
