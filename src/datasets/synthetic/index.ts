export { loadSynthetic, parseLevels, DEFAULT_LEVELS, MAX_LEVEL, type SyntheticOptions } from "./load-synthetic.js";
export { generateSyntheticProblem, answerLine, solutionLines, distractorsAt, MAX_VALUE, type SyntheticProblem, type SyntheticStep } from "./generate-problem.js";
export { NAMES, ITEMS, PHRASES, SYMBOLS, FRAME_PIECES, type Operation } from "./lexicon.js";
export { readFinalAnswer } from "./read-final-answer.js";
export { syntheticAnswerReader, answersGold } from "./synthetic-answer-reader.js";
