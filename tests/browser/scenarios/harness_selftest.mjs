// Checks the library itself, so that a green page scenario means something: axe failures are
// failures, allowances are exact, pages without scripts are checked too, mail is found.
//
// SCENARIO_DATA: { email } (an address the Rust side signed up, so one email is waiting).

import { assert, checkA11y, env, mail, newPage, scenario, visit } from '../lib/index.mjs';
import { report } from '../lib/report.mjs';

const BAD = '<!doctype html><html lang="en"><head><title>Bad</title></head><body><main><h1>Bad</h1><img src="/nothing.png"></main></body></html>';
const GOOD = '<!doctype html><html lang="en"><head><title>Good</title></head><body><main><h1>Good</h1><p>Fine.</p></main></body></html>';

/** A page at `path` on the server's origin, with `html` served by the browser itself. */
async function fakePage(path, html, options) {
  const page = await newPage(options);
  await page.route(`${env.baseUrl}${path}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await visit(page, path);
  return page;
}

scenario(async ({ data }) => {
  const before = report.states.length;

  // Any violation fails, naming the rule, the element and the state; with scripts off too
  // (axe then runs in a twin page).
  for (const javaScriptEnabled of [true, false]) {
    const bad = await fakePage('/selftest/bad', BAD, { viewport: 360, javaScriptEnabled });
    await assert.rejects(checkA11y(bad, `selftest bad js=${javaScriptEnabled}`), (err) => {
      assert.match(err.message, /image-alt/);
      assert.match(err.message, /at img/);
      assert.match(err.message, new RegExp(`selftest bad js=${javaScriptEnabled}`));
      return true;
    });
    if (!javaScriptEnabled) continue;
    // An exact allowance lets it through, and is recorded as allowed.
    await checkA11y(bad, 'selftest allowed', { allow: [{ rule: 'image-alt', target: 'img', reason: 'self-test' }] });
    assert.equal(report.states.at(-1).allowed.length, 1);
    // An allowance for another element does not.
    await assert.rejects(checkA11y(bad, 'selftest wrong target', { allow: [{ rule: 'image-alt', target: 'main > p', reason: 'self-test' }] }), /image-alt/);
  }

  // An allowance that matches nothing fails, so fixed pages lose theirs.
  const good = await fakePage('/selftest/good', GOOD, { viewport: 1280 });
  await assert.rejects(checkA11y(good, 'selftest stale', { allow: [{ rule: 'image-alt', reason: 'self-test' }] }), /matched nothing/);
  await checkA11y(good, 'selftest good');
  const last = report.states.at(-1);
  assert.ok(last.rulesRun > 20, `axe ran ${last.rulesRun} rules`);
  assert.equal(last.viewport, '1280x800');

  // These states were deliberate: keep them out of the suite's totals.
  report.states.splice(before);

  // Mail: the newest matching message, its links, and a clear failure when none comes.
  const email = await mail.waitFor({ to: data.email.toUpperCase(), subject: /sign-in link/ });
  assert.match(email.link('/login/magic?token='), /^http:\/\/.+\/login\/magic\?token=.+/);
  assert.throws(() => email.link('/nowhere'), /has no link containing/);
  await assert.rejects(mail.waitFor({ to: data.email, subject: 'no such subject', timeout: 300 }), /received:\n\s+1\. to /);
  await assert.rejects(mail.waitFor({ to: data.email, after: mail.mark(), timeout: 300 }), /no email to/);
});
