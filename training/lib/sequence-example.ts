import type { DemoTokenizer } from "./demo-tokenizer.js";

/** One training sequence for the Python trainer: BOS, prompt, target; loss on ids[start:]. */
export interface SequenceExample {
  ids: number[];
  /** Index of the first token the loss is taken on (the first token after the prompt). */
  start: number;
  level?: number;
}

/**
 * BOS + prompt + target + EOS, tokenized as one text the way the engine tokenizes a prompt that
 * already holds earlier steps; checks that the prompt's tokens are a prefix of the whole (so the
 * split point is the one generation starts from).
 */
export function sequenceExample(tokenizer: DemoTokenizer, prompt: string, target: string, level?: number): SequenceExample {
  const promptIds = tokenizer.tokenize(prompt);
  const all = tokenizer.tokenize(prompt + target);
  for (let i = 0; i < promptIds.length; i++) {
    if (all[i] !== promptIds[i]) throw new Error(`prompt tokens are not a prefix of prompt + target: ${JSON.stringify(prompt.slice(-40))}`);
  }
  return { ids: [tokenizer.bos, ...all, tokenizer.eos], start: 1 + promptIds.length, ...(level === undefined ? {} : { level }) };
}
