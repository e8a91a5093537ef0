// A strict TypeScript consumer beyond the README's example: the public types used the way a
// library user writes them, under exactOptionalPropertyTypes and both module resolutions.
import { answersEqual, extractAnswer } from "ponder-ttc/grading";
import { bestOfN, majorityVote, PonderError, strategyByName, type AnswerReader, type Generator, type Problem, type SearchEvent, type StrategyResult, type Verifier } from "ponder-ttc";

export async function solveTwice(problem: Problem, generator: Generator, verifier: Verifier): Promise<StrategyResult[]> {
  const answers: AnswerReader = { extract: (text) => extractAnswer(text), canonical: (answer) => answer.trim() };
  const onEvent = (event: SearchEvent) => {
    if (event.type === "round") console.log(event.round, event.bestScore ?? "no score yet");
  };
  const results = [
    await majorityVote(problem, { generator, answers }, { budget: { generations: 4 }, seed: 1 }),
    await bestOfN(problem, { generator, verifier, answers, onEvent }, { budget: { generations: 4 }, seed: 2, temperature: 0.7 }),
    await strategyByName("beam-search").run(problem, { generator, verifier, answers }, { budget: { generations: 8 }, seed: 3 }),
  ];
  if (results.some((r) => r.usage === undefined)) throw new PonderError("a result without usage");
  return results;
}

export const same: boolean = answersEqual("1/2", "0.5");

