import { buildSpmVocab, type SpmVocab } from "../gguf/spm-vocab.js";
import { FRAME_PIECES, ITEMS, NAMES, PHRASES } from "../datasets/synthetic/lexicon.js";

/** The step tag of the demo PRM format (Math-Shepherd's), a single token. */
export const STEP_TAG = " ки";

/**
 * Word pieces of the demo vocabulary: every phrase of the synthetic benchmark split at its number,
 * names and items with and without a leading space, the operators of a solution
 * step with their spaces, and the PRM step tag. Digits stay single characters, so every number is
 * spelled digit by digit and the models learn arithmetic on digits.
 */
export function demoVocabPieces(): string[] {
  const phrases = Object.values(PHRASES).flatMap((list) => list.flatMap((p) => p.split("{n}")));
  const pieces = [
    "\n",
    // Printable ASCII, so any English text tokenizes without byte fallback.
    ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
    ...NAMES,
    ...NAMES.map((n) => ` ${n}`),
    // Items follow a number (" 12 apples") or a phrase ending in a space ("How many apples").
    ...ITEMS.map((i) => ` ${i}`),
    ...ITEMS,
    ...phrases,
    ...FRAME_PIECES,
    " How many ",
    " + ",
    " - ",
    " * ",
    " / ",
    " = ",
    STEP_TAG,
  ];
  return [...new Set(pieces.filter((p) => p.length > 0))];
}

let cached: SpmVocab | undefined;

/** The one vocabulary of all four demo models. Changing it means retraining them; a test compares it with the shipped GGUFs. */
export function demoVocab(): SpmVocab {
  cached ??= buildSpmVocab(demoVocabPieces());
  return cached;
}
