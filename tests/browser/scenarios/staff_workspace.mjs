// The process workspace in a browser: an organiser (an instance administrator) opens the
// staff's dashboard, creates a process through the form (first sent empty, with the errors at
// their fields; then two phases and a commitment added with the form's own buttons, the texts
// previewed), and publishes it after the page that says what becomes public; the members page.
// axe checks every state: empty, with errors, filled, at 360 and 1280 px, in Spanish and French.
//
// SCENARIO_DATA: { token } (the organiser's access token), { slug } (for the new process).

import { assert, checkA11y, expectH1, newPage, scenario, screenshot, visit } from '../lib/index.mjs';

/** Presses a form's button and waits for the page the post answers with (often at the same address). */
async function submit(page, name) {
  const navigated = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await page.getByRole('button', { name, exact: true }).click();
  await navigated;
  await page.waitForLoadState('load');
}

scenario(async ({ data }) => {
  const cookies = (lang) => ({ convene_access: data.token, lang });

  // English, desktop: the whole way.
  {
    const page = await newPage({ viewport: 1280, cookies: cookies('en') });
    await visit(page, '/');
    await Promise.all([page.waitForURL('**/manage'), page.getByRole('link', { name: 'Manage', exact: true }).click()]);
    await expectH1(page, 'Your processes');
    await checkA11y(page, 'workspace dashboard empty en 1280px');
    await screenshot(page, 'staff-workspace-dashboard-empty');
    await Promise.all([page.waitForURL('**/manage/processes/new'), page.getByRole('link', { name: 'Create a process' }).click()]);
    await expectH1(page, 'Create a process');
    await checkA11y(page, 'new process empty en 1280px');
    await screenshot(page, 'staff-workspace-new-empty');

    // Sent empty: the problems, each at its field, the summary first.
    await submit(page, 'Create the draft');
    await page.locator('.error-summary').waitFor();
    assert.match(await page.title(), /^Error/, 'the title says there is an error');
    assert.ok(await page.locator('#scope-error').isVisible(), "the scope's error shows at it");
    await checkA11y(page, 'new process with errors en 1280px');
    await screenshot(page, 'staff-workspace-new-errors');

    // Filled: texts, choices, two phases and a commitment, with the form's own buttons.
    await page.locator('#title-en').fill('Riverside park renewal');
    await page.locator('#summary-en').fill('Help decide what the new riverside park should have.');
    await page.locator('#description-en').fill('## How to take part\n\nSend your ideas, then vote.');
    await page.locator('#slug').fill(data.slug);
    await page.getByLabel('Local', { exact: true }).check();
    await page.getByLabel('Consult', { exact: true }).check();
    await submit(page, 'Add a phase');
    await submit(page, 'Add a phase');
    await submit(page, 'Add a commitment');
    await page.locator('#phases-0-name-en').fill('Ideas');
    await page.locator('#phases-0-starts_on').fill('2027-01-10');
    await page.locator('#phases-0-ends_on').fill('2027-02-28');
    await page.locator('#phases-1-name-en').fill('Vote');
    await page.locator('#phases-1-starts_on').fill('2027-03-01');
    await page.locator('#phases-1-ends_on').fill('2027-03-31');
    await page.locator('#commitments-0-text-en').fill('We answer every idea within 30 days of the close.');
    await page.locator('#commitment-0').getByLabel(/^Respond to every contribution/).check();
    await page.locator('#commitments-0-measure-days').fill('30');
    await submit(page, 'Preview the texts');
    assert.ok(await page.getByRole('heading', { level: 2, name: 'How to take part' }).isVisible(), 'the description is previewed');
    assert.equal(await page.locator('#phases-1-name-en').inputValue(), 'Vote', 'what was typed is kept');
    await checkA11y(page, 'new process filled with preview en 1280px');
    await screenshot(page, 'staff-workspace-new-filled');
    await submit(page, 'Create the draft');
    assert.equal(new URL(page.url()).pathname, `/manage/processes/${data.slug}`, 'back on the overview');
    await expectH1(page, 'Overview');
    await checkA11y(page, 'process overview draft en 1280px');
    await screenshot(page, 'staff-workspace-overview');

    // Publishing: what becomes public, then the button.
    await Promise.all([page.waitForURL(`**/manage/processes/${data.slug}/publish`), page.getByRole('link', { name: 'Publish', exact: true }).click()]);
    await checkA11y(page, 'publish confirmation en 1280px');
    await screenshot(page, 'staff-workspace-publish');
    await submit(page, 'Publish the process');
    assert.equal(new URL(page.url()).pathname, `/manage/processes/${data.slug}`, 'back on the overview');
    assert.ok(await page.getByText('The process is published.').isVisible(), 'the published note');
    await checkA11y(page, 'process overview published en 1280px');

    // Members.
    await visit(page, `/manage/processes/${data.slug}/members`);
    await expectH1(page, 'Members and roles');
    await checkA11y(page, 'members en 1280px');
    await submit(page, 'Add the member');
    await page.locator('.error-summary').waitFor();
    await checkA11y(page, 'members with errors en 1280px');
    await screenshot(page, 'staff-workspace-members-errors');
    await page.close();
  }

  // Phone width, in each language: the dashboard, the form with errors, the overview, the
  // confirmation and the members page.
  for (const lang of ['en', 'es', 'fr']) {
    const state = (what) => `${what} ${lang} 360px`;
    const page = await newPage({ viewport: 360, lang, cookies: cookies(lang) });
    await visit(page, '/manage');
    await checkA11y(page, state('workspace dashboard'));
    await visit(page, '/manage/processes/new');
    await checkA11y(page, state('new process empty'));
    const navigated = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
    await page.locator('form[action="/manage/processes/new"] button[name="save"]').click();
    await navigated;
    await page.locator('.error-summary').waitFor();
    await checkA11y(page, state('new process with errors'));
    if (lang !== 'en') await screenshot(page, `staff-workspace-new-errors-${lang}`);
    await visit(page, `/manage/processes/${data.slug}`);
    await checkA11y(page, state('process overview'));
    await visit(page, `/manage/processes/${data.slug}/archive`);
    await checkA11y(page, state('archive confirmation'));
    await visit(page, `/manage/processes/${data.slug}/members`);
    await checkA11y(page, state('members'));
    await page.close();
  }
});
