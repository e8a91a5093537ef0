/**
 * An outcome that is no error but sets the exit status: `ponder grade --gold X --pred Y` exits
 * 1 when the answers differ. A command's action throws it; `main` returns its code and prints
 * nothing more.
 */
export class ExitStatus extends Error {
  override name = "ExitStatus";

  constructor(readonly code: number) {
    super(`exit status ${code}`);
  }
}
