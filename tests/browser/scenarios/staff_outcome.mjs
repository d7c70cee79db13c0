// An organiser writes the outcome of a process in the workspace: a first try with errors (the
// error summary, each error at its field), then the text with three cited contributions found
// through the search box, a preview, publication; then a revision with its note (Spanish, at
// phone width), the history with the per-section differences, the public page; and the report
// dashboard with the commitment at risk first (French and English). axe checks every state.
//
// SCENARIO_DATA: { slug, organiserToken, tokens: { es, fr } (organisers reading in those
//                 languages), texts: [the contributions' words], risky }

import { assert, checkA11y, expectH1, newPage, scenario, screenshot, visit } from '../lib/index.mjs';

/** Clicks a submit button and waits for the page the post answers with. */
async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

/** Finds the contribution with `words` for the row `row` and ticks it. */
async function cite(page, row, words) {
  await page.locator(`[name="s${row}.q"]`).fill(words);
  await submit(page, page.locator(`button[name="search"][value="${row}"]`));
  const box = page.locator(`#s${row}-results`).getByRole('checkbox', { name: new RegExp(words) });
  assert.equal(await box.count(), 1, `the search for "${words}" finds it`);
  await box.check();
}

scenario(async ({ data }) => {
  const editor = `/manage/processes/${data.slug}/outcome`;
  const page = await newPage({ viewport: 1280, cookies: { convene_access: data.organiserToken } });

  // Empty: the editor of a first version.
  await visit(page, editor);
  await expectH1(page, 'Write the outcome');
  assert.equal(await page.locator('.staff-tabs [aria-current="page"]').innerText(), 'Outcome');
  await checkA11y(page, 'outcome editor empty 1280px');
  await screenshot(page, 'staff-outcome-empty');

  // Publishing nothing: the errors, at their fields.
  await submit(page, page.getByRole('button', { name: 'Publish the outcome' }));
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.match(await page.title(), /^Error/);
  const targets = await summary.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(targets.includes('#title-en') && targets.includes('#s0-heading-en') && targets.includes('#s0-body-en'), `problems listed: ${targets}`);
  for (const href of targets) assert.equal(await page.locator(href).count(), 1, `${href} leads to a control`);
  assert.equal(await page.locator('#title-en').getAttribute('aria-invalid'), 'true');
  await checkA11y(page, 'outcome editor with errors 1280px');
  await screenshot(page, 'staff-outcome-errors');

  // The text, two sections, three contributions cited.
  await page.getByLabel('Title of the outcome (English)').fill('What we heard');
  await page.locator('[name="s0.id"]').fill('transport');
  await page.getByLabel('Heading of section 1 (English)').fill('Transport');
  await page.getByLabel('Text of section 1 (English)').fill('**Night buses** first.\n\nThen bike lanes.');
  await cite(page, 0, data.texts[0]);
  await cite(page, 0, data.texts[1]);
  assert.ok(await page.getByRole('checkbox', { name: new RegExp(data.texts[0]) }).isChecked(), 'the first stays ticked');
  await submit(page, page.getByRole('button', { name: 'Add a section' }));
  await page.locator('[name="s1.id"]').fill('parks');
  await page.getByLabel('Heading of section 2 (English)').fill('Parks');
  await page.getByLabel('Text of section 2 (English)').fill('A park in every district.');
  await cite(page, 1, data.texts[2]);
  await checkA11y(page, 'outcome editor filled with search results 1280px');

  // Preview: the rendered text, nothing published yet.
  await submit(page, page.getByRole('button', { name: 'Preview', exact: true }));
  const preview = page.locator('section[aria-labelledby="preview-heading"]');
  await preview.waitFor();
  assert.equal(await preview.locator('strong').first().innerText(), 'Night buses');
  await checkA11y(page, 'outcome editor preview 1280px');
  await screenshot(page, 'staff-outcome-preview');
  const none = await page.request.get(`/api/v1/processes/${data.slug}/outcomes`);
  assert.deepEqual(await none.json(), [], 'a preview publishes nothing');

  // Publish: the history says so.
  await submit(page, page.getByRole('button', { name: 'Publish the outcome' }));
  await expectH1(page, 'Outcome history');
  assert.match(await page.locator('.note-success').innerText(), /Version 1 is published/);
  await checkA11y(page, 'outcome history after publishing 1280px');
  const v1 = await (await page.request.get(`/api/v1/processes/${data.slug}/outcomes/current`)).json();
  assert.equal(v1.sections.flatMap((s) => s.cites).length, 3, 'three contributions cited');

  // Revise, in Spanish at phone width: the note is required.
  const es = await newPage({ viewport: 360, lang: 'es', cookies: { convene_access: data.tokens.es, lang: 'es' } });
  await visit(es, editor);
  await expectH1(es, 'Revisar el resultado: versión 2');
  assert.equal(await es.locator('[name="s0.body.en"]').inputValue(), '**Night buses** first.\n\nThen bike lanes.', 'starts from the current version');
  await checkA11y(es, 'outcome editor revising 360px es');
  await es.locator('[name="s0.body.en"]').fill('**Night buses** first.\n\nThen trams.');
  await submit(es, es.locator('button[name="publish"]'));
  await es.locator('.error-summary').waitFor();
  assert.equal(await es.locator('#note-en').getAttribute('aria-invalid'), 'true', 'the note is required');
  await checkA11y(es, 'outcome editor revision without a note 360px es');
  await screenshot(es, 'staff-outcome-note-missing');
  await es.locator('[name="note.en"]').fill('Trams instead of bike lanes.');
  await submit(es, es.locator('button[name="publish"]'));
  await expectH1(es, 'Historial del resultado');
  const changes = es.locator('section[aria-labelledby="changes-heading"]');
  assert.match(await changes.innerText(), /Then trams\./);
  assert.equal(await changes.locator('del').first().innerText(), 'Then bike lanes.');
  await checkA11y(es, 'outcome history with differences 360px es');
  await screenshot(es, 'staff-outcome-history');

  // The same history in English at 1280 px, and the public page it links to.
  await visit(page, `${editor}/history`);
  assert.match(await page.locator('table').innerText(), /Trams instead of bike lanes\./);
  await checkA11y(page, 'outcome history 1280px');
  await screenshot(page, 'staff-outcome-history');
  await visit(page, `/processes/${data.slug}/outcome`);
  assert.match(await page.locator('main').innerText(), /Version 2/);

  // The report dashboard: the commitment at risk first, in French and in English.
  const fr = await newPage({ viewport: 1280, lang: 'fr', cookies: { convene_access: data.tokens.fr, lang: 'fr' } });
  await visit(fr, `/manage/processes/${data.slug}/report`);
  await expectH1(fr, 'Rapport');
  await checkA11y(fr, 'report dashboard 1280px fr');
  await visit(page, `/manage/processes/${data.slug}/report`);
  await expectH1(page, 'Report');
  const first = page.locator('section[aria-labelledby="risk-heading"] .card h3').first();
  assert.equal(await first.innerText(), data.risky, 'the commitment at risk is listed first');
  assert.equal(await page.getByRole('link', { name: 'Respond to the contributions still waiting' }).getAttribute('href'), `/manage/processes/${data.slug}/responses?responded=no`);
  await checkA11y(page, 'report dashboard 1280px');
  await screenshot(page, 'staff-report-at-risk');
  const small = await newPage({ viewport: 360, cookies: { convene_access: data.organiserToken } });
  await visit(small, `/manage/processes/${data.slug}/report`);
  await checkA11y(small, 'report dashboard 360px');
  await screenshot(small, 'staff-report-at-risk');
});
