/** A SentencePiece-style vocabulary as llama.cpp's `llama` tokenizer reads it. */
export interface SpmVocab {
  tokens: string[];
  /** Merge priority: llama.cpp merges the adjacent pair whose joined token scores highest. */
  scores: number[];
  /** 1 normal, 2 unknown, 3 control, 6 byte. */
  types: number[];
  unk: number;
  bos: number;
  eos: number;
}

export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

/** SentencePiece writes a space as U+2581. */
export const SPM_SPACE = "\u2581";

/**
 * A vocabulary of `<unk>`, `<s>`, `</s>`, the 256 byte-fallback tokens (so no text can crash the
 * tokenizer) and then `pieces` in order (spaces written as " " are stored as U+2581).
 * llama.cpp builds a piece by merging adjacent pairs, so every prefix of a multi-character piece is
 * added too (before it) when missing; longer pieces score higher so they win the merges.
 * @param byteFallback leave out the byte tokens only to test a vocabulary that lacks them.
 */
export function buildSpmVocab(pieces: readonly string[], { byteFallback = true }: { byteFallback?: boolean } = {}): SpmVocab {
  const tokens = ["<unk>", "<s>", "</s>"];
  const types: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  const scores = [0, 0, 0];
  if (byteFallback) {
    for (let b = 0; b < 256; b++) {
      tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
      types.push(TOKEN_TYPE.byte);
      scores.push(0);
    }
  }
  const seen = new Set(tokens);
  const add = (token: string) => {
    seen.add(token);
    tokens.push(token);
    types.push(TOKEN_TYPE.normal);
    const length = [...token].length;
    scores.push(length === 1 ? -1000 + tokens.length * 1e-3 : length - tokens.length * 1e-6);
  };
  const explicit = new Set<string>();
  for (const piece of pieces) {
    const token = piece.replaceAll(" ", SPM_SPACE);
    if (explicit.has(token)) throw new Error(`duplicate vocabulary piece ${JSON.stringify(piece)}`);
    explicit.add(token);
    const chars = [...token];
    for (let end = 2; end < chars.length; end++) {
      const prefix = chars.slice(0, end).join("");
      if (!seen.has(prefix)) add(prefix);
    }
    if (!seen.has(token)) add(token);
  }
  return { tokens, scores, types, unk: 0, bos: 1, eos: 2 };
}
