// A citizen panel, first part: a signed-in citizen volunteers through the page: the form sent
// without consent comes back with its errors; then sent with the answers and the consent.
// (The Rust side then has the organiser commit the seed and draw; panel_reply.mjs follows.)
//
// SCENARIO_DATA: { activity, email, password }

import { assert, checkA11y, expectNoSidewaysScroll, expectPath, newPage, scenario, visit } from '../lib/index.mjs';

scenario(async ({ data }) => {
  const page = await newPage({ viewport: 360 });
  const both = async (state) => {
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await checkA11y(page, `${state} ${width}px`);
      await expectNoSidewaysScroll(page, `${state} ${width}px`);
    }
    await page.setViewportSize({ width: 360, height: 800 });
  };
  const path = `/activities/${data.activity}`;

  // Signed out, the page says to sign in to take part; its link leads back here.
  await visit(page, path);
  await both('citizen panel signed out');
  await Promise.all([page.waitForURL('**/signin?**'), page.locator('#take-part a.button').click()]);
  const signin = page.locator('form[action="/signin/password"]');
  await signin.locator('input[name="email"]').fill(data.email);
  await signin.locator('input[name="password"]').fill(data.password);
  await Promise.all([page.waitForURL(`**${path}`), signin.locator('button[type="submit"]').click()]);
  expectPath(page, path);

  const form = page.locator('#kind-volunteer form');
  assert.ok(await form.isVisible(), 'the volunteer form is offered');
  await both('citizen panel volunteer form');

  // An answer but no consent: the error at the consent, the answer kept.
  await form.getByLabel('18 to 44').check();
  const [refused] = await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').click()]);
  assert.equal(refused.status(), 422);
  assert.ok(await page.locator('.error-summary a[href="#f-volunteer-consent"]').isVisible(), 'the summary links the consent');
  assert.ok(await page.locator('#f-volunteer-consent-error').isVisible(), 'the error sits at the consent');
  assert.ok(await page.locator('#kind-volunteer form').getByLabel('18 to 44').isChecked(), 'the answer is kept');
  await both('citizen panel volunteer errors');

  // With the consent: received.
  const again = page.locator('#kind-volunteer form');
  await again.locator('input[name="body.consent"][value="true"]').check();
  const [sent] = await Promise.all([page.waitForNavigation(), again.locator('button[type="submit"]').click()]);
  assert.equal(sent.status(), 200);
  assert.match(new URL(page.url()).search, /^\?received=/);
  assert.ok(await page.locator('#received').isVisible(), 'the page says the volunteering was received');
  await both('citizen panel volunteered');
});
