// A citizen's whole journey at phone width (360 px): signs up with the form, opens the emailed
// link, signs in with its button; contributes to a consultation, first with mistakes (the
// error summary takes the focus, each error shows at its field, what was typed is kept), then
// corrected; sees the contribution on the activity page; the organiser responds through the
// API; the citizen sees the response on "My input" and gets the email about it. axe checks
// every page state on the way.
//
// SCENARIO_DATA: { email, name, activityId, activityTitle, slug, organiserToken,
//                  explanation, tooLong, comment }

import { assert, checkA11y, env, expectH1, expectPath, mail, newPage, scenario, screenshot, visit } from '../lib/index.mjs';
import { expectReflow } from '../lib/layout.mjs';

/** axe, and no sideways scrolling at phone width. */
async function checkState(page, state) {
  await checkA11y(page, state);
  await expectReflow(page, state);
}

const activeIsSummary = (page) => page.evaluate(() => document.activeElement?.classList.contains('error-summary') ?? false);

scenario(async ({ data }) => {
  const page = await newPage({ viewport: 360 });

  // Sign up: the form, a first try with a wrong address, then sent.
  await visit(page, '/signup');
  await expectH1(page, 'Create an account');
  await checkState(page, 'sign-up form 360px');
  await page.getByLabel('Email address').fill('not-an-address');
  await page.getByLabel('Your name', { exact: true }).fill(data.name);
  await Promise.all([page.waitForURL('**/signup'), page.getByRole('button', { name: 'Create account' }).click()]);
  const signupSummary = page.locator('.error-summary');
  await signupSummary.waitFor();
  assert.ok(await activeIsSummary(page), 'the sign-up error summary has the focus');
  assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true', 'the address is marked invalid');
  assert.ok(await page.locator('#email-error').isVisible(), "the address's error shows at its field");
  assert.equal(await page.getByLabel('Your name', { exact: true }).inputValue(), data.name, 'the name typed is kept');
  assert.match(await page.title(), /^Error/, 'the title says there is an error');
  await checkState(page, 'sign-up with errors 360px');
  await screenshot(page, 'flow-signup-errors');

  await page.getByLabel('Email address').fill(data.email);
  const before = mail.mark();
  await Promise.all([page.waitForURL('**/signup/sent'), page.getByRole('button', { name: 'Create account' }).click()]);
  await expectH1(page, 'Check your email');
  await checkState(page, 'check your email 360px');

  // The emailed link: its page, its button, signed in.
  const welcome = await mail.waitFor({ to: data.email, after: before });
  await visit(page, welcome.link('/login/magic?token='));
  await expectH1(page, 'Sign in');
  await checkState(page, 'sign-in link landing 360px');
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login/magic'), page.getByRole('button', { name: 'Sign in' }).click()]);
  const me = await page.request.get('/api/v1/me');
  assert.equal(me.status(), 200, 'signed in after the button');
  assert.equal((await me.json()).email, data.email);
  expectPath(page, '/me/input');
  await expectH1(page, 'My input');
  await checkState(page, 'my input empty 360px');

  // The consultation: its form.
  await visit(page, `/activities/${data.activityId}`);
  await expectH1(page, data.activityTitle);
  const form = page.locator(`form[action="/activities/${data.activityId}/contributions"]`);
  await form.waitFor();
  await checkState(page, 'activity page with its form 360px');

  // First try: the required choice left out, the comment too long.
  await form.getByLabel('Anything else?').fill(data.tooLong);
  await Promise.all([page.waitForURL(`**/activities/${data.activityId}/contributions`), form.getByRole('button', { name: 'Send' }).click()]);
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.ok(await activeIsSummary(page), 'the error summary has the focus');
  assert.match(await page.title(), /^Error/, 'the title says there is an error');
  const links = summary.getByRole('link');
  assert.equal(await links.count(), 2, `two problems listed: ${await summary.innerText()}`);
  const targets = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of targets) {
    const target = page.locator(href);
    assert.equal(await target.count(), 1, `the summary's link ${href} leads to a control`);
    const field = target.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " field-error ")][1]');
    assert.equal(await field.count(), 1, `${href} is inside a field marked with its error`);
    assert.ok(await field.locator('.error-message').isVisible(), `the error of ${href} shows at its field`);
    assert.equal(await target.getAttribute('aria-invalid'), 'true', `${href} is marked invalid`);
  }
  const described = await page.getByLabel('Anything else?').getAttribute('aria-describedby');
  assert.ok(described.split(' ').some((id) => id.endsWith('-error')), `the comment's error is tied to it: ${described}`);
  assert.equal(await page.getByLabel('Anything else?').inputValue(), data.tooLong, 'what was typed is kept');
  await checkState(page, 'activity page with errors 360px');
  await screenshot(page, 'flow-activity-errors');

  // Corrected and sent.
  const fixed = page.locator(`form[action="/activities/${data.activityId}/contributions"]`);
  await fixed.getByRole('radio', { name: 'Health' }).check();
  await fixed.getByLabel('Anything else?').fill(data.comment);
  await Promise.all([page.waitForURL((u) => u.searchParams.has('received')), fixed.getByRole('button', { name: 'Send' }).click()]);
  const received = page.locator('#received');
  await received.waitFor();
  assert.ok(await received.getByRole('heading', { name: 'Your contribution was received' }).isVisible(), 'the success note');
  assert.ok((await received.innerText()).includes(data.comment), 'the note shows what was sent');
  const contributionId = new URL(page.url()).searchParams.get('received');
  const listed = page.locator(`#c-${contributionId}`);
  assert.ok(await listed.isVisible(), 'the contribution is listed on the activity page');
  assert.ok((await listed.innerText()).includes(data.comment), 'with its words');
  assert.ok(await listed.getByText('Yours').isVisible(), 'marked as mine');
  await checkState(page, 'activity page with success 360px');
  await screenshot(page, 'flow-activity-received');

  // The organiser responds, through the API.
  const mark = mail.mark();
  const res = await fetch(`${env.baseUrl}/api/v1/processes/${data.slug}/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${data.organiserToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ contribution_ids: [contributionId], disposition: 'adopted', explanation: { en: data.explanation } }),
  });
  assert.equal(res.status, 201, `the organiser's response: ${await res.text()}`);

  // The email about it, and the response on My input.
  const note = await mail.waitFor({ to: data.email, subject: 'a response to your input', after: mark });
  assert.ok(note.text.includes('Decision: adopted'), `the email says what was decided: ${note.text}`);
  assert.ok(note.text.includes(data.explanation), `and why: ${note.text}`);
  assert.ok(note.links.some((l) => l.endsWith('/me/input')), `and links to My input: ${note.links.join(' ')}`);
  await visit(page, '/me/input');
  expectPath(page, '/me/input');
  await expectH1(page, 'My input');
  const item = page.locator(`#c-${contributionId}-heading`).locator('xpath=..');
  const text = await item.innerText();
  assert.ok(text.includes('Adopted'), `the disposition on My input: ${text}`);
  assert.ok(text.includes(data.explanation), `the explanation on My input: ${text}`);
  await checkState(page, 'my input with the response 360px');
  await screenshot(page, 'flow-my-input');
});
