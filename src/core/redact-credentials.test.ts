import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redactCredentials } from "./redact-credentials.js";

describe("redactCredentials", () => {
  it("masks user info, credential query values, authorization headers, bearer tokens and given secrets", () => {
    const cases: [string, string][] = [
      ["POST http://user:pass@10.0.0.1:8000/v1/completions failed", "POST http://[redacted]@10.0.0.1:8000/v1/completions failed"],
      ["GET https://h/v1?model=m&api_key=sk-123&key-env=K", "GET https://h/v1?model=m&api_key=[redacted]&key-env=K"],
      ["https://h/v1?x-goog-api-key=abc&model=m", "https://h/v1?x-goog-api-key=[redacted]&model=m"],
      ['headers: {"Authorization": "Bearer sk-live-999"}', 'headers: {"Authorization": "[redacted]"}'],
      ["x-api-key: s3cr3t, cookie=a1b2", "x-api-key: [redacted], cookie=[redacted]"],
      ["sent Bearer abcd.efgh-ijkl", "sent Bearer [redacted]"],
    ];
    for (const [text, expected] of cases) assert.equal(redactCredentials(text), expected, text);
    assert.equal(redactCredentials("the key sesame-long was wrong", ["sesame", "sesame-long"]), "the key [redacted] was wrong");
  });

  it("keeps ponder's own advice and option names readable", () => {
    for (const text of [
      "Missing API key: send the header Authorization: Bearer <key>.",
      "http://h/v1?model=qwen&key-env=OPENAI_API_KEY&retries=2",
      "invalid --policy: expected model, api, template, key-env",
    ]) assert.equal(redactCredentials(text), text);
  });
});
