import { AsyncLocalStorage } from "node:async_hooks";
import { PrefixLedger } from "./prefix-ledger.js";

/**
 * What the model calls of one request (a strategy run on one problem) share, wherever in the
 * backends they are made: the prefixes each model processed for it, and per-request state of
 * components such as a verifier's step-score memo. Scoping these to the request keeps its usage
 * independent of which other requests ran before or beside it.
 */
export class RequestScope {
  readonly ledger = new PrefixLedger();
  readonly #state = new WeakMap<object, unknown>();

  /** The state `owner` keeps for this request, made by `create` on first use. */
  stateOf<T>(owner: object, create: () => T): T {
    if (!this.#state.has(owner)) this.#state.set(owner, create());
    return this.#state.get(owner) as T;
  }
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with `scope` as the current request scope for every call it makes, however deep. */
export function inRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The request scope the caller runs in, or undefined outside any (a backend used on its own). */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
