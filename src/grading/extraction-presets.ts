/** Phrases that introduce a final answer. */
export type AnchorName =
  /** `\boxed{...}` / `\fbox{...}`: the last box, with the boxes joined to it by "and" or commas. */
  | "boxed"
  /** "The final answer is X" (Minerva style, often followed by "I hope it is correct"). */
  | "final-answer"
  /** "The answer is X" (ponder's demo models write this line). */
  | "answer-is"
  /** "Answer: X", "Final Answer: X". */
  | "answer-colon"
  /** GSM8K's "#### X". */
  | "hash"
  /** "A: X" at the start of a line (GSM8K's example model solutions). */
  | "a-colon";

/** How to find the final answer in a solution text. */
export interface ExtractionOptions {
  /** Anchors in priority tiers: the first tier with a usable match decides; within a tier the match that starts last wins. */
  tiers: AnchorName[][];
  /** With no anchor: take the last formula (`math`), the last number (`number`), whichever ends later (`math-or-number`), or nothing. */
  fallback: "math-or-number" | "math" | "number" | "none";
  /** With no anchor, a short one-line text that parses as an answer is the answer. */
  wholeText: boolean;
  /**
   * Where boxes rank among the anchors, as Math-Verify's `boxed_match_priority`: below 50,
   * before every anchor; 50, with "final answer is" (ponder's default); up to 100, before
   * "Answer:"; up to 200, with it; above 200, after every anchor; negative, boxes are ignored.
   */
  boxedMatchPriority?: number;
  /**
   * Which boxes state the answer. Unset (the default): the last box with the boxes joined to it
   * by "and" or commas, and, when the text has more boxes, all of them as an alternative answer
   * (a multi-part answer boxed part by part). `last`: the last box and those joined to it only
   * (Math-Verify's extraction). `all`: every box in the text as one list (Math-Verify's boxed="all").
   */
  boxes?: "last" | "all";
}

/** The anchor tiers in force, with the boxes moved as `boxedMatchPriority` says. */
export function effectiveTiers(options: ExtractionOptions): AnchorName[][] {
  const p = options.boxedMatchPriority;
  if (p === undefined) return options.tiers;
  const tiers: AnchorName[][] = options.tiers.map((tier) => tier.filter((name) => name !== "boxed"));
  const find = (name: AnchorName) => tiers.findIndex((tier) => tier.includes(name));
  if (p < 0) return tiers.filter((t) => t.length > 0);
  if (p < 50) tiers.unshift(["boxed"]);
  else if (p === 50) (tiers[Math.max(0, find("final-answer"))] ??= []).push("boxed");
  else if (p < 100) tiers.splice(Math.max(0, find("final-answer")) + 1, 0, ["boxed"]);
  else if (p <= 200 && find("answer-colon") >= 0) tiers[find("answer-colon")]!.push("boxed");
  else tiers.push(["boxed"]);
  return tiers.filter((t) => t.length > 0);
}

const MATH_TIERS: AnchorName[][] = [["boxed", "final-answer"], ["answer-is", "answer-colon"]];

/** Extraction defaults per dataset; `math` suits any LaTeX-writing model and is the default. */
export const extractionPresets = {
  /** MATH, MATH-500, AIME, AMC, and model solutions that box their answers. */
  math: { tiers: MATH_TIERS, fallback: "math-or-number", wholeText: true },
  /** GSM8K: "#### n" in references, "A: n" in the example solutions, then the math anchors, then the last number. */
  gsm8k: { tiers: [["hash", "a-colon"], ...MATH_TIERS], fallback: "number", wholeText: true },
  /** Only formulas (`$...$`, `\[...\]`, boxes) count: Math-Verify's LaTeX-only extraction. */
  latex: { tiers: MATH_TIERS, fallback: "math", wholeText: false },
  /** Only plain numbers and expressions count: Math-Verify's expression-only extraction. */
  expr: { tiers: MATH_TIERS, fallback: "number", wholeText: true },
  /** Anchored answers only; no fallback. */
  strict: { tiers: [["boxed", "final-answer", "hash"], ["answer-is", "answer-colon", "a-colon"]], fallback: "none", wholeText: false },
} satisfies Record<string, ExtractionOptions>;

export type ExtractionPresetName = keyof typeof extractionPresets;

/** The extraction preset suited to a dataset name (built-in or family: "gsm8k", "math500", "aime24"). */
export function extractionFor(dataset: string): ExtractionOptions {
  return /gsm/i.test(dataset) ? extractionPresets.gsm8k : extractionPresets.math;
}
