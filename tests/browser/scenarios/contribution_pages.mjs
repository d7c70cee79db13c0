// A contribution's own page and its actions, and proving an attribute with the census: each
// page state checked by axe, at phone and desktop width, in English, Spanish and French.
//
// SCENARIO_DATA: { contribution, ana, ben } (the contribution's id; Ana wrote it, Ben did not;
// both are access tokens for the session cookie).

import { assert, checkA11y, expectH1, expectPath, newPage, scenario, screenshot, visit } from '../lib/index.mjs';

scenario(async ({ data }) => {
  const path = `/contributions/${data.contribution}`;

  // Ana, at desktop width: her contribution, its change form, an error, the change saved.
  const ana = await newPage({ viewport: 1280, cookies: { convene_access: data.ana } });
  await visit(ana, path);
  await checkA11y(ana, 'contribution own 1280px');
  await screenshot(ana, 'contribution-own');
  await ana.getByRole('link', { name: 'Change your contribution' }).click();
  await expectH1(ana, 'Change your contribution');
  await checkA11y(ana, 'contribution edit 1280px');
  await ana.getByLabel('Anything else?').fill('Far too long for twenty characters');
  await ana.getByRole('button', { name: 'Save the change' }).click();
  assert.ok(await ana.locator('.error-summary').isVisible(), 'the error summary is shown');
  await checkA11y(ana, 'contribution edit errors 1280px');
  await screenshot(ana, 'contribution-edit-errors');
  await ana.getByLabel('Anything else?').fill('Buses');
  await ana.getByRole('button', { name: 'Save the change' }).click();
  expectPath(ana, `${path}?done=edited`);
  await checkA11y(ana, 'contribution edited 1280px');

  // Ana, on a phone in Spanish: the withdrawal's confirmation; the attribute page and an error.
  const anaEs = await newPage({ viewport: 360, lang: 'es', cookies: { convene_access: data.ana, lang: 'es' } });
  await visit(anaEs, `${path}/withdraw`);
  await checkA11y(anaEs, 'contribution withdraw 360px');
  await visit(anaEs, '/account/attributes');
  await checkA11y(anaEs, 'attributes 360px');
  await anaEs.locator('#identifier').fill('ZQ-0000');
  await anaEs.locator('form[action="/account/attributes"] button[type=submit]').click();
  assert.ok(await anaEs.locator('.error-summary').isVisible(), 'the identifier is not on the list');
  await checkA11y(anaEs, 'attributes errors 360px');
  await screenshot(anaEs, 'attributes-errors');

  // Ben, in French: reporting it, first without a reason.
  const ben = await newPage({ viewport: 1280, lang: 'fr', cookies: { convene_access: data.ben, lang: 'fr' } });
  await visit(ben, path);
  await checkA11y(ben, 'contribution other 1280px fr');
  await visit(ben, `${path}/report`);
  await checkA11y(ben, 'contribution report 1280px fr');
  await ben.locator('form[action$="/report"] button[type=submit]').click();
  assert.ok(await ben.locator('.error-summary').isVisible(), 'a reason is needed');
  await checkA11y(ben, 'contribution report errors 1280px fr');
  await ben.locator('#reason').fill('Elle donne le nom de mon voisin');
  await ben.locator('form[action$="/report"] button[type=submit]').click();
  expectPath(ben, `${path}?done=reported`);
  await checkA11y(ben, 'contribution reported 1280px fr');
  await screenshot(ben, 'contribution-reported');
});
