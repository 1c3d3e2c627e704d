/**
 * Real Chromium for UI tests and screenshots: Debian's /usr/bin/chromium driven by playwright-core.
 * `chromium.launch` gives every launch a fresh temporary profile (user data dir), removed on close;
 * each `browser.newContext()` is a further isolated profile (its own localStorage, like a separate device).
 * Also: `restartHubOn` brings a hub back (through `startTestHub`) on the port the screens already use, to test
 * their recovery.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startTestHub, type TestHub } from './hub.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The hall display plays its chime and voice without a click, like the display PC.
  '--autoplay-policy=no-user-gesture-required',
];

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Throws a clear error when the screens are not built (the hub serves dist/). */
export function assertUiBuilt(): void {
  const missing = ['kiosk-ui', 'display-ui', 'staff-ui'].filter((app) => !existsSync(path.join(repoRoot, 'dist', app, 'index.html')));
  if (missing.length) {
    throw new Error(
      `The screens are not built (missing dist/${missing.join('/index.html, dist/')}/index.html): run \`node node_modules/vite/bin/vite.js build\` (npm test does it) before this test.`,
    );
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install -y chromium).`);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** A fresh device: its own context (storage) and one page of the given size. */
export async function openDevice(browser: Browser, viewport: { width: number; height: number }, opts: { hasTouch?: boolean; deviceScaleFactor?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport,
    hasTouch: opts.hasTouch ?? false,
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const page = await context.newPage();
  return { context, page };
}

/**
 * Network noise a page logs while the hub is away (refused websocket, failed fetch, and Chromium's note when a
 * frame races the hub closing the connection): expected, not a bug.
 */
const NETWORK_NOISE = /Failed to load resource: net::|WebSocket connection to .* failed|WebSocket is already in CLOSING or CLOSED state/;

/**
 * Collects what would be a bug in a screen: uncaught exceptions, console errors, and answers ≥ 400
 * to the page's own requests (with their URL). Connection failures while the hub is down are ignored.
 */
export function collectErrors(page: Page, label: string, into: string[]): void {
  page.on('pageerror', (err) => into.push(`[${label}] pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (NETWORK_NOISE.test(text) || /the server responded with a status of/.test(text)) return; // reported by 'response' below
    into.push(`[${label}] console: ${text}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) into.push(`[${label}] HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
  });
}

/**
 * A second hub on the same port (the screens keep their URL), as after a restart: `startTestHub` on that
 * port with its own pool of 10. A hub that does not finish starting within Fastify's plugin timeout on a
 * very loaded machine is started again (up to 3 attempts).
 */
export async function restartHubOn(url: string, port: number): Promise<TestHub> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTestHub({ url, port, poolSize: 10 });
    } catch (err) {
      const slowStart = err instanceof Error && /did not start in time/.test(err.message);
      if (!slowStart || attempt >= 3) throw err;
    }
  }
}

/**
 * Opens a screen and waits until it shows `ready`. Other developers rebuild dist/ in this tree (the build
 * empties it first), so a load that meets a half-written dist/ is tried again; what the failed attempt
 * logged is dropped.
 */
export async function openScreen(page: Page, url: string, ready: () => Locator, errors: string[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const mark = errors.length;
    await page.goto(url);
    try {
      await ready().waitFor({ timeout: 10_000 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      errors.splice(mark);
    }
  }
}
