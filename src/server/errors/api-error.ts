import { PonderError } from "../../core/errors/ponder-error.js";

/** OpenAI's error `type` values, which clients branch on. */
export type ApiErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "not_found_error"
  | "rate_limit_error"
  | "server_error"
  | "service_unavailable";

/**
 * An error answered to an HTTP client in OpenAI's shape, `{ error: { message, type, param, code } }`,
 * so the official clients raise their matching error class (BadRequestError, RateLimitError, …).
 */
export class ApiError extends PonderError {
  override name = "ApiError";
  readonly status: number;
  readonly type: ApiErrorType;
  /** The request field at fault (`messages[0].content`, `ponder.budget`), or null. */
  readonly param: string | null;
  /** A stable machine-readable code (`compute_cap_exceeded`, `queue_full`, …), or null. */
  readonly code: string | null;
  /** Headers to send with the answer (`Retry-After`). */
  readonly headers: Record<string, string>;

  constructor({
    status,
    type,
    message,
    param = null,
    code = null,
    headers = {},
    cause,
  }: {
    status: number;
    type: ApiErrorType;
    message: string;
    param?: string | null;
    code?: string | null;
    headers?: Record<string, string>;
    cause?: unknown;
  }) {
    super(message, { cause });
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
    this.headers = headers;
  }

  /** The JSON body OpenAI sends with an error. */
  toBody(): { error: { message: string; type: ApiErrorType; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** A 400 naming the field at fault. */
export function badRequest(param: string | null, message: string, code: string | null = null): ApiError {
  return new ApiError({ status: 400, type: "invalid_request_error", param, code, message });
}
