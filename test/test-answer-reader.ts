import type { AnswerReader } from "../src/core/answer-reader.js";

/** Reads "The answer is N" (the demo format) with a regex; for tests that must not depend on the grading module. */
export const testAnswerReader: AnswerReader = {
  extract(text) {
    const matches = [...text.matchAll(/The answer is\s*(-?\d+)/g)];
    return matches.length > 0 ? matches[matches.length - 1]![1]! : null;
  },
  canonical: (answer) => String(Number(answer)),
};
