// A person's rights through the pages: from their account, download their data (the JSON file
// holds their contribution), then delete the account (the emailed link, its page, its
// button, the done page, signed out). The Rust side then searches the whole database for
// anything left of them.
//
// SCENARIO_DATA: { link, email, name, contributionId, comment }

import { readFile } from 'node:fs/promises';

import { assert, checkA11y, expectH1, expectPath, mail, newPage, scenario, screenshot, visit } from '../lib/index.mjs';
import { expectReflow } from '../lib/layout.mjs';

/** axe, and no sideways scrolling at phone width. */
async function checkState(page, state) {
  await checkA11y(page, state);
  await expectReflow(page, state);
}

scenario(async ({ data }) => {
  const page = await newPage({ viewport: 360 });
  await visit(page, data.link);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login/magic'), page.getByRole('button', { name: 'Sign in' }).click()]);
  expectPath(page, '/me/input');
  assert.ok((await page.locator('main').innerText()).includes('Awaiting a response from the organisers.'), 'My input lists the contribution, awaiting a response');
  await checkState(page, 'my input awaiting a response 360px');

  // The account page leads to the download.
  await visit(page, '/account');
  await expectH1(page, 'Your account');
  await checkState(page, 'account 360px');
  await Promise.all([page.waitForURL('**/account/data'), page.getByRole('link', { name: 'Download your data', exact: true }).click()]);
  await expectH1(page, 'Download your data');
  await checkState(page, 'download your data 360px');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download your data \(JSON/ }).click()]);
  assert.match(download.suggestedFilename(), /^convene-my-data-\d{4}-\d{2}-\d{2}\.json$/, 'the file is named with the date');
  const text = await readFile(await download.path(), 'utf8');
  const doc = JSON.parse(text);
  assert.equal(doc.account.email, data.email, 'the file is about me');
  assert.equal(doc.account.display_name, data.name);
  const mine = doc.contributions.find((c) => c.id === data.contributionId);
  assert.ok(mine, `the file holds my contribution ${data.contributionId}: ${doc.contributions.map((c) => c.id).join(', ')}`);
  assert.equal(mine.body.answers.comment, data.comment, 'with my words');

  // Deleting: the page says what goes and what stays, then emails a link.
  await visit(page, '/account');
  await Promise.all([page.waitForURL('**/account/delete'), page.getByRole('link', { name: 'Delete your account', exact: true }).click()]);
  await expectH1(page, 'Delete your account');
  await checkState(page, 'delete your account 360px');
  const before = mail.mark();
  await Promise.all([page.waitForURL('**/account/delete/sent'), page.getByRole('button', { name: 'Email me the link to delete my account' }).click()]);
  await expectH1(page, 'Check your email');
  await checkState(page, 'deletion link sent 360px');

  // The link's page: nothing is deleted until its button.
  const email = await mail.waitFor({ to: data.email, subject: 'Confirm the deletion', after: before });
  await visit(page, email.link('/account/delete/confirm?token='));
  await expectH1(page, 'Delete your account?');
  await checkState(page, 'confirm the deletion 360px');
  await screenshot(page, 'flow-delete-confirm');
  assert.equal((await page.request.get('/api/v1/me')).status(), 200, 'still signed in: opening the link deletes nothing');
  await Promise.all([page.waitForURL('**/account/deleted'), page.getByRole('button', { name: 'Delete my account' }).click()]);
  expectPath(page, '/account/deleted');
  await expectH1(page, 'Your account has been deleted');
  await checkState(page, 'account deleted 360px');

  // Signed out: the page offers to sign in, the session is gone, the account pages send to sign-in.
  const nav = page.getByRole('navigation', { name: /./ }).first();
  assert.ok(await page.locator('.site-nav').getByRole('link', { name: 'Sign in' }).isVisible(), `the menu offers to sign in: ${await nav.innerText()}`);
  const cookies = await page.context().cookies();
  assert.ok(!cookies.some((c) => c.name === 'convene_access' && c.value), `no session cookie left: ${cookies.map((c) => c.name).join(', ')}`);
  assert.equal((await page.request.get('/api/v1/me')).status(), 401, 'the session is over');
  await visit(page, '/account');
  assert.equal(new URL(page.url()).pathname, '/signin', `the account page now asks to sign in: ${page.url()}`);
});
