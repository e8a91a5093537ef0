import { PonderError } from "../../core/errors/ponder-error.js";

/** A pooling (reward model) server answered with scores that do not fit the request: wrong count or shape. */
export class PoolingResponseError extends PonderError {
  override name = "PoolingResponseError";
  readonly url: string;

  constructor({ url, detail }: { url: string; detail: string }) {
    super(`${url}: ${detail}`);
    this.url = url;
  }
}
