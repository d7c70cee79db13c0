// A citizen panel, second part: after the draw, the invited person opens the invitation
// email's link (signed out, in a fresh browser), signs in on the way, lands on the activity's
// reply form and accepts the seat through the page.
//
// SCENARIO_DATA: { activity, email, password }

import { assert, checkA11y, expectNoSidewaysScroll, expectPath, mail, newPage, scenario, visit } from '../lib/index.mjs';

scenario(async ({ data }) => {
  const invitation = await mail.waitFor({ to: data.email, subject: 'You were drawn' });
  const link = invitation.link(`/activities/${data.activity}`);
  const path = `/activities/${data.activity}`;
  assert.ok(link.endsWith(path), `the invitation links to the activity: ${link}`);

  const page = await newPage({ viewport: 360 });
  const both = async (state) => {
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await checkA11y(page, `${state} ${width}px`);
      await expectNoSidewaysScroll(page, `${state} ${width}px`);
    }
    await page.setViewportSize({ width: 360, height: 800 });
  };
  await visit(page, link);
  await both('citizen panel invitation signed out');
  await Promise.all([page.waitForURL('**/signin?**'), page.locator('#take-part a.button').click()]);
  await both('sign-in on the way to the reply');
  const signin = page.locator('form[action="/signin/password"]');
  await signin.locator('input[name="email"]').fill(data.email);
  await signin.locator('input[name="password"]').fill(data.password);
  await Promise.all([page.waitForURL(`**${path}`), signin.locator('button[type="submit"]').click()]);
  expectPath(page, path);

  const form = page.locator('#kind-reply form');
  assert.ok(await form.isVisible(), 'the reply form is offered to the invited person');
  await page.locator('#kind-reply').scrollIntoViewIfNeeded();
  await both('citizen panel reply form');

  await form.locator('input[name="body.accept"][value="true"]').check();
  const [sent] = await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').click()]);
  assert.equal(sent.status(), 200);
  assert.ok(await page.locator('#received').isVisible(), 'the reply was received');
  assert.ok((await page.locator('#received').innerText()).includes('I accept my seat on the panel'), 'the reply is shown as sent');
  await both('citizen panel replied');
});
