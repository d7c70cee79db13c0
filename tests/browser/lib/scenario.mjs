// Runs one scenario: the browser, the report, the exit code.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { allProblems, closeBrowser, launch, openPages } from './browser.mjs';
import { totals, report, writeReport } from './report.mjs';
import { env } from './env.mjs';

/** How long a whole scenario may take before it is stopped as failed. */
const TIMEOUT_MS = Number(process.env.SCENARIO_TIMEOUT_MS || 120000);

/**
 * `scenario(async ({data}) => { ... })`: runs the body with what the Rust side prepared, then
 * writes REPORT_DIR/<scenario>.json and exits: 0 if the body finished, 1 if it threw or
 * took longer than SCENARIO_TIMEOUT_MS (120 s by default). Uncaught errors in a page and
 * Content-Security-Policy violations fail the scenario too; other console errors are listed.
 * On failure, each open page is saved as REPORT_DIR/failures/<scenario>-<n>.png.
 */
export async function scenario(body) {
  const started = Date.now();
  let timer;
  try {
    const browser = await launch();
    report.browser = browser.version();
    report.axe = (await import('axe-core')).default.version;
    await Promise.race([
      body({ data: env.data }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`scenario did not finish within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    const fatal = allProblems().filter((p) => p.kind === 'pageerror' || /Content Security Policy/i.test(p.text));
    if (fatal.length) {
      throw new Error(`errors in the page:\n${fatal.map((p) => `  - ${p.kind} at ${p.url}: ${p.text}`).join('\n')}`);
    }
    report.ok = true;
  } catch (err) {
    report.error = err?.stack ?? String(err);
    console.error(`scenario ${env.scenario} FAILED:\n${report.error}`);
    await failureScreenshots();
  } finally {
    clearTimeout(timer);
    report.ms = Date.now() - started;
    report.consoleErrors = allProblems();
    await closeBrowser();
    const path = writeReport();
    const t = totals(report);
    for (const p of report.consoleErrors) console.log(`console ${p.kind} at ${p.url}: ${p.text}`);
    console.log(
      `scenario ${env.scenario}: ${report.ok ? 'passed' : 'FAILED'} in ${(report.ms / 1000).toFixed(1)} s; ` +
        `axe ${report.axe} ran ${t.rulesRun} rule checks (${t.distinctRules} distinct rules) on ${t.states} page states: ` +
        `${t.violations} violations, ${t.allowed} allowed, ${t.incomplete} to review; ${t.screenshots} screenshots; report ${path}`,
    );
    // Exit now, whatever the body left pending (a timed-out wait, say). Output to pipes and
    // files is synchronous, so nothing printed is lost.
    process.exit(report.ok ? 0 : 1);
  }
}

/** On failure, what each open page showed: REPORT_DIR/failures/<scenario>-<n>.png. */
async function failureScreenshots() {
  const dir = join(env.reportDir, 'failures');
  mkdirSync(dir, { recursive: true });
  for (const [i, page] of openPages().entries()) {
    const path = join(dir, `${env.scenario}-${i + 1}.png`);
    try {
      await page.screenshot({ path, fullPage: true, timeout: 5000 });
      console.error(`page ${i + 1} (${page.url()}) as it was: ${path}`);
    } catch {
      // A page that cannot be drawn any more has nothing to show.
    }
  }
}
