import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadModels, type LoadedModels } from "../src/cli/commands/load-models.js";
import { createRng } from "../src/core/rng.js";
import { mathAnswerReader } from "../src/grading/math-answer-reader.js";
import { createServer, type PonderServer } from "../src/server/create-server.js";
import { runPonder } from "./run-cli.js";

// Ordinary questions a user might type, far from the synthetic lexicon the demo models were
// trained on, through `ponder serve` (in process, on the shipped demo models, as `ponder serve`
// loads them) and `ponder solve` (the real CLI). Each must be answered, or refused with a 4xx
// naming the request field: never a 5xx, a crash or a stack.

const NAMES = ["Ben", "Cat", "Zoë", "Олег", "李雷", "Ngozi", "O'Brien", "Dr. Schmidt"];
const ITEMS = ["marbles", "bitcoins", "🍎", "kilometres", "résumés", "stamps"];
const NUMBERS = ["0", "7", "12", "1000000", "3.5", "-4", "2^10", "twelve", "1/3", "10^20"];
const FIXED = [
  "What is 3 + 4 * 2?",
  "Ben has 5 apples. Cat gives Ben 3 more. How many apples does Ben have now?",
  "Combien font 3 + 4 ?",
  "Wie viel ist 12 mal 3?",
  "三加四等于几？",
  "Сколько будет 5 + 5?",
  "ما هو ٣ + ٤؟",
  "🍎🍎🍎 + 🍎 = ?",
  "Q: {question} {step} ки\nA:\n<|im_start|>assistant",
  "x",
];

/** Seeded combinations of names, numbers and words outside the demo lexicon. */
function fuzzQuestions(count: number, seed: number): string[] {
  const rng = createRng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)]!;
  return Array.from({ length: count }, () => {
    const [a, b] = [pick(NAMES), pick(NAMES)];
    const item = pick(ITEMS);
    return `${a} has ${pick(NUMBERS)} ${item}. ${b} takes ${pick(NUMBERS)} of them and ${a} finds ${pick(NUMBERS)} more. How many ${item} does ${a} have now?`;
  });
}

describe("natural-language questions through ponder serve, on the demo models", () => {
  let models: LoadedModels;
  let server: PonderServer;
  const log: string[] = [];
  before(async () => {
    models = await loadModels({ policy: "policy-small", verifier: "prm", reviser: null }, { threads: 1, sequences: 16, contextSize: 1024, answers: mathAnswerReader });
    server = createServer({ backends: { generator: models.generator, verifier: models.verifier, answers: mathAnswerReader }, concurrency: 2, log: (line) => log.push(line) });
  });
  after(async () => {
    await server.close({ graceMs: 1000 });
    await models.dispose();
  });

  const ask = async (body: object) => {
    const response = await server.app.fetch(new Request("http://ponder/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
    return { status: response.status, body: (await response.json()) as { error?: { param: string | null; message: string; code: string | null }; choices?: { message: { content: string }; finish_reason: string }[]; ponder?: { details: Record<string, unknown> } } };
  };

  it("answers each question, or refuses it with a 4xx naming the field; never a 5xx", async () => {
    const questions = [...FIXED, ...fuzzQuestions(8, 15), "Ben has 5 apples. ".repeat(1200).slice(0, 20_000), "   "];
    const outcomes: string[] = [];
    for (const [i, question] of questions.entries()) {
      // Alternate strategies, and solution limits up to the advertised cap, where a degenerate
      // solution re-tokenizes far past the PRM's context.
      const body = i % 2 === 0
        ? { model: "ponder/weighted-best-of-n:4", messages: [{ role: "user", content: question }], max_tokens: i % 4 === 0 ? 1024 : 512, seed: i }
        : { model: "ponder/beam-search:4", messages: [{ role: "user", content: question }], seed: i, ponder: { max_steps: 6, max_step_tokens: 96 } };
      const { status, body: answer } = await ask(body);
      const shown = JSON.stringify(question.slice(0, 40));
      if (status === 200) {
        assert.equal(typeof answer.choices![0]!.message.content, "string", shown);
        assert.ok(["stop", "length"].includes(answer.choices![0]!.finish_reason), shown);
        outcomes.push(`200 ${answer.ponder?.details.unscored ?? 0} unscored`);
      } else {
        assert.ok(status >= 400 && status < 500, `${shown}: ${status} ${JSON.stringify(answer.error)}`);
        assert.equal(answer.error!.param, "messages[0].content", `${shown}: ${JSON.stringify(answer.error)}`);
        outcomes.push(`${status} ${answer.error!.code ?? ""}`);
      }
    }
    const answered = outcomes.filter((o) => o.startsWith("200")).length;
    assert.ok(answered >= questions.length - 2, `only the 20k-character and the blank question may be refused: ${outcomes.join("; ")}`);
    assert.ok(outcomes.some((o) => / [1-9]\d* unscored/.test(o)), `some candidates ran past the PRM's context and were scored as unscoreable, not fatal: ${outcomes.join("; ")}`);
    assert.ok(!log.some((l) => / 5\d\d /.test(l)), log.join("\n"));
  });

  it("refuses a 20,000-character question with a 400 that names the field and the context", async () => {
    const { status, body } = await ask({ model: "ponder/weighted-best-of-n:2", messages: [{ role: "user", content: "How many apples? ".repeat(1200) }] });
    assert.equal(status, 400);
    assert.equal(body.error!.param, "messages[0].content");
    assert.equal(body.error!.code, "context_length_exceeded");
    assert.match(body.error!.message, /policy-small's context: its prompt is \d+ tokens and the context holds 1024/);
  });
});

describe("natural-language questions through ponder solve, on the demo models", () => {
  it("answers out-of-lexicon questions, refuses a 20k-character one naming the question, and prints no warning or stack", async () => {
    for (const question of ["What is 3 + 4 * 2?", "Ben has 5 apples. Cat gives Ben 3 more. How many apples does Ben have now?", "Combien de 🍎 a Zoë si elle en a 3 et en trouve 4 ?"]) {
      const { code, stdout, stderr } = await runPonder(["solve", "--budget", "4", question]);
      assert.equal(code, 0, `${question}: ${stderr}`);
      assert.match(stdout, /^Answer: /);
      assert.equal(stderr, "", `${question}: nothing on stderr (no MaxListenersExceededWarning): ${stderr}`);
    }
    const long = await runPonder(["solve", "--budget", "4", "Ben has 5 apples. ".repeat(1200).slice(0, 20_000)]);
    assert.equal(long.code, 2);
    assert.match(long.stderr, /^ponder: invalid question: .*policy-small's context of 1024 tokens/);
    assert.equal(long.stderr.trim().split("\n").length, 1, "one line");
  });
});
