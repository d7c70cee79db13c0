// The JSON report of one scenario: REPORT_DIR/<scenario>.json, written when it ends (passed
// or not): every page state axe checked, with how many rules ran, and every screenshot.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { env } from './env.mjs';

export const report = {
  scenario: env.scenario,
  ok: false,
  error: null,
  ms: 0,
  browser: null,
  axe: null,
  states: [],
  screenshots: [],
  consoleErrors: [],
};

/** The totals of a report: page states, rule runs, violations. */
export function totals(r) {
  return {
    states: r.states.length,
    rulesRun: r.states.reduce((n, s) => n + s.rulesRun, 0),
    distinctRules: new Set(r.states.flatMap((s) => s.ruleIds)).size,
    violations: r.states.reduce((n, s) => n + s.violations.length, 0),
    allowed: r.states.reduce((n, s) => n + s.allowed.length, 0),
    incomplete: r.states.reduce((n, s) => n + s.incomplete.length, 0),
    screenshots: r.screenshots.length,
  };
}

/** Writes the report; returns its path. */
export function writeReport() {
  mkdirSync(env.reportDir, { recursive: true });
  const path = join(env.reportDir, `${report.scenario}.json`);
  writeFileSync(path, JSON.stringify({ ...report, totals: totals(report) }, null, 2) + '\n');
  return path;
}
