/**
 * A token id of a model's vocabulary. The same type as node-llama-cpp's `Token`, declared here so
 * that ponder's published declarations never import node-llama-cpp's: those fail a consumer's
 * type-check with `skipLibCheck: false` (an untyped `async-retry` import, an unknown `tempDir`).
 */
export type Token = number & { __token: never };
