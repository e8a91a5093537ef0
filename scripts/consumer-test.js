#!/usr/bin/env node
// The consumer test (`npm run test:consumer`; `npm test` runs it through test/consumer.test.ts, so
// CI runs it under each Node version): ponder as a user gets it from the registry. Builds and packs
// the package from a staged copy of the checkout (the files git tracks or would track, so the
// `files` list is tested against everything a careless list could ship, and the checkout's own
// dist/ is left alone), installs the tarball into a fresh project, then runs plain Node ESM against
// it (the README's library example included) on this Node and on Node 24, the installed `ponder`
// bin, and a strict TypeScript type-check of consumer code under `moduleResolution` nodenext,
// node16, bundler and node10, with `skipLibCheck: false` so ponder's own declarations are checked
// too. Exits non-zero on the first failure.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(repo, "test", "consumer");
const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
const typesNode = manifest.devDependencies["@types/node"];
const aiVersion = manifest.devDependencies["ai"];
const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
const work = mkdtempSync(join(tmpdir(), "ponder-consumer-"));
const project = join(work, "project");
const started = performance.now();

function step(title) {
  console.log(`\n# ${title} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

/** Runs a command, echoing it; returns its output, or exits with its output when it fails (unless `expectFailure`; null: either way). */
function run(command, args, { cwd = project, env = {}, expectFailure = false, quiet = false } = {}) {
  console.log(`$ ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 << 20 });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (expectFailure !== null && (result.status === 0) === expectFailure) {
    console.error(output);
    console.error(`consumer test failed: exit ${result.status} from ${command} ${args.join(" ")}`);
    process.exit(1);
  }
  if (!quiet) process.stdout.write(output.endsWith("\n") || output === "" ? output : `${output}\n`);
  return result;
}

function check(condition, message) {
  if (!condition) {
    console.error(`consumer test failed: ${message}`);
    process.exit(1);
  }
  console.log(`ok - ${message}`);
}

console.log(`consumer test of ${manifest.name}@${manifest.version} on Node ${process.version} in ${work}`);

step("build and pack");
const stage = join(work, "stage");
const listed = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repo, quiet: true }).stdout.split("\0");
for (const file of listed.filter((f) => f !== "" && existsSync(join(repo, f)))) {
  mkdirSync(dirname(join(stage, file)), { recursive: true });
  cpSync(join(repo, file), join(stage, file));
}
run(process.execPath, [tsc, "-p", join(repo, "tsconfig.build.json"), "--outDir", join(stage, "dist")], { cwd: repo, quiet: true });
const packed = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], { cwd: stage, quiet: true }).stdout)[0];
const files = packed.files.map((f) => f.path).sort();
console.log(`${packed.filename}: ${(packed.size / 1e6).toFixed(1)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked, ${packed.entryCount} files`);
const byFolder = new Map();
for (const f of packed.files) {
  const folder = f.path.startsWith("dist/") ? "dist/" : f.path;
  const entry = byFolder.get(folder) ?? { files: 0, bytes: 0 };
  byFolder.set(folder, { files: entry.files + 1, bytes: entry.bytes + f.size });
}
for (const [folder, { files: n, bytes }] of [...byFolder].sort()) console.log(`  ${folder.padEnd(28)} ${String(n).padStart(4)} files ${(bytes / 1e3).toFixed(1).padStart(9)} kB`);
for (const required of ["LICENSE", "README.md", "package.json", "bin/ponder.js", "dist/index.js", "dist/index.d.ts", "dist/grading/index.d.ts", "dist/ai-sdk/index.d.ts", "dist/cli/bin.js", "models/policy-small.gguf", "models/prm.gguf", "native/ponder-native.cc", "scripts/build-native.sh", "scripts/postinstall.js"]) {
  check(files.includes(required), `the tarball holds ${required}`);
}
// The two install-time scripts build the native decode step in the project that installs the package.
const installScripts = new Set(["scripts/build-native.sh", "scripts/postinstall.js"]);
const stray = files.filter((f) => /\.test\.|^(src|test|training|bench|scripts|\.ci)\/|^tsconfig|policy\.json$|\.ts$/.test(f) && !f.endsWith(".d.ts") && !installScripts.has(f));
check(stray.length === 0, `the tarball holds no sources, tests, training, benchmarks or CI files${stray.length ? `: ${stray.join(", ")}` : ""}`);

step("install the tarball into a fresh project");
mkdirSync(project);
writeFileSync(join(project, "package.json"), JSON.stringify({ name: "ponder-consumer", private: true, type: "module" }, null, 2));
run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(work, packed.filename), `@types/node@${typesNode}`, `ai@${aiVersion}`], { quiet: true });
check(!existsSync(join(project, "node_modules", "tsx")), "tsx is not installed with the package (a development dependency only)");

step("plain Node ESM");
const readme = readFileSync(join(repo, "README.md"), "utf8");
/** The ```ts block after a README heading (plain JavaScript apart from its extension), and what its console.log comment says it prints. */
function readmeExample(heading) {
  const code = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(`${heading}\n`)))?.[1];
  check(readme.includes(`${heading}\n`) && code !== undefined, `README.md has a \`\`\`ts block under ${heading}`);
  return { code, prints: /console\.log\(.*\/\/ (.*)$/m.exec(code)?.[1]?.trim() };
}
cpSync(fixtures, project, { recursive: true });
const library = readmeExample("## Library");
writeFileSync(join(project, "readme-library.mjs"), library.code);
writeFileSync(join(project, "readme-library.ts"), library.code);
const aiSdk = readmeExample("### With the Vercel AI SDK");
writeFileSync(join(project, "readme-ai-sdk.mjs"), aiSdk.code);
writeFileSync(join(project, "readme-ai-sdk.ts"), aiSdk.code);
/** The plain-JavaScript checks under one Node binary. */
function plainNode(node) {
  const version = run(node, ["--version"], { quiet: true }).stdout.trim();
  run(node, ["smoke.mjs"]);
  const libraryRun = run(node, ["readme-library.mjs"]);
  check(/^19 \{/.test(libraryRun.stdout) && /generations: 16/.test(libraryRun.stdout), `Node ${version}: the README's library example answers 19 with 16 generations, as its comment says`);
  check(run(node, ["readme-ai-sdk.mjs"]).stdout.trim() === aiSdk.prints, `Node ${version}: the README's AI SDK example (ai@${aiVersion}) prints what its comment says: ${aiSdk.prints}`);
}
plainNode(process.execPath);
// The current LTS beside this Node (the tarball installed once: node-llama-cpp's prebuilt binaries
// are Node-API, the same for both). Node 24 comes from the npm registry's `node` package.
const NODE_24 = "node@24.21.0";
if (Number(process.versions.node.split(".")[0]) < 24) {
  const fetched = run("npx", ["--yes", "--prefer-offline", "-p", NODE_24, "node", "-p", "process.execPath"], { cwd: work, expectFailure: null, quiet: true });
  const node24 = fetched.status === 0 ? fetched.stdout.trim() : undefined;
  if (node24 !== undefined) plainNode(node24);
  else if (process.env.CI) check(false, `${NODE_24} is required in CI (npx -p ${NODE_24} failed: ${fetched.stderr.trim().split("\n").at(-1)})`);
  else console.log(`skip - plain Node ESM on ${NODE_24}: npx could not fetch it (not CI)`);
}

step("the installed ponder command");
const bin = join(project, "node_modules", ".bin");
check(run(join(bin, "ponder"), ["--version"]).stdout.trim() === manifest.version, `ponder --version prints ${manifest.version}`);
check(run(join(bin, manifest.name), ["--version"]).stdout.trim() === manifest.version, `${manifest.name} --version prints it too`);
check(/Usage: ponder/.test(run(join(bin, "ponder"), ["--help"], { quiet: true }).stdout), "ponder --help runs");
check(run(join(bin, "ponder"), ["grade", "--gold", "1/2", "--pred", "0.5"]).status === 0, "ponder grade runs the compiled grader");
// Replay's data: from ponder's cache, never from ../shared beside the installed package (node_modules/shared).
const decoy = join(project, "node_modules", "shared", "data", "qwen-math-samples", "math_cot_100.jsonl");
mkdirSync(dirname(decoy), { recursive: true });
writeFileSync(decoy, "not the recorded samples\n");
const samples = join(repo, "..", "shared", "data", "qwen-math-samples", "math_cot_100.jsonl");
if (existsSync(samples)) {
  const cache = join(work, "cache");
  mkdirSync(join(cache, "replay", "qwen-math-samples"), { recursive: true });
  cpSync(samples, join(cache, "replay", "qwen-math-samples", "math_cot_100.jsonl"));
  const replay = JSON.parse(run(join(bin, "ponder"), ["replay", "--json", "--ks", "1,8", "--draws", "5"], { env: { PONDER_CACHE_DIR: cache }, quiet: true }).stdout);
  check(replay.file.startsWith(cache) && replay.problems === 100, `ponder replay reads the cached samples (${replay.file}), not node_modules/shared`);
} else if (process.env.CI) {
  check(false, `the shared data is required in CI (${samples} is missing)`);
} else {
  console.log(`skip - replay from the cache: ${samples} is missing (not CI)`);
}

step("strict TypeScript consumers");
// ponder's own declarations (root and ./grading) are checked with skipLibCheck false and must be
// error-free. With the AI SDK, skipLibCheck stays false so ponder-ttc/ai-sdk's declarations are
// checked too, but errors inside the AI SDK's own declarations (they assume the DOM library and
// @types/json-schema) are counted and left out: only errors in consumer code or ponder-ttc fail.
// node10 (TypeScript's `node`/`node10`, still the resolution of many older projects) ignores
// `exports`: `types` and `typesVersions` in package.json serve it the root and the subpaths
// (strict-consumer.ts imports ponder-ttc/grading). The AI SDK consumer, a current project by
// nature, is checked under the two resolutions current projects use.
const passes = [
  { name: "ponder", files: ["readme-library.ts", "strict-consumer.ts"], strictLibs: true, resolutions: ["nodenext", "node16", "bundler", "node10"] },
  { name: "ai-sdk", files: ["readme-ai-sdk.ts", "ai-sdk-consumer.ts"], strictLibs: false, resolutions: ["nodenext", "bundler"] },
];
for (const pass of passes) {
  for (const resolution of pass.resolutions) {
    const config = {
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2023"],
        module: resolution === "nodenext" || resolution === "node16" ? resolution : "esnext",
        moduleResolution: resolution,
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noPropertyAccessFromIndexSignature: true,
        noImplicitOverride: true,
        skipLibCheck: false,
        // A node10 project is a CommonJS-era one, which `tsc --init` sets up with esModuleInterop;
        // without it the CommonJS declarations node10 picks for zod (.d.cts) fail on their own
        // default imports, before ponder's are reached.
        ...(resolution === "node10" ? { esModuleInterop: true } : {}),
        types: ["node"],
        noEmit: true,
      },
      files: pass.files,
    };
    const file = `tsconfig.${pass.name}.${resolution}.json`;
    writeFileSync(join(project, file), JSON.stringify(config, null, 2));
    const result = run(process.execPath, [tsc, "-p", file], { expectFailure: null, quiet: true });
    const errors = `${result.stdout}${result.stderr}`.split("\n").filter((line) => /error TS\d+/.test(line));
    const theirs = errors.filter((line) => line.startsWith("node_modules/") && !line.startsWith(`node_modules/${manifest.name}/`));
    const ours = errors.filter((line) => !theirs.includes(line));
    if (ours.length > 0 || (pass.strictLibs && errors.length > 0)) console.error(errors.join("\n"));
    check(ours.length === 0 && (!pass.strictLibs || errors.length === 0), `tsc on ${pass.files.join(", ")} (strict, exactOptionalPropertyTypes, skipLibCheck false, moduleResolution ${resolution}): no errors${theirs.length ? ` in ponder-ttc or consumer code (${theirs.length} inside the AI SDK's own declarations, left out)` : ""}`);
  }
}

rmSync(work, { recursive: true, force: true });
console.log(`\nconsumer test passed on Node ${process.version} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
