// Screenshots: always into REPORT_DIR/screenshots/, and into docs/screenshots/ as well when
// CONVENE_SCREENSHOTS=1.

import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { env } from './env.mjs';
import { report } from './report.mjs';

/**
 * A full-page PNG named `<name>-<viewport width>.png` (`home-360.png`); returns its path. Names
 * are shared by every scenario: start them with the page's name.
 *
 * Options, to keep a long page's image small while showing what matters:
 *  - from: a CSS selector; the image starts just above the first element it matches.
 *  - maxHeight: the image is at most this tall (CSS px).
 */
export async function screenshot(page, name, { from, maxHeight } = {}) {
  const width = page.viewportSize().width;
  const file = `${name}-${width}.png`;
  const dir = join(env.reportDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  let clip;
  if (from !== undefined || maxHeight !== undefined) {
    const { top, height } = await page.evaluate((selector) => {
      const el = selector ? document.querySelector(selector) : null;
      if (selector && !el) throw new Error(`screenshot: nothing matches ${selector}`);
      const top = el ? Math.max(0, Math.floor(el.getBoundingClientRect().top + window.scrollY) - 16) : 0;
      return { top, height: document.documentElement.scrollHeight };
    }, from ?? null);
    clip = { x: 0, y: top, width, height: Math.min(maxHeight ?? Infinity, height - top) };
  }
  await page.screenshot({ path, fullPage: true, clip, animations: 'disabled' });
  if (env.docsScreenshots) {
    mkdirSync(env.docsScreenshotDir, { recursive: true });
    copyFileSync(path, join(env.docsScreenshotDir, file));
  }
  report.screenshots.push(file);
  return path;
}
