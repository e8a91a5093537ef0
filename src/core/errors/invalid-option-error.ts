import { PonderError } from "./ponder-error.js";

/** A bad option, request field or config value. The message names the field and what is accepted. */
export class InvalidOptionError extends PonderError {
  override name = "InvalidOptionError";
  readonly field: string;
  readonly value: unknown;
  readonly accepted: string;

  constructor({ field, value, accepted, where }: { field: string; value: unknown; accepted: string; where?: string }) {
    super(`${where ? `${where}: ` : ""}invalid ${field}: ${describe(value)}; expected ${accepted}`);
    this.field = field;
    this.value = value;
    this.accepted = accepted;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
