// An organiser responds to 300 contributions in one bulk action through the filter ("all 300
// matching"), the bulk response by keyboard alone (Tab, arrow keys, typing, Enter) in a
// browser without JavaScript: the button under the table, the form sent empty first (the
// error summary takes the focus, its links lead to the fields), then complete, the
// confirmation that says how many it answers, sent. axe checks every state: the empty
// process, the table (1280 and 360 px, in Spanish), the form, with errors (in French), the
// confirmation, the result.
//
// SCENARIO_DATA: { link, slug, emptySlug, total, word, explanation }

import { assert, checkA11y, expectH1, newPage, scenario, screenshot, visit } from '../lib/index.mjs';
import { expectReflow } from '../lib/layout.mjs';
import { describe, focused, tabTo } from '../lib/keyboard.mjs';

scenario(async ({ data }) => {
  const page = await newPage({ viewport: 1280, javaScriptEnabled: false });
  const ring = (f) => assert.ok(f.ring, `the focus is visible on ${describe(f)}`);
  const press = async (key, navigates) => {
    if (navigates) await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
    else await page.keyboard.press(key);
  };
  const base = `/manage/processes/${data.slug}/responses`;

  // Signed in with the emailed link's button.
  await visit(page, data.link);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login/magic'), page.getByRole('button', { name: 'Sign in' }).click()]);

  // A process nobody contributed to yet.
  await visit(page, `/manage/processes/${data.emptySlug}/responses`);
  await expectH1(page, 'Respond to contributions');
  await checkA11y(page, 'staff responses empty 1280px');
  await screenshot(page, 'staff-responses-empty');

  // The table, filtered to the paper entries still without a response.
  await visit(page, `${base}?channel=paper&responded=no&q=${encodeURIComponent(data.word)}`);
  await expectH1(page, 'Respond to contributions');
  assert.equal((await page.locator('#matching').innerText()).trim(), `${data.total} contributions match.`);
  assert.equal(await page.locator('tbody tr').count(), 25, 'a page of 25');
  await checkA11y(page, 'staff responses filtered 1280px');
  await screenshot(page, 'staff-responses-filtered');

  // By keyboard: from the search field to the "all 300 matching" button, Enter.
  await page.locator('#f-q').focus();
  const all = await tabTo(page, (f) => f.tag === 'BUTTON' && f.value === 'all', 'the "all matching" button', { max: 200 });
  assert.equal(all.text, `Respond to all ${data.total} matching contributions`);
  ring(all);
  await press('Enter', true);
  await expectH1(page, 'Respond to several contributions');
  assert.ok((await page.locator('.lead').first().innerText()).includes(`answers ${data.total} contributions`));
  await checkA11y(page, 'staff responses form 1280px');
  await screenshot(page, 'staff-responses-form');

  // Sent empty: the error summary has the focus; its first link leads to the disposition.
  const cont = await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Continue', 'the Continue button', { max: 120 });
  ring(cont);
  await press('Enter', true);
  const summary = await focused(page);
  assert.ok(summary.cls.includes('error-summary'), `the error summary has the focus, not ${describe(summary)}`);
  await checkA11y(page, 'staff responses form with errors 1280px');
  await screenshot(page, 'staff-responses-errors');
  const toDisposition = await tabTo(page, (f) => f.tag === 'A', 'the first link of the summary', { max: 1 });
  assert.equal(toDisposition.href, '#disposition');
  await press('Enter');
  const radio = await focused(page);
  assert.equal(radio.id, 'disposition', `the link puts the focus on the first choice: ${describe(radio)}`);
  ring(radio);

  // Choose "Partly adopted" with the arrow keys, then the explanation in English.
  await press('ArrowDown');
  const partly = await focused(page);
  assert.ok(partly.checked && partly.value === 'partly_adopted', `ArrowDown picks the next choice: ${describe(partly)}`);
  const english = await tabTo(page, (f) => f.tag === 'TEXTAREA', 'the explanation');
  assert.equal(english.id, 'explanation-en');
  ring(english);
  await page.keyboard.type(data.explanation);
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Continue', 'the Continue button', { max: 40 });
  await press('Enter', true);

  // The confirmation says how many; Tab to its button, Enter.
  await expectH1(page, `Send this response to ${data.total} contributions?`);
  await checkA11y(page, 'staff responses confirmation 1280px');
  await screenshot(page, 'staff-responses-confirm');
  const send = await tabTo(page, (f) => f.tag === 'BUTTON' && f.value === 'yes' && f.name === 'confirm', 'the Send button', { max: 60 });
  assert.equal(send.text, `Send the response to ${data.total} contributions`);
  ring(send);
  await press('Enter', true);

  // Back at the same filter: nothing left, and the note says how many were answered.
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('answered'), String(data.total), `sent: at ${page.url()}`);
  assert.ok((await page.locator('#answered').innerText()).includes(`You responded to ${data.total} contributions.`));
  assert.equal((await page.locator('#matching').innerText()).trim(), 'No contributions match.');
  await checkA11y(page, 'staff responses after the bulk response 1280px');
  await screenshot(page, 'staff-responses-done');

  // The answered ones at phone width, in Spanish (the switcher also sets the account's language).
  await page.setViewportSize({ width: 360, height: 800 });
  await visit(page, `${base}?responded=yes`);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Español' }).click()]);
  await expectH1(page, 'Responder a las contribuciones');
  await checkA11y(page, 'staff responses answered 360px es');
  await expectReflow(page, 'staff responses answered 360px es');
  await screenshot(page, 'staff-responses-es');

  // A form with errors at phone width, in French.
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Français' }).click()]);
  await expectH1(page, 'Répondre aux contributions');
  await page.locator('tbody input[type=checkbox]').first().check();
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Répondre aux contributions sélectionnées' }).click()]);
  await expectH1(page, 'Répondre à une contribution');
  await checkA11y(page, 'staff responses form 360px fr');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Envoyer la réponse' }).click()]);
  assert.ok(await page.locator('.error-summary').isVisible(), 'the errors are summarised');
  assert.equal(await page.locator('#disposition').getAttribute('aria-invalid'), null, 'radios are marked through their fieldset');
  assert.equal(await page.locator('#explanation-en').getAttribute('aria-invalid'), 'true');
  await checkA11y(page, 'staff responses form with errors 360px fr');
  await expectReflow(page, 'staff responses form with errors 360px fr');
  await screenshot(page, 'staff-responses-errors-fr');
});
