// Start-up of the compiled package against the TypeScript sources through tsx, measured side by
// side (interleaved, so a busy machine slows both alike): `ponder --help`, `ponder --version`, and
// importing the library (`node -e "await import(…)"`), the root and the `./grading` subpath.
//   npm run bench -- startup [--rounds 7]
// Needs dist/ (npm run build).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "7" } } });
const rounds = Number(values.rounds);
const root = join(import.meta.dirname, "..");
if (!existsSync(join(root, "dist", "index.js"))) {
  console.error("bench startup: dist/ is missing; run `npm run build` first");
  process.exit(1);
}
const tsx = ["--import", "tsx"];
const importing = (path: string) => ["--input-type=module", "-e", `await import(${JSON.stringify(join(root, path))})`];

const cases: { name: string; compiled: string[]; sources: string[] }[] = [
  { name: "ponder --help", compiled: [join(root, "bin/ponder.js"), "--help"], sources: [...tsx, join(root, "src/cli/bin.ts"), "--help"] },
  { name: "ponder --version", compiled: [join(root, "bin/ponder.js"), "--version"], sources: [...tsx, join(root, "src/cli/bin.ts"), "--version"] },
  { name: "import the library", compiled: importing("dist/index.js"), sources: [...tsx, ...importing("src/index.ts")] },
  { name: "import ./grading", compiled: importing("dist/grading/index.js"), sources: [...tsx, ...importing("src/grading/index.ts")] },
];

/** CPU milliseconds (user + system) of this process's reaped children so far: /proc/self/stat's cutime and cstime, in 10 ms ticks. */
function childrenCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  // Fields after "pid (comm) " start at field 3 (state); cutime and cstime are fields 16 and 17.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Wall and CPU milliseconds of one run of node with these arguments. */
function time(args: string[]): { wall: number; cpu: number } {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  const wall = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return { wall, cpu: childrenCpuMs() - cpuBefore };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`start-up, median of ${rounds} interleaved runs each (Node ${process.version}); CPU = user + system of the child`);
console.log(`${"".padEnd(20)} ${"compiled wall".padStart(14)} ${"tsx wall".padStart(10)} ${"ratio".padStart(6)} ${"compiled CPU".padStart(13)} ${"tsx CPU".padStart(9)}`);
for (const c of cases) {
  const compiled: { wall: number; cpu: number }[] = [];
  const sources: { wall: number; cpu: number }[] = [];
  time(c.compiled); // warm the file cache for both before measuring
  time(c.sources);
  for (let i = 0; i < rounds; i++) {
    compiled.push(time(c.compiled));
    sources.push(time(c.sources));
  }
  const [cw, sw] = [median(compiled.map((x) => x.wall)), median(sources.map((x) => x.wall))];
  const [cc, sc] = [median(compiled.map((x) => x.cpu)), median(sources.map((x) => x.cpu))];
  console.log(`${c.name.padEnd(20)} ${`${cw.toFixed(0)} ms`.padStart(14)} ${`${sw.toFixed(0)} ms`.padStart(10)} ${`${(sw / cw).toFixed(2)}x`.padStart(6)} ${`${cc.toFixed(0)} ms`.padStart(13)} ${`${sc.toFixed(0)} ms`.padStart(9)}`);
}
