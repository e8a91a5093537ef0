import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { apiKeyAuth } from "./api-key-auth.js";
import { chatEndpoint, completionsEndpoint } from "./completion-endpoint.js";
import { ApiError } from "./errors/api-error.js";
import { completionHandler } from "./handle-completion.js";
import { MODEL_PREFIX, modelName, parseModelName } from "./parse-model-name.js";
import type { ServerRuntime } from "./server-runtime.js";
import { toApiError } from "./to-api-error.js";

export interface RouteOptions {
  /** Bearer key every `/v1` route requires, when set. */
  apiKey?: string | undefined;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
}

/**
 * The HTTP surface: `/v1/chat/completions`, `/v1/completions`, `/v1/models` (and `/v1/models/{id}`)
 * behind the API key and the body size limit, and an open `/health` for load balancers.
 * Every failure is answered in OpenAI's error shape.
 */
export function createRoutes(runtime: ServerRuntime, { apiKey, bodyLimitBytes }: RouteOptions): Hono {
  const app = new Hono();
  const created = Math.floor(Date.now() / 1000);

  app.get("/health", (c) =>
    c.json({ status: runtime.draining ? "draining" : "ok", running: runtime.queue.running, queued: runtime.queue.queued, in_flight: runtime.inFlight.count }, runtime.draining ? 503 : 200),
  );

  const v1 = new Hono();
  if (apiKey !== undefined) v1.use("*", apiKeyAuth(apiKey));
  v1.use(
    "*",
    bodyLimit({
      maxSize: bodyLimitBytes,
      onError: () => {
        throw new ApiError({ status: 413, type: "invalid_request_error", code: "request_too_large", message: `the request body is larger than this server's limit of ${bodyLimitBytes} bytes` });
      },
    }),
  );
  v1.get("/models", (c) => c.json({ object: "list", data: servedModels(runtime).map((m) => describeModel(m, created, runtime)) }));
  v1.get("/models/:id{.+}", (c) => {
    const id = c.req.param("id");
    parseModelName(id, servedStrategies(runtime), runtime.context.upstreams);
    return c.json(describeModel(id, created, runtime));
  });
  v1.post("/chat/completions", completionHandler(chatEndpoint, runtime));
  v1.post("/completions", completionHandler(completionsEndpoint, runtime));
  app.route("/v1", v1);

  app.notFound(() => {
    throw new ApiError({ status: 404, type: "not_found_error", code: "unknown_route", message: "no such route; ponder serves /v1/chat/completions, /v1/completions, /v1/models and /health" });
  });
  app.onError((error, c) => {
    const apiError = toApiError(error, "body");
    if (apiError.status === 429) runtime.counts.rejected++;
    // Every refusal is logged (401, 404, 413, 429, a malformed body …), each once.
    if (!runtime.logged.has(apiError)) runtime.log(`${c.req.method} ${c.req.path} ${apiError.status} ${apiError.code ?? apiError.type}: ${apiError.message}`);
    return c.json(apiError.toBody(), apiError.status as ContentfulStatusCode, apiError.headers);
  });
  return app;
}

/** Strategies this server can run: those needing a verifier only with one, `auto` only with a policy. */
export function servedStrategies(runtime: ServerRuntime): string[] {
  const { strategies, hasVerifier, policy } = runtime.context;
  return Object.entries(strategies)
    .filter(([name, entry]) => (!entry.needsVerifier || hasVerifier) && (name !== "auto" || policy !== undefined))
    .map(([name]) => name);
}

/** Every strategy on the default policy, then every strategy on each upstream model. */
function servedModels(runtime: ServerRuntime): string[] {
  const strategies = servedStrategies(runtime);
  const upstreams = runtime.context.upstreams ?? [];
  return [MODEL_PREFIX, ...strategies.map((name) => modelName(name)), ...upstreams.flatMap((u) => strategies.map((name) => modelName(name, undefined, u)))];
}

function describeModel(id: string, created: number, runtime: ServerRuntime) {
  const { defaults, strategies, limits, upstreams = [] } = runtime.context;
  const named = parseModelName(id, servedStrategies(runtime), upstreams);
  const strategy = named.strategy ?? defaults.strategy;
  const upstream = named.upstream ?? null;
  return {
    id,
    object: "model",
    created,
    owned_by: "ponder",
    ponder: {
      strategy,
      summary: strategies[strategy]?.summary ?? "",
      upstream,
      default_budget: defaults.budget,
      max_budget: limits.maxBudget,
      name_format: "ponder/<strategy>:<budget>[/<upstream>]",
      upstreams,
    },
  };
}
