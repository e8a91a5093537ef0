import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadsEmbeddedModels } from "./early-start.js";

describe("loadsEmbeddedModels", () => {
  it("is true for the commands that load models with the shipped (embedded) models", () => {
    assert.equal(loadsEmbeddedModels(["eval", "--limit", "10"], {}), true);
    assert.equal(loadsEmbeddedModels(["solve", "What is 2 + 2?"], {}), true);
    assert.equal(loadsEmbeddedModels(["serve", "--policy", "models/policy-small.gguf"], {}), true);
  });

  it("is false for commands without models, help, endpoints and config files", () => {
    assert.equal(loadsEmbeddedModels(["report", "runs/demo"], {}), false);
    assert.equal(loadsEmbeddedModels([], {}), false);
    assert.equal(loadsEmbeddedModels(["eval", "--help"], {}), false);
    assert.equal(loadsEmbeddedModels(["eval", "--policy", "http://localhost:8080/v1?model=x"], {}), false);
    assert.equal(loadsEmbeddedModels(["eval", "--config", "ponder.json"], {}), false);
    assert.equal(loadsEmbeddedModels(["eval"], { PONDER_CONFIG: "ponder.json" }), false);
    assert.equal(loadsEmbeddedModels(["solve", "2 + 2"], { PONDER_POLICY: "https://api.example.com/v1?model=x" }), false);
  });
});
