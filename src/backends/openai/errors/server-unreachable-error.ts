import { PonderError } from "../../../core/errors/ponder-error.js";

/** Nothing answered at a server's URL on first contact (refused, unknown host, or no answer in time). */
export class ServerUnreachableError extends PonderError {
  override name = "ServerUnreachableError";
  /** The API root that was tried, without credentials or query string. */
  readonly url: string;

  constructor({ url, detail, cause }: { url: string; detail: string; cause?: unknown }) {
    super(`cannot reach the server at ${url}: ${detail}; is it running, and is the URL right?`, { cause });
    this.url = url;
  }
}
