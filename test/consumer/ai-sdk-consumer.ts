// A strict TypeScript consumer of ponder-ttc/ai-sdk with the AI SDK (ai@6): the middleware around
// any AI SDK model, progress read from the stream, the search read back typed.
import { streamText, wrapLanguageModel, type LanguageModel } from "ai";
import { PonderError, type Verifier } from "ponder-ttc";
import { ponderMetadata, ponderMiddleware, type PonderSearchMetadata } from "ponder-ttc/ai-sdk";

/** Beam search around any AI SDK model, its progress printed as it streams. */
export async function searchAround(model: Exclude<LanguageModel, string>, verifier: Verifier, prompt: string): Promise<PonderSearchMetadata | undefined> {
  if (typeof model !== "object" || model.specificationVersion !== "v3") throw new PonderError("an AI SDK v3 model");
  const wrapped = wrapLanguageModel({ model, middleware: ponderMiddleware({ strategy: "beam-search", budget: { generations: 16, tokens: 4096 }, verifier, options: { beamWidth: 4 }, parameters: 1.5e9 }) });
  const result = streamText({ model: wrapped, prompt, providerOptions: { ponder: { budget: 8 } } });
  for await (const part of result.fullStream) if (part.type === "reasoning-delta") process.stdout.write(part.text);
  return ponderMetadata({ providerMetadata: await result.providerMetadata });
}
