import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";

/** Debian's Chromium (`apt-get install -y chromium`); CI installs it (.ci/run). */
export const CHROMIUM = process.env.PONDER_CHROMIUM ?? "/usr/bin/chromium";

/** Flags for a quiet, offline, throw-away browser: no sandbox (containers), no GPU, nothing phoned home. */
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Something the page reported that a clean page never does. */
export interface PageProblem {
  kind: "console" | "exception" | "log" | "request-failed" | "network";
  text: string;
}

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string }; sessionId?: string };

/**
 * Headless Chromium driven through its DevTools protocol over a pipe (`--remote-debugging-pipe`:
 * JSON messages ending in NUL on file descriptors 3 and 4), so tests need no browser-automation
 * package. Each instance has a fresh profile directory, removed on close.
 */
export class HeadlessChromium {
  readonly problems: PageProblem[] = [];
  readonly #process: ChildProcess;
  readonly #profile: string;
  readonly #pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  readonly #listeners: ((m: Message) => void)[] = [];
  #nextId = 1;
  #session = "";

  private constructor(process: ChildProcess, profile: string) {
    this.#process = process;
    this.#profile = profile;
    let buffer = "";
    (process.stdio[4] as Readable).on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let end: number;
      while ((end = buffer.indexOf("\0")) >= 0) {
        const message = JSON.parse(buffer.slice(0, end)) as Message;
        buffer = buffer.slice(end + 1);
        if (message.id !== undefined) {
          const waiter = this.#pending.get(message.id);
          this.#pending.delete(message.id);
          if (message.error) waiter?.reject(new Error(`${message.error.message}`));
          else waiter?.resolve(message);
        } else for (const listener of this.#listeners) listener(message);
      }
    });
  }

  /** Starts Chromium with a page open at about:blank, recording every console error, failed load and network request. */
  static async launch({ width = 1280, height = 900 }: { width?: number; height?: number } = {}): Promise<HeadlessChromium> {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`);
    const profile = mkdtempSync(join(tmpdir(), "ponder-chromium-"));
    const child = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-pipe", `--window-size=${width},${height}`, "about:blank"], {
      stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
    });
    child.stderr?.resume();
    const browser = new HeadlessChromium(child, profile);
    const { targetInfos } = (await browser.#send("Target.getTargets")) as { targetInfos: { targetId: string; type: string }[] };
    const page = targetInfos.find((t) => t.type === "page") ?? ((await browser.#send("Target.createTarget", { url: "about:blank" })) as { targetId: string });
    browser.#session = ((await browser.#send("Target.attachToTarget", { targetId: page.targetId, flatten: true })) as { sessionId: string }).sessionId;
    browser.#listeners.push((m) => browser.#observe(m));
    for (const domain of ["Runtime", "Log", "Network", "Page"]) await browser.send(`${domain}.enable`);
    await browser.send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false });
    return browser;
  }

  /** Opens `url` and waits for its load event. */
  async open(url: string): Promise<void> {
    const loaded = new Promise<void>((resolve) => {
      const listener = (m: Message) => m.method === "Page.loadEventFired" && m.sessionId === this.#session && resolve();
      this.#listeners.push(listener);
    });
    await this.send("Page.navigate", { url });
    await loaded;
  }

  /** Evaluates an expression in the page and returns its value (which must be JSON-serialisable). */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = (await this.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true })) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (exceptionDetails) throw new Error(`evaluate: ${exceptionDetails.text}`);
    return result.value;
  }

  /** A PNG of the whole page at `width` CSS pixels (scaled by `scale`). */
  async screenshot({ width, scale = 1 }: { width: number; scale?: number }): Promise<Buffer> {
    const height = await this.evaluate<number>("Math.ceil(document.documentElement.scrollHeight)");
    await this.send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: scale, mobile: false });
    const { data } = (await this.send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true })) as { data: string };
    return Buffer.from(data, "base64");
  }

  /** A DevTools command to the page. */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.#send(method, params, this.#session);
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.#process.once("exit", resolve));
    this.#send("Browser.close").catch(() => {});
    const timer = setTimeout(() => this.#process.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(this.#profile, { recursive: true, force: true });
  }

  #send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    const reply = new Promise<Message>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    (this.#process.stdio[3] as Writable).write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
    return reply.then((m) => m.result ?? {});
  }

  #observe(m: Message): void {
    const p = m.params ?? {};
    if (m.method === "Runtime.consoleAPICalled" && (p.type === "error" || p.type === "assert")) {
      this.problems.push({ kind: "console", text: JSON.stringify((p.args as unknown[] | undefined) ?? []) });
    } else if (m.method === "Runtime.exceptionThrown") {
      this.problems.push({ kind: "exception", text: JSON.stringify(p.exceptionDetails) });
    } else if (m.method === "Log.entryAdded") {
      const entry = p.entry as { level: string; text: string; url?: string };
      if (entry.level === "error") this.problems.push({ kind: "log", text: `${entry.text} ${entry.url ?? ""}` });
    } else if (m.method === "Network.loadingFailed") {
      this.problems.push({ kind: "request-failed", text: JSON.stringify(p) });
    } else if (m.method === "Network.requestWillBeSent") {
      const url = (p.request as { url: string }).url;
      if (!/^(file|data|about):/.test(url)) this.problems.push({ kind: "network", text: url });
    }
  }
}
