// The grading module's public surface: extraction, equivalence, canonical keys, answer readers.
export { answersEqual, compareAnswers, type AnswersEqualOptions, type AnswerComparison } from "./answers-equal.js";
export { extractAnswer } from "./extract-answer.js";
export { extractionPresets, extractionFor, type ExtractionOptions, type AnchorName, type ExtractionPresetName } from "./extraction-presets.js";
export { canonicalAnswer } from "./canonical-answer.js";
export { mathAnswerReader, answerReader, answerReaderFor } from "./math-answer-reader.js";
export { gradePair, caseSettings, type GradingCase, type PairGrade, type ExtractFrom } from "./grade-pair.js";
export { parseAnswer } from "./parse-answer.js";
export type { Answer, MathNode } from "./math-node.js";
