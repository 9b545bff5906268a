/**
 * Test and bench helper: headless Chromium (Debian's /usr/bin/chromium) through playwright-core, with a
 * fresh profile and everything that would phone home switched off, and a page that records console
 * errors, page errors and every network request.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.ZK_CHAOS_CHROMIUM ?? "/usr/bin/chromium";

export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "zk-chaos-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenedPage {
  readonly page: Page;
  /** Console messages of type error, and uncaught page errors. */
  readonly errors: string[];
  /** Every request the page made other than the document itself. */
  readonly requests: string[];
  /** Dialogs (alert, confirm, prompt) the page opened. */
  readonly dialogs: string[];
  /** Milliseconds from navigation start to the load event plus one painted frame. */
  readonly renderMs: number;
}

/** Open a local HTML file and wait until it has loaded and painted once. */
export async function openFile(browser: Browser, file: string): Promise<OpenedPage> {
  const page = await browser.context.newPage();
  const url = pathToFileURL(file).href;
  const errors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const t0 = performance.now();
  await page.goto(url, { waitUntil: "load" });
  // a string: this runs in the page, where requestAnimationFrame exists (not in Node's types)
  await page.evaluate(
    "new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))",
  );
  const renderMs = performance.now() - t0;
  return { page, errors, requests, dialogs, renderMs };
}
