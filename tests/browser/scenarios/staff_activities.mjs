// The staff's activity pages (issue 13): an organiser adds a consultation (a configuration
// error first, then a valid one), sees it listed and its page; then a citizen panel's page
// before and after the draw (the seed committed from the page first). axe on every state, at
// 360 and 1280 px, in English, and in Spanish and French once each.
//
// SCENARIO_DATA: { token, slug, panel, config }

import { assert, checkA11y, expectNoSidewaysScroll, newPage, scenario, screenshot, visit } from '../lib/index.mjs';

scenario(async ({ data }) => {
  const both = async (page, state, shot) => {
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await checkA11y(page, `${state} ${width}px`);
      await expectNoSidewaysScroll(page, `${state} ${width}px`);
      if (shot) await screenshot(page, shot, { maxHeight: 2400 });
    }
    await page.setViewportSize({ width: 360, height: 800 });
  };
  const page = await newPage({ viewport: 360, cookies: { convene_access: data.token } });
  const list = `/manage/processes/${data.slug}/activities`;

  // The list, empty.
  await visit(page, list);
  assert.equal(await page.locator('h1').innerText(), 'Activities');
  await both(page, 'staff activities empty list', 'staff-activities-empty');

  // Pick the type.
  await page.getByRole('link', { name: 'Add an activity' }).click();
  await page.waitForURL('**/activities/new');
  await both(page, 'staff activities pick type', 'staff-activities-pick');
  await page.getByLabel('Consultation', { exact: true }).check();
  await Promise.all([page.waitForURL('**/activities/new?type=*'), page.getByRole('button', { name: 'Continue' }).click()]);
  await both(page, 'staff activities new consultation', 'staff-activities-new');

  // A configuration the plugin refuses: at its field, with what was typed.
  await page.getByLabel('English').first().fill('Street survey');
  await page.locator('#closes_at').fill('2099-06-30T18:00');
  await page.locator('#config-json').fill('{"questions": []}');
  const [refused] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add the activity' }).click()]);
  assert.equal(refused.status(), 422);
  assert.ok(await page.locator('.error-summary a[href="#config-json"]').isVisible(), 'the summary links the configuration');
  assert.ok(await page.locator('#config-json-error').isVisible(), 'the error sits at the configuration');
  assert.equal(await page.locator('#title-en').inputValue(), 'Street survey', 'the title is kept');
  await both(page, 'staff activities configuration error', 'staff-activities-error');

  // A valid one.
  await page.locator('#config-json').fill(data.config);
  const [added] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add the activity' }).click()]);
  assert.equal(added.status(), 200);
  assert.match(new URL(page.url()).pathname, /^\/manage\/activities\/[0-9a-f-]+$/);
  assert.ok((await page.locator('main').innerText()).includes('The activity was added.'));
  await both(page, 'staff activity manage page', 'staff-activities-manage');

  // The close confirmation.
  await page.getByRole('link', { name: 'Close now…' }).click();
  await page.waitForURL('**/close');
  await both(page, 'staff activity close confirmation', 'staff-activities-close');

  // The list with the activity, in Spanish; the form with an error, in French (the account's
  // language wins over a cookie, so through the switcher), then back to English.
  const switchTo = async (p, name) => {
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name, exact: true }).click()]);
  };
  await visit(page, list);
  await switchTo(page, 'Español');
  assert.equal(await page.locator('h1').innerText(), 'Actividades');
  assert.ok((await page.locator('main').innerText()).includes('Street survey'));
  await both(page, 'staff activities list es', 'staff-activities-list-es');
  await visit(page, `${list}/new?type=org.convene.consultation`);
  await switchTo(page, 'Français');
  await page.locator('#config-json').fill('{not json');
  const [frRefused] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Ajouter l’activité' }).click()]);
  assert.equal(frRefused.status(), 422);
  assert.ok((await page.locator('#config-json-error').innerText()).includes('JSON valide'));
  await both(page, 'staff activities error fr', 'staff-activities-error-fr');
  await switchTo(page, 'English');

  // The citizen panel before the draw: the pool against the quotas, no draw without the seed.
  const panel = `/manage/activities/${data.panel}/panel`;
  await visit(page, panel);
  assert.ok((await page.locator('main').innerText()).includes('Commit the seed (step 2) before the draw.'));
  await both(page, 'staff panel before the seed', 'staff-panel-before-seed');
  const [committed] = await Promise.all([page.waitForNavigation(), page.locator('#seed-heading ~ form button').click()]);
  assert.equal(committed.status(), 200);
  await both(page, 'staff panel seed committed', 'staff-panel-seed-committed');
  const [drawn] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Run the draw' }).click()]);
  assert.equal(drawn.status(), 200);
  assert.ok((await page.locator('main').innerText()).includes('awaiting a reply'), 'the invitations are listed');
  await both(page, 'staff panel after the draw', 'staff-panel-drawn');
});
