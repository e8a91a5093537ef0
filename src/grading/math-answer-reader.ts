import type { AnswerReader } from "../core/answer-reader.js";
import { canonicalAnswer } from "./canonical-answer.js";
import { extractAnswer } from "./extract-answer.js";
import { extractionFor, extractionPresets, type ExtractionOptions } from "./extraction-presets.js";

/** An AnswerReader that extracts with `options` and keys answers by `canonicalAnswer`. */
export function answerReader(options: ExtractionOptions = extractionPresets.math): AnswerReader {
  return {
    extract: (solutionText) => extractAnswer(solutionText, options),
    canonical: canonicalAnswer,
  };
}

/**
 * The default reader for mathematical text: boxed answers, "The final answer is", "The answer
 * is" (the demo models' last line), "Answer:", then the last formula or number.
 */
export const mathAnswerReader: AnswerReader = answerReader(extractionPresets.math);

/** The reader suited to a dataset: GSM8K's "#### n" and "A: n" for gsm8k, the math reader otherwise. */
export function answerReaderFor(dataset: string): AnswerReader {
  return answerReader(extractionFor(dataset));
}
