import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const ROOT = join(import.meta.dirname, "..");

/** The ```ts block that follows a README heading, and the comment on its `console.log` line (what it prints). */
export function readmeExample(heading: string): { code: string; prints: string | undefined } {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const at = readme.indexOf(`${heading}\n`);
  if (at < 0) throw new Error(`README.md has no heading "${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`README.md has no \`\`\`ts block after "${heading}"`);
  const code = block[1]!;
  return { code, prints: /console\.log\(.*\/\/ (.*)$/m.exec(code)?.[1]?.trim() };
}

/**
 * Runs a README example as a user would, with its imports of the package (`ponder-ttc`, its
 * subpaths) pointed at the sources and other packages at this checkout's node_modules; returns stdout.
 */
export async function runReadmeExample(code: string, packages: readonly string[]): Promise<string> {
  let source = code.replaceAll(/from "ponder-ttc(\/[\w-]+)?"/g, (_, sub: string | undefined) => `from "${pathToFileURL(join(ROOT, "src", sub ?? "", "index.ts")).href}"`);
  for (const name of packages) source = source.replaceAll(`from "${name}"`, `from "${import.meta.resolve(name)}"`);
  const file = join(mkdtempSync(join(tmpdir(), "ponder-readme-")), "example.mts");
  writeFileSync(file, source);
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", file], { cwd: ROOT });
  return stdout;
}
