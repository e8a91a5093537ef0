import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { OpenAIRequestError } from "./errors/openai-request-error.js";
import { ServerUnreachableError } from "./errors/server-unreachable-error.js";
import type { OpenAIClient } from "./openai-client.js";
import { printableUrl } from "./redact-secrets.js";
import { detectServerKind, SERVER_PROFILES, type ServerKind, type ServerProfile } from "./server-kind.js";

/** What ponder learns from a server's model list before it sends it any work. */
export interface ServerInfo {
  kind: ServerKind;
  profile: ServerProfile;
  /** The model name requests carry. */
  model: string;
  /** Every name the server lists (ids and aliases). */
  served: string[];
  /** The model's parameters when the server says (llama.cpp's `meta.n_params`). */
  parameters?: number;
  /** Its vocabulary size when the server says (llama.cpp's `meta.n_vocab`). */
  vocabSize?: number;
}

/**
 * First contact with a server: one `GET /models` that fails within seconds when nothing listens
 * (naming the URL), the server's kind (detected, unless `kind` is given), and the model checked
 * against what it serves, so that a typo fails here, saying which names exist, rather than after
 * hours of requests a lenient server answered with another model.
 * @example const info = await connectServer(client, { model: "policy-small" }); info.kind === "llama.cpp"
 */
export async function connectServer(client: OpenAIClient, { model, kind, signal }: { model?: string; kind?: ServerKind; signal?: AbortSignal } = {}): Promise<ServerInfo> {
  let listed;
  try {
    listed = await client.listModels(signal, { firstContact: true });
  } catch (error) {
    if (error instanceof OpenAIRequestError && (error.reason === "network" || error.reason === "timeout")) {
      throw new ServerUnreachableError({ url: printableUrl(client.baseURL), detail: error.message, cause: error });
    }
    throw error;
  }
  const served = [...new Set(listed.flatMap((m) => [m.id, ...(m.aliases ?? [])]))];
  const resolved = kind ?? detectServerKind(listed, client.baseURL);
  const shown = served.length > 12 ? `${served.slice(0, 12).join(", ")}, … (${served.length} in all)` : served.join(", ");
  if (served.length === 0) throw new InvalidOptionError({ field: "model", value: model, accepted: `a model name, but ${printableUrl(client.baseURL)}/models lists none` });
  const name = model ?? listed[0]!.id;
  // Ollama answers "name" for "name:latest".
  const entry = listed.find((m) => m.id === name || (m.aliases ?? []).includes(name) || (resolved === "ollama" && m.id === `${name}:latest`));
  if (!entry) throw new InvalidOptionError({ field: "model", value: name, accepted: `a model ${printableUrl(client.baseURL)} serves: ${shown}` });
  const meta = entry.meta ?? {};
  const positive = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined);
  const parameters = positive(meta.n_params);
  const vocabSize = positive(meta.n_vocab);
  return {
    kind: resolved,
    profile: SERVER_PROFILES[resolved],
    model: name,
    served,
    ...(parameters !== undefined ? { parameters } : {}),
    ...(vocabSize !== undefined ? { vocabSize } : {}),
  };
}
