// The facilitator's desk by keyboard alone, and the moderation queue (issue 13, items 3 and
// 4), in a browser without JavaScript. A facilitator picks the activity and "on paper" once,
// then enters ten paper answers with "Save and enter the next": Tab, arrow keys, Space, typing
// and Enter, nothing clicked. After each save the focus is back on the form's first field and
// the saved answer's reference is shown in large type; a first try with nothing chosen shows
// the errors, whose link leads to the field. Then the moderation queue: the reported
// contribution hidden with a reason (a first try without one), which the public log shows.
// axe on every state, at 360 and 1280 px, in English, Spanish and French.
//
// SCENARIO_DATA: { token, slug, activityId, activityTitle, reportReason, hideReason }

import { assert, checkA11y, expectH1, newPage, scenario, screenshot, visit } from '../lib/index.mjs';
import { describe, focused, tabTo } from '../lib/keyboard.mjs';

scenario(async ({ data }) => {
  const desk = `/manage/processes/${data.slug}/desk`;
  const page = await newPage({ viewport: 1280, javaScriptEnabled: false, cookies: { convene_access: data.token } });
  const ring = (f) => assert.ok(f.ring, `the focus is visible on ${describe(f)}`);
  const press = async (key, navigates) => {
    if (navigates) await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
    else await page.keyboard.press(key);
  };
  const firstField = (f) => f.name === 'body.answers.priority';

  // Step 1: the activity and the channel, once.
  await visit(page, desk);
  await expectH1(page, 'Facilitator desk');
  await checkA11y(page, 'desk choose 1280px');
  await screenshot(page, 'staff-desk-choose');
  const select = await tabTo(page, (f) => f.tag === 'SELECT', 'the activity');
  ring(select);
  assert.equal(select.value, data.activityId, 'the open activity is chosen');
  const paper = await tabTo(page, (f) => f.name === 'channel', 'the channel');
  assert.deepEqual([paper.value, paper.checked], ['paper', true], `on paper by default: ${describe(paper)}`);
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Start entering', 'the start button');
  await press('Enter', true);
  const url = new URL(page.url());
  assert.deepEqual([url.searchParams.get('activity'), url.searchParams.get('channel')], [data.activityId, 'paper'], page.url());

  // The entry form, the focus on its first field.
  let f = await focused(page);
  assert.ok(firstField(f), `the focus starts on the first field: ${describe(f)}`);
  ring(f);
  await checkA11y(page, 'desk empty 1280px');
  await screenshot(page, 'staff-desk-empty');

  // Saved with nothing chosen: the errors, the summary has the focus, its link leads to the field.
  await tabTo(page, (x) => x.tag === 'BUTTON' && x.text === 'Save and enter the next', 'the save button');
  await press('Enter', true);
  const summary = await focused(page);
  assert.ok(summary.cls.includes('error-summary'), `the error summary has the focus: ${describe(summary)}`);
  await checkA11y(page, 'desk with errors 1280px');
  await screenshot(page, 'staff-desk-errors');
  const link = await tabTo(page, (x) => x.tag === 'A', 'the first link of the summary', { max: 1 });
  await press('Enter');
  f = await focused(page);
  assert.ok(firstField(f) && link.href === `#${f.id}`, `the summary's link puts the focus on the field: ${describe(f)}`);

  // Ten paper answers, one after another.
  const references = [];
  for (let i = 1; i <= 10; i++) {
    f = await focused(page);
    assert.ok(firstField(f), `answer ${i}: the focus is on the first field: ${describe(f)}`);
    // Even answers choose the second choice (ArrowDown picks it), odd ones the first (Space).
    if (i % 2 === 0) await press('ArrowDown');
    else await press('Space');
    const chosen = await focused(page);
    assert.ok(chosen.checked, `answer ${i}: a choice is picked: ${describe(chosen)}`);
    const comment = await tabTo(page, (x) => x.name === 'body.answers.comment', 'the comment');
    ring(comment);
    await page.keyboard.type(`Paper answer ${i}`);
    await tabTo(page, (x) => x.tag === 'BUTTON' && x.text === 'Save and enter the next', 'the save button');
    await press('Enter', true);
    const saved = new URL(page.url());
    assert.ok(saved.searchParams.has('saved'), `answer ${i} saved: ${page.url()}`);
    assert.equal(saved.searchParams.get('channel'), 'paper', 'the channel is kept');
    const reference = (await page.locator('.desk-reference').innerText()).trim();
    assert.match(reference, /^P-[0-9A-Z]{6}$/, `answer ${i}: a reference for the slip`);
    references.push(reference);
    assert.equal(await page.locator('[name="body.answers.comment"]').inputValue(), '', 'the form is empty again');
    const counts = await page.locator('.desk-counts').innerText();
    assert.ok(counts.includes(`You entered ${i} answer`), `the count says ${i}: ${counts}`);
    if (i === 1) {
      await checkA11y(page, 'desk after save 1280px');
      await screenshot(page, 'staff-desk-saved');
    }
  }
  assert.equal(new Set(references).size, 10, `ten different references: ${references}`);

  // At phone width, in Spanish; with an error, in French (the account's language wins over
  // the cookie, so it is set through the API).
  const locale = async (lang) => {
    const res = await page.request.patch('/api/v1/me', { data: { locale: lang }, headers: { authorization: `Bearer ${data.token}` } });
    assert.equal(res.status(), 200, `locale ${lang}`);
  };
  await locale('es');
  const es = await newPage({ viewport: 360, lang: 'es', javaScriptEnabled: false, cookies: { convene_access: data.token, lang: 'es' } });
  await visit(es, `${desk}?activity=${data.activityId}&channel=phone`);
  await expectH1(es, 'Mesa de facilitación');
  await checkA11y(es, 'desk empty es 360px');
  await screenshot(es, 'staff-desk-empty-es');
  await locale('fr');
  const fr = await newPage({ viewport: 360, lang: 'fr', javaScriptEnabled: false, cookies: { convene_access: data.token, lang: 'fr' } });
  await visit(fr, `${desk}?activity=${data.activityId}&channel=in_person`);
  await fr.getByLabel(/Son adresse e-mail/).fill('pas une adresse');
  await Promise.all([fr.waitForNavigation(), fr.getByRole('button', { name: 'Enregistrer et saisir la suivante' }).click()]);
  assert.ok((await fr.locator('.error-summary').innerText()).includes('nom@exemple.org'), 'the error in French');
  await checkA11y(fr, 'desk with errors fr 360px');
  await screenshot(fr, 'staff-desk-errors-fr');
  await visit(fr, desk);
  await checkA11y(fr, 'desk choose fr 360px');
  await locale('en');

  // The moderation queue: the report, a first try without a reason, then hidden.
  const queue = `/manage/processes/${data.slug}/moderation`;
  const mod = await newPage({ viewport: 1280, javaScriptEnabled: false, cookies: { convene_access: data.token } });
  await visit(mod, queue);
  await expectH1(mod, 'Moderation queue');
  assert.ok(await mod.getByText(data.reportReason).isVisible(), 'the report is shown');
  await checkA11y(mod, 'moderation queue 1280px');
  await screenshot(mod, 'staff-moderation-queue');
  const hide = mod.getByRole('button', { name: /^Hide contribution/ });
  await Promise.all([mod.waitForNavigation(), hide.click()]);
  assert.ok((await mod.locator('.error-summary').innerText()).includes('Say why'), 'a reason is needed');
  await checkA11y(mod, 'moderation queue with errors 1280px');
  await screenshot(mod, 'staff-moderation-errors');
  await mod.getByLabel('Why hide it? (public)').fill(data.hideReason);
  await Promise.all([mod.waitForNavigation(), mod.getByRole('button', { name: /^Hide contribution/ }).click()]);
  assert.ok((await mod.locator('main').innerText()).includes('The contribution is hidden.'), 'the note says so');
  assert.ok(await mod.getByRole('button', { name: /^Restore contribution/ }).isVisible(), 'now restorable');
  await checkA11y(mod, 'moderation queue after hiding 1280px');
  await screenshot(mod, 'staff-moderation-hidden');
  await Promise.all([mod.waitForNavigation(), mod.getByRole('link', { name: 'See the public moderation log' }).click()]);
  assert.ok((await mod.locator('main').innerText()).includes(data.hideReason), 'the public log shows the reason');

  await locale('es');
  const small = await newPage({ viewport: 360, lang: 'es', javaScriptEnabled: false, cookies: { convene_access: data.token, lang: 'es' } });
  await visit(small, queue);
  await expectH1(small, 'Cola de moderación');
  await checkA11y(small, 'moderation queue es 360px');
  await screenshot(small, 'staff-moderation-queue-es');
});
