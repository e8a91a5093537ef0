import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { printableUrl, redactSecrets } from "./redact-secrets.js";

describe("redactSecrets", () => {
  const key = "sk-proj-abcdefghijklmnop0123";

  it("masks a key whole, and any 8-character piece of it as servers' partial masks show", () => {
    assert.equal(redactSecrets(`bad key ${key}!`, [key]), "bad key [redacted]!");
    assert.equal(redactSecrets("Incorrect API key provided: sk-proj-****0123 (abcdefghij)", [key]), "Incorrect API key provided: [redacted]****0123 ([redacted])");
    assert.equal(redactSecrets("nothing secret here", [key]), "nothing secret here");
  });

  it("masks short secrets whole and ignores empty ones", () => {
    assert.equal(redactSecrets("token=abc123 and abc123", ["abc123", ""]), "token=[redacted] and [redacted]");
    assert.equal(redactSecrets("plain", []), "plain");
  });
});

describe("printableUrl", () => {
  it("drops user info and query strings", () => {
    assert.equal(printableUrl("https://user:pw@host:8000/v1/completions?api_key=x"), "https://host:8000/v1/completions");
    assert.equal(printableUrl("not a url"), "<invalid url>");
  });
});
