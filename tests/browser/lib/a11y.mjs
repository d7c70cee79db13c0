// Accessibility: axe-core on every page state; any WCAG 2.0/2.1/2.2 A or AA violation fails.

import { AxeBuilder } from '@axe-core/playwright';

import { launch, pageOptions } from './browser.mjs';
import { report } from './report.mjs';

/** The axe tags checked: WCAG 2.0, 2.1 and 2.2, levels A and AA (axe has no `wcag22a` tag). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe on the page as it is now and records the result under `state` (a label such as
 * 'home 360px es'). Throws if there is any violation, listing each rule with the selectors of
 * the elements that break it.
 *
 * `allow` lists violations that are known and accepted for now, each
 * `{rule, target?, reason}`: `target` is the element's selector as axe prints it (all elements
 * if left out). Use it only for pages about to be replaced, with the reason. An allowance that
 * matches nothing fails too, so that the list shrinks as pages are fixed.
 */
export async function checkA11y(page, state, { allow = [] } = {}) {
  const started = Date.now();
  const results = await analyze(page);
  const target = (node) => node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' ');
  const allows = (v, node) => allow.find((a) => a.rule === v.id && (a.target === undefined || a.target === target(node)));

  const violations = [];
  const allowed = [];
  const used = new Set();
  for (const v of results.violations) {
    for (const node of v.nodes) {
      const entry = { rule: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, target: target(node), summary: node.failureSummary };
      const a = allows(v, node);
      if (a) {
        used.add(a);
        allowed.push({ ...entry, reason: a.reason });
      } else {
        violations.push(entry);
      }
    }
  }
  const stale = allow.filter((a) => !used.has(a));
  const viewport = page.viewportSize();
  report.states.push({
    state,
    url: page.url(),
    viewport: viewport && `${viewport.width}x${viewport.height}`,
    rulesRun: results.passes.length + results.violations.length + results.incomplete.length + results.inapplicable.length,
    rulesPassed: results.passes.length,
    rulesViolated: results.violations.length,
    rulesIncomplete: results.incomplete.length,
    rulesInapplicable: results.inapplicable.length,
    ruleIds: [...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable].map((r) => r.id).sort(),
    violations,
    allowed,
    // "Needs review": axe could not decide (text over an image, say). Listed, not failed.
    incomplete: results.incomplete.map((r) => ({ rule: r.id, targets: r.nodes.map(target) })),
    ms: Date.now() - started,
  });

  const lines = [];
  for (const v of violations) {
    lines.push(`  - ${v.rule} (${v.impact}): ${v.help}\n      at ${v.target}\n      ${(v.summary ?? '').replace(/\n/g, '\n      ')}\n      ${v.helpUrl}`);
  }
  for (const a of stale) {
    lines.push(`  - allowance for ${a.rule}${a.target ? ` at ${a.target}` : ''} matched nothing: the page is fixed, remove it from the scenario`);
  }
  if (lines.length) {
    throw new Error(`axe: ${violations.length} WCAG A/AA violation(s) on state "${state}" (${page.url()}):\n${lines.join('\n')}`);
  }
  return results;
}

/**
 * axe's results for the page. axe needs scripts (its timers do not run in a page whose
 * scripts are disabled), so a page opened with `javaScriptEnabled: false` is checked in a
 * twin: a page with scripts on, same size and language, served the same DOM at the same URL
 * (stylesheets and images still come from the server).
 */
async function analyze(page) {
  // Legacy mode: axe.run in the page itself. The default runs each frame's part and then
  // opens a blank page to finish, which costs twice the time of the whole check; it exists
  // for cross-origin frames, and our pages have no frames at all (frame-ancestors 'none',
  // nothing embedded).
  const run = (p) => new AxeBuilder({ page: p }).withTags(WCAG_TAGS).setLegacyMode().analyze();
  const options = pageOptions(page);
  if (options.javaScriptEnabled !== false) return run(page);

  const html = await page.content();
  const url = page.url();
  const context = await (await launch()).newContext({
    viewport: page.viewportSize(),
    locale: options.lang,
    javaScriptEnabled: true,
  });
  try {
    const twin = await context.newPage();
    await twin.route((u) => u.href === url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await twin.goto(url);
    return await run(twin);
  } finally {
    await context.close();
  }
}
