// ponder for the Vercel AI SDK (`ponder-ttc/ai-sdk`): test-time compute as a language model
// middleware, ponder's generators as AI SDK language models. Types from @ai-sdk/provider v3 (ai@6).
export { ponderMiddleware, progressLine, type PonderMiddlewareOptions } from "./ponder-middleware.js";
export { ponderMetadata, type PonderSearchMetadata } from "./ponder-metadata.js";
export { ponderLanguageModel, type PonderLanguageModelOptions } from "./ponder-language-model.js";
export { LanguageModelGenerator, type LanguageModelGeneratorOptions } from "./language-model-generator.js";
export { toSdkUsage, addSdkUsage } from "./sdk-usage.js";
