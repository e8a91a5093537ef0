import type { AnswerReader } from "../core/answer-reader.js";
import type { Generator } from "../core/generator.js";
import type { Verifier } from "../core/verifier.js";
import type { InFlightTracker } from "./in-flight-tracker.js";
import type { RunContext } from "./plan-run.js";
import type { RequestQueue } from "./request-queue.js";

/** The models a server runs searches on. */
export interface ServerBackends {
  /** The policy that writes solutions. */
  generator: Generator;
  /** Scores candidates; strategies that need one are refused without it. */
  verifier?: Verifier | undefined;
  /** The revision model (default: the generator). */
  reviser?: Generator | undefined;
  /** Other policy models a request may choose by name (`ponder/<strategy>:<budget>/<name>`); each revises its own attempts. */
  upstreams?: Readonly<Record<string, Generator>> | undefined;
  /** Reads final answers and the keys votes group by. */
  answers: AnswerReader;
}

/** What every route handler shares: the backends, what may run, the queue and the shutdown state. */
export interface ServerRuntime {
  backends: ServerBackends;
  context: RunContext;
  queue: RequestQueue;
  inFlight: InFlightTracker;
  /** Set once a graceful shutdown has begun: new requests get 503. */
  draining: boolean;
  /** Milliseconds between SSE keep-alive comments while a search is silent. */
  keepAliveMs: number;
  /** One line per finished request; never sees keys or bodies (lines are redacted before they reach it). */
  log: (line: string) => void;
  /** Errors already logged by the request that raised them, so the app's error handler does not log them twice. */
  logged: WeakSet<object>;
  /** Requests answered, by outcome. */
  counts: { completed: number; failed: number; rejected: number; cancelled: number };
}
