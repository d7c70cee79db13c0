// What the Rust side (tests/tests/browser.rs) passes to a scenario, read once.

import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root: tests/browser/lib/../../.. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: scenarios are run by tests/tests/browser.rs (cargo nextest run -E 'binary(browser)')`);
  return value;
}

export const env = {
  /** The scenario's name: its file name without `.mjs`, or `SCENARIO_NAME` when the same
   *  scenario runs more than once with different data (it names the report). */
  scenario: process.env.SCENARIO_NAME || basename(process.argv[1] ?? 'scenario', '.mjs'),
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  get baseUrl() {
    return required('BASE_URL').replace(/\/$/, '');
  },
  /** The directory the test SMTP sink writes each email into as JSON. */
  get mailDir() {
    return required('MAIL_DIR');
  },
  /** What the Rust side prepared (ids, tokens, addresses), parsed from `SCENARIO_DATA`. */
  data: JSON.parse(process.env.SCENARIO_DATA || '{}'),
  /** Where the JSON report and screenshots go. */
  reportDir: process.env.REPORT_DIR || join(REPO_ROOT, 'target/browser-report'),
  /** `CONVENE_SCREENSHOTS=1`: screenshots are also copied into docs/screenshots/. */
  docsScreenshots: process.env.CONVENE_SCREENSHOTS === '1',
  docsScreenshotDir: join(REPO_ROOT, 'docs/screenshots'),
};
