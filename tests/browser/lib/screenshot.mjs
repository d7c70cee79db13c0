// Screenshots: always into REPORT_DIR/screenshots/, and into docs/screenshots/ as well when
// CONVENE_SCREENSHOTS=1.

import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { env } from './env.mjs';
import { report } from './report.mjs';

/**
 * A full-page PNG named `<name>-<viewport width>.png` (`home-360.png`); returns its path. Names
 * are shared by every scenario: start them with the page's name.
 */
export async function screenshot(page, name) {
  const file = `${name}-${page.viewportSize().width}.png`;
  const dir = join(env.reportDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  if (env.docsScreenshots) {
    mkdirSync(env.docsScreenshotDir, { recursive: true });
    copyFileSync(path, join(env.docsScreenshotDir, file));
  }
  report.screenshots.push(file);
  return path;
}
