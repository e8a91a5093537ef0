// `npm run bench -- <name> [options]` runs bench/<name>.ts; with no name it lists them.
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const dir = import.meta.dirname;
const names = readdirSync(dir).filter((f) => f.endsWith(".ts") && !["index.ts", "random-model.ts"].includes(f)).map((f) => f.slice(0, -3)).sort();
const [name, ...rest] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <${names.join("|")}> [options]${name ? `\nno benchmark named ${JSON.stringify(name)}` : ""}`);
  process.exit(name ? 2 : 0);
}
const result = spawnSync(process.execPath, ["--import", "tsx", join(dir, `${name}.ts`), ...rest], { stdio: "inherit" });
process.exit(result.status ?? 1);
