import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Root of ponder's download cache: the override when given, else $PONDER_CACHE_DIR, else
 * $XDG_CACHE_HOME/ponder, else ~/.cache/ponder.
 */
export function cacheRoot(override?: string): string {
  return override ?? process.env.PONDER_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "ponder");
}
