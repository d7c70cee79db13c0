// Layout checks axe does not make: reflow at phone width (WCAG 1.4.10: nothing scrolls
// sideways at 320–360 CSS px but tables and images that need two dimensions).

import assert from 'node:assert/strict';

/**
 * Asserts the page does not scroll sideways at its width: the document is no wider than the
 * window, and no element (nor its content) outside a `.table-wrap`, which scrolls on its own,
 * sticks out of it.
 * `state` names the page state in the message.
 */
export async function expectReflow(page, state) {
  const found = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('.table-wrap, .visually-hidden, .skip-link')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const spills = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0;
      if (r.right > width + 1 || r.left < -1 || (spills && r.left + el.scrollWidth > width + 1)) {
        const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
        wide.push(`${name} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
      }
    }
    return { width, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 10) };
  });
  assert.ok(
    found.scroll <= found.width && found.wide.length === 0,
    `${state}: the page scrolls sideways at ${found.width}px (document ${found.scroll}px wide); sticking out: ${found.wide.join(', ') || 'nothing visible'}`,
  );
}
