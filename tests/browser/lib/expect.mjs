// Small assertions on pages, on top of node:assert.

import assert from 'node:assert/strict';

/** Goes to `path` (relative to BASE_URL) and asserts the response's status; returns it. */
export async function visit(page, path, { status = 200 } = {}) {
  const res = await page.goto(path, { waitUntil: 'load' });
  assert.ok(res, `no response for ${path}`);
  assert.equal(res.status(), status, `GET ${path}: status ${res.status()}, expected ${status}`);
  return res;
}

/** Asserts the page has exactly one <h1> and that its text matches (a string: equal, trimmed). */
export async function expectH1(page, text) {
  const h1 = page.locator('h1');
  assert.equal(await h1.count(), 1, `${page.url()}: expected exactly one <h1>, found ${await h1.count()}`);
  const actual = (await h1.innerText()).trim();
  if (text instanceof RegExp) assert.match(actual, text, `${page.url()}: <h1>`);
  else assert.equal(actual, text, `${page.url()}: <h1>`);
}

/** Asserts the page's path (and query) is `path`. */
export function expectPath(page, path) {
  const url = new URL(page.url());
  assert.equal(url.pathname + url.search, path, `expected to be at ${path}, at ${page.url()}`);
}

/** Asserts the browser holds cookie `name` for the page's site; returns it. */
export async function expectCookie(page, name) {
  const cookies = await page.context().cookies(page.url());
  const cookie = cookies.find((c) => c.name === name);
  assert.ok(cookie, `no cookie ${name}; cookies: ${cookies.map((c) => c.name).join(', ') || 'none'}`);
  return cookie;
}

/** Asserts the document's <html lang> is `lang`. */
export async function expectLang(page, lang) {
  assert.equal(await page.locator('html').getAttribute('lang'), lang, `${page.url()}: <html lang>`);
}

export { assert };
