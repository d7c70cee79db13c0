// Prints the totals of the browser scenarios' reports: for each directory under
// target/browser-report (one per database), the scenarios, page states checked by axe, axe
// rule checks run and violations. Usage: node tests/browser/summary.mjs [report dir]

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './lib/env.mjs';

const root = process.argv[2] ?? join(REPO_ROOT, 'target/browser-report');
if (!existsSync(root)) {
  console.log(`no browser reports in ${root}`);
  process.exit(0);
}
const dirs = [root, ...readdirSync(root).map((d) => join(root, d)).filter((d) => statSync(d).isDirectory())];
for (const dir of dirs) {
  const reports = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  if (!reports.length) continue;
  const sum = (key) => reports.reduce((n, r) => n + r.totals[key], 0);
  const failed = reports.filter((r) => !r.ok).map((r) => r.scenario);
  const rules = new Set(reports.flatMap((r) => r.states.flatMap((s) => s.ruleIds)));
  const seconds = reports.reduce((n, r) => n + r.ms, 0) / 1000;
  console.log(
    `browser scenarios in ${dir}: ${reports.length - failed.length} passed, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}; ` +
      `axe ran ${sum('rulesRun')} rule checks (${rules.size} distinct WCAG A/AA rules) on ${sum('states')} page states: ` +
      `${sum('violations')} violations, ${sum('allowed')} allowed; ${sum('screenshots')} screenshots; ${seconds.toFixed(1)} s in the browser`,
  );
}
