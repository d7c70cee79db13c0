// Debian's chromium, headless, driven by playwright-core. Nothing here downloads a browser.

import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

import { env } from './env.mjs';

/** Where the browser is: `CHROMIUM` if set, else Debian's package. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let browser = null;

/** Starts chromium once per scenario (later calls return the same browser). */
export async function launch() {
  if (browser) return browser;
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM`);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Containers run as root without the namespaces chromium's sandbox needs, and with a
    // small /dev/shm; the pages under test are our own.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  return browser;
}

/** Closes the browser if it was started. */
export async function closeBrowser() {
  if (browser) await browser.close().catch(() => {});
  browser = null;
}

/** Console errors and uncaught page errors seen so far, by page (see `problems`). */
const seen = new WeakMap();
/** The options each page was opened with (see `pageOptions`). */
const opened = new WeakMap();
const pages = [];

/**
 * A page in a fresh browser context (its own cookies), with `BASE_URL` as the base of relative
 * URLs: `await page.goto('/')`.
 *  - viewport: a width in CSS pixels (360, 1280) or {width, height}; the height defaults to 800.
 *  - lang: the browser's language (Accept-Language and navigator.language), e.g. 'es'.
 *  - javaScriptEnabled: false to see the page as a browser without scripts does.
 *  - cookies: {name: value} set on BASE_URL before the first request, e.g. {lang: 'es'}.
 */
export async function newPage({ viewport = 1280, lang = 'en', javaScriptEnabled = true, cookies = {} } = {}) {
  const size = typeof viewport === 'number' ? { width: viewport, height: 800 } : { height: 800, ...viewport };
  const context = await (await launch()).newContext({
    baseURL: env.baseUrl,
    viewport: size,
    locale: lang,
    javaScriptEnabled,
    deviceScaleFactor: 1,
  });
  const jar = Object.entries(cookies).map(([name, value]) => ({ name, value: String(value), url: env.baseUrl }));
  if (jar.length) await context.addCookies(jar);
  const page = await context.newPage();
  const list = [];
  seen.set(page, list);
  pages.push(page);
  opened.set(page, { viewport: size, lang, javaScriptEnabled });
  page.on('console', (msg) => {
    if (msg.type() === 'error') list.push({ kind: 'console', text: msg.text(), url: page.url() });
  });
  page.on('pageerror', (err) => list.push({ kind: 'pageerror', text: String(err), url: page.url() }));
  return page;
}

/** What went wrong in the page's console so far: [{kind: 'console'|'pageerror', text, url}]. */
export function problems(page) {
  return seen.get(page) ?? [];
}

/** Every page `newPage` opened that is still open. */
export function openPages() {
  return pages.filter((p) => !p.isClosed());
}

/** The same for every page `newPage` opened. */
export function allProblems() {
  return pages.flatMap(problems);
}

/** The options `newPage` opened the page with: {viewport, lang, javaScriptEnabled}. */
export function pageOptions(page) {
  return opened.get(page) ?? {};
}
