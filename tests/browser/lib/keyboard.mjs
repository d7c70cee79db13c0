// Driving a page by keyboard alone: what has the focus, and moving it with Tab.
//
//   import { focused, tabTo } from '../lib/keyboard.mjs';
//   await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Send', 'the Send button');

/**
 * What has the focus: {tag, id, type, name, value, checked, href, text, cls, inForm, ring}
 * (`ring`: the focus is drawn, as an outline or a shadow).
 */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'BODY', id: '', type: '', name: '', value: '', checked: false, href: '', text: '', cls: '', inForm: null, ring: false };
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    return {
      ring,
      tag: el.tagName,
      id: el.id,
      type: el.getAttribute('type') ?? '',
      name: el.getAttribute('name') ?? '',
      value: 'value' in el ? String(el.value) : '',
      checked: Boolean(el.checked),
      href: el.getAttribute('href') ?? '',
      text: (el.innerText ?? el.textContent ?? '').trim(),
      cls: el.className && typeof el.className === 'string' ? el.className : '',
      inForm: el.form ? el.form.getAttribute('action') : null,
    };
  });
}

/**
 * Presses Tab (Shift+Tab with `back`) until `wanted(focused)` holds, at most `max` times;
 * returns what has the focus then. Throws with the path the focus took.
 */
export async function tabTo(page, wanted, what, { back = false, max = 80 } = {}) {
  const path = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (wanted(f)) return f;
    path.push(describe(f));
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} did not reach ${what}; the focus went: ${path.join(' → ')}`);
}

/** A short description of a focused element, for messages. */
export function describe(f) {
  const label = f.text ? ` "${f.text.slice(0, 30)}"` : '';
  return `${f.tag.toLowerCase()}${f.id ? `#${f.id}` : ''}${f.type ? `[${f.type}]` : ''}${f.href ? `(${f.href})` : ''}${label}`;
}
