import { ftruncateSync, writeSync } from "node:fs";
import type { StoreIo } from "../src/eval/results-store.js";

/**
 * A file system that runs out of space, for the results store's appends. It copies what Linux
 * documents for write(2) on a full device: a write stores the bytes that still fit and returns
 * that short count, and the next write fails with ENOSPC and stores nothing; ftruncate(2) of a
 * file gives its blocks back. `free(bytes)` is space coming back (a user deleting files).
 * `failTruncate` makes ftruncate fail too (EIO), for the case where the cut back is impossible.
 */
export class FullDisk implements StoreIo {
  #left: number;
  failTruncate = false;
  shortWrites = 0;

  constructor(bytesLeft: number) {
    this.#left = bytesLeft;
  }

  free(bytes: number): void {
    this.#left += bytes;
  }

  writeSync(fd: number, buffer: Buffer, offset: number, length: number): number {
    if (this.#left <= 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
    const n = Math.min(length, this.#left);
    if (n < length) this.shortWrites++;
    const written = writeSync(fd, buffer, offset, n);
    this.#left -= written;
    return written;
  }

  ftruncateSync(fd: number, length: number): void {
    if (this.failTruncate) throw Object.assign(new Error("EIO: i/o error, ftruncate"), { code: "EIO", errno: -5, syscall: "ftruncate" });
    ftruncateSync(fd, length);
  }
}
