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

/**
 * Asserts the page does not scroll sideways at its width (WCAG 1.4.10 reflow: at 320 CSS px
 * and up, nothing but a table or a figure may need it, and those scroll inside their own
 * wrapper). On failure, lists the elements that stick out or whose text does.
 */
export async function expectNoSidewaysScroll(page, state = page.url()) {
  const out = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const scrolls = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const inScroller = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p)) return true;
      return false;
    };
    // How far right an element reaches, its box or its content (text overflows its box).
    const reach = (el) => {
      const r = el.getBoundingClientRect();
      return r.left + Math.max(r.width, scrolls(el) ? 0 : el.scrollWidth);
    };
    const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
    const sticking = [...document.body.querySelectorAll('*')]
      .filter((el) => reach(el) > width + 1 && !inScroller(el))
      // The innermost ones: those with no descendant that sticks out too.
      .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)));
    return { width, scrollWidth: document.documentElement.scrollWidth, sticking: sticking.slice(0, 10).map((el) => `${describe(el)} (to ${Math.round(reach(el))} px): ${el.textContent.trim().slice(0, 60)}`) };
  });
  assert.equal(out, null, `${state}: the page scrolls sideways (${out?.scrollWidth} px wide at ${out?.width} px); sticking out:\n  ${out?.sticking.join('\n  ')}`);
}

/** Clicks the submit button `name` (inside `scope`, the page by default) and waits for the page the post answers with. */
export async function submit(page, name, scope = page) {
  await Promise.all([page.waitForEvent('load'), scope.getByRole('button', { name, exact: true }).click()]);
}
