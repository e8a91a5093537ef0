// One of several processes racing for the run locks of a set of directories. It prints "ready",
// reads the start time (ms since the epoch) from its stdin, and in trial i waits until the clock
// reaches start + i × slot (so every racer tries at the same instant), tries once to take the lock
// of <root>/trial-i, and prints "i won" or "i lost". It keeps the locks it won until its stdin
// closes, so no racer can legitimately win a trial after another.
import { once } from "node:events";
import { join } from "node:path";
import { RunLockedError } from "../src/eval/errors/run-locked-error.js";
import { RunLock } from "../src/eval/run-lock.js";

const [root, trialsText, slotText] = process.argv.slice(2);
if (!root || !trialsText || !slotText) throw new Error("usage: lock-racer.ts <root> <trials> <slot-ms> (start time on stdin)");
process.stdout.write("ready\n");
let input = "";
process.stdin.setEncoding("utf8");
while (!input.includes("\n")) input += (await once(process.stdin, "data"))[0];
const start = Number(input.trim());
const held: RunLock[] = [];
for (let i = 0; i < Number(trialsText); i++) {
  const at = start + i * Number(slotText);
  while (Date.now() < at) {
    // spin: a timer would wake each racer at a different moment
  }
  try {
    held.push(RunLock.take(join(root, `trial-${i}`)));
    process.stdout.write(`${i} won\n`);
  } catch (error) {
    if (!(error instanceof RunLockedError)) throw error;
    process.stdout.write(`${i} lost\n`);
  }
}
process.stdout.write("done\n");
await once(process.stdin, "end");
