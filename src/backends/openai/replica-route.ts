import { createHash } from "node:crypto";

/** How a replica set spreads requests: by problem (prefix affinity) or in turn. */
export type ReplicaRoute = "affinity" | "round-robin";
export const REPLICA_ROUTES: readonly ReplicaRoute[] = ["affinity", "round-robin"];

/**
 * Rendezvous (highest-random-weight) hashing: the replica whose hash of (url, key) is highest
 * serves the key. Every key keeps its replica while that replica is in the set, and when one
 * leaves only its own keys move (each to its next-highest replica), so the prefixes other
 * replicas hold in cache stay where they are; when it returns, its keys come back to it.
 */
export function rendezvousOrder<T extends { url: string }>(replicas: readonly T[], key: string): T[] {
  return replicas
    .map((r) => ({ r, score: createHash("sha256").update(r.url).update("\n").update(key).digest().readUIntBE(0, 6) }))
    .sort((a, b) => b.score - a.score || (a.r.url < b.r.url ? -1 : 1))
    .map((x) => x.r);
}

/** The affinity key as sent to a router: a short hash, so that no question text leaves in a header. */
export function sessionId(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}
